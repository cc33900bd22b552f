import type { RegistryName } from "./test-schemas.ts";

// matches(): one rendered resource, one filter, whether it matches. Each group pins one rule of the
// reference semantics in src/scim/filter/evaluate.ts.

export interface MatchCase {
  readonly name: string;
  readonly registry: RegistryName;
  readonly resource: Record<string, unknown>;
  readonly filter: string;
  readonly matches: boolean;
}

const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const barbara = {
  id: "2819c223-7f76-453a-919d-413861904646",
  userName: "bjensen",
  name: { givenName: "Barbara", familyName: "Jensen" },
  active: true,
  emails: [
    { value: "bjensen@work.example", type: "work", primary: true },
    { value: "babs@home.example", type: "home" },
  ],
  meta: { created: "2015-10-10T21:38:21.861Z", lastModified: "2020-01-01T00:00:00Z" },
  [enterprise]: { employeeNumber: "701984", manager: { value: "26118915-6090-4610-87e4-49d8ca9f808d" } },
};

const sampleResource = {
  str: "Mixed Case",
  exact: "Mixed Case",
  count: 7,
  score: 2.5,
  at: "2020-06-01T12:00:00+02:00",
  flag: false,
  blob: "AAEC",
  tags: ["red", "Green"],
  items: [
    { value: "one", type: "a", primary: false, count: 1 },
    { value: "two", type: "b", primary: true, count: 2 },
  ],
  "urn:test:filter:extension:levels:2.0:Sample": { rank: 3, boss: { value: "b1", name: "Boss" } },
};

const user = (name: string, filter: string, matches: boolean, resource: Record<string, unknown> = barbara): MatchCase =>
  ({ name, registry: "user", resource, filter, matches });
const sample = (name: string, filter: string, matches: boolean, resource: Record<string, unknown> = sampleResource): MatchCase =>
  ({ name, registry: "sample", resource, filter, matches });

export const matchCases: readonly MatchCase[] = [
  // caseExact (collation.ts)
  user("caseExact false: eq ignores case", 'userName eq "BJensen"', true),
  user("caseExact true: eq respects case", 'id eq "2819C223-7F76-453A-919D-413861904646"', false),
  user("caseExact true: eq with the same case", 'id eq "2819c223-7f76-453a-919d-413861904646"', true),
  sample("caseExact false: sw ignores case", 'str sw "mixed"', true),
  sample("caseExact true: sw respects case", 'exact sw "mixed"', false),
  sample("caseExact false: ew ignores case", 'str ew "CASE"', true),
  sample("caseExact true: co respects case", 'exact co "d C"', true),
  sample("caseExact false: ordering on the folded form", 'str gt "mixed"', true),
  sample("caseExact true: ordering by code unit", 'exact gt "a"', false),
  sample("binary is case-exact whatever caseExact says", 'blob eq "aaec"', false),
  sample("binary with the same case", 'blob eq "AAEC"', true),
  sample("caseExact false: eq on a whole string", 'str eq "mixed case"', true),
  sample("NFD input matches NFC when not case-exact", 'str eq "e\u0301"', true, { str: "\u00e9" }),
  sample("NFD input does not match NFC when case-exact", 'exact eq "e\u0301"', false, { exact: "\u00e9" }),

  // RFC 7644 §3.4.2.2: multi-valued attributes match when any value matches
  user("any element: a later value matches", 'emails.value eq "babs@home.example"', true),
  user("any element: a bare multi-valued attribute is its value", 'emails co "home.example"', true),
  user("any element: no value matches", 'emails.value eq "nobody@example"', false),
  user("any element: ne matches when some value differs", 'emails.type ne "work"', true),
  user("any element: ne fails when every value equals", 'emails.type ne "work"', false, { emails: [{ type: "work" }, { type: "Work" }] }),
  sample("any element of a simple multi-valued attribute", 'tags eq "green"', true),
  user("any element across two comparisons, not the same element", 'emails.type eq "home" and emails.primary eq true', true),

  // value paths: one element satisfies the whole inner filter
  user("value path: the same element", 'emails[type eq "home" and primary eq true]', false),
  user("value path: an element that satisfies it", 'emails[type eq "work" and primary eq true]', true),
  user("Entra form: type and value in one element", 'emails[type eq "work"].value eq "bjensen@work.example"', true),
  user("Entra form: the value of another element", 'emails[type eq "work"].value eq "babs@home.example"', false),
  user("value path with or and not inside", 'emails[not (type eq "work") or value sw "nobody"]', true),
  user("value path on an absent attribute", 'emails[type eq "work"]', false, { userName: "x" }),
  sample("value path comparing an integer sub-attribute", "items[count gt 1 and primary eq true]", true),
  sample("value path comparing an integer sub-attribute, no element", "items[count gt 1 and primary eq false]", false),

  // absent attributes
  user("an absent attribute matches no eq", 'title eq "x"', false),
  user("an absent attribute matches no ne", 'title ne "x"', false),
  user("not eq on an absent attribute matches", 'not (title eq "x")', true),
  user("eq null on an absent attribute", "title eq null", true),
  user("eq null on a present attribute", "userName eq null", false),
  user("ne null on a present attribute", "userName ne null", true),
  user("ne null on an absent attribute", "title ne null", false),
  user("eq null on a false boolean", "active eq null", false, { active: false }),

  // pr
  user("pr: a string", "userName pr", true),
  user("pr: an absent attribute", "title pr", false),
  user("pr: an empty string is no value", "title pr", false, { title: "" }),
  user("pr: null is no value", "title pr", false, { title: null }),
  user("pr: false is a value", "active pr", true, { active: false }),
  user("pr: an empty array is no value", "emails pr", false, { emails: [] }),
  user("pr: an array of empty elements is no value", "emails pr", false, { emails: [{}, { value: "" }] }),
  user("pr: a complex value with a sub-attribute", "name pr", true),
  user("pr: a complex value with nothing in it", "name pr", false, { name: { givenName: null } }),
  user("pr: a sub-attribute of a multi-valued attribute", "emails.primary pr", true),

  // types
  user("a boolean", "active eq true", true),
  user("a boolean that differs", "active eq false", false),
  user("ne on a boolean", "active ne false", true),
  sample("false is not absent", "flag eq false", true),
  sample("an integer gt", "count gt 6", true),
  sample("an integer le", "count le 6", false),
  sample("a decimal against an integer literal", "score lt 3", true),
  sample("a decimal eq", "score eq 2.5", true),
  sample("a number stored as a string does not match", "count eq 7", false, { count: "7" }),
  user("a dateTime compares as an instant across offsets", "meta.created eq 2015-10-10T14:38:21.861-07:00", true),
  user("a dateTime gt", 'meta.lastModified gt "2019-12-31T23:59:59Z"', true),
  user("a dateTime gt, later", 'meta.lastModified gt "2020-01-01T00:00:00.001Z"', false),
  user("a dateTime ge the same instant", 'meta.lastModified ge "2020-01-01T01:00:00+01:00"', true),
  sample("a stored dateTime with an offset", 'at eq "2020-06-01T10:00:00Z"', true),
  sample("an unreadable stored dateTime matches nothing", 'at lt "9999-01-01T00:00:00Z"', false, { at: "soon" }),

  // where attributes live
  user("an extension attribute under its URN", `${enterprise}:employeeNumber eq "701984"`, true),
  user("Entra: manager without its URN compares manager.value", 'manager eq "26118915-6090-4610-87e4-49d8ca9f808d"', true),
  user("an extension attribute is not read from the top level", `${enterprise}:employeeNumber pr`, false, { employeeNumber: "1" }),
  user("a core attribute is not read from an extension", "title pr", false, { [enterprise]: { title: "x" } }),
  user("attribute names in the resource in any case", 'NAME.givenname eq "barbara"', true, { Name: { GivenName: "Barbara" } }),
  user("a common attribute", 'meta.created lt "2016-01-01T00:00:00Z"', true),
  sample("an unqualified extension attribute", "rank eq 3", true),
  sample("a sub-attribute of a singular complex extension attribute", 'boss.name eq "boss"', true),

  // logic
  user("and: both", 'userName eq "bjensen" and active eq true', true),
  user("and: one", 'userName eq "bjensen" and active eq false', false),
  user("or: one", 'userName eq "x" or active eq true', true),
  user("or: none", 'userName eq "x" or active eq false', false),
  user("not", 'not (userName eq "bjensen")', false),
  user("and binds tighter than or", 'userName eq "x" and active eq false or name.familyName eq "jensen"', true),
  user("parentheses", 'userName eq "x" and (active eq false or name.familyName eq "jensen")', false),
];
