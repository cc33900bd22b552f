import type { RegistryName } from "./test-schemas.ts";

// parseFilter: filters that resolve (with the canonical text printFilter gives for them) and filters
// that are invalidFilter (with text the detail must contain).

export interface AcceptedCase {
  readonly name: string;
  readonly filter: string;
  readonly registry: RegistryName;
  readonly canonical: string;
}

export interface RejectedCase {
  readonly name: string;
  readonly filter: string;
  readonly registry: RegistryName;
  readonly detail: string;
}

const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const core = "urn:ietf:params:scim:schemas:core:2.0:User";

const user = (name: string, filter: string, canonical: string): AcceptedCase => ({ name, filter, registry: "user", canonical });
const sample = (name: string, filter: string, canonical: string): AcceptedCase => ({ name, filter, registry: "sample", canonical });

export const acceptedCases: readonly AcceptedCase[] = [
  // names and operators
  user("operators and attribute names in any case", 'UserName EQ "bjensen"', 'userName eq "bjensen"'),
  user("keywords in any case", 'title PR AND NOT (userType Eq "x") OR nickName pr', 'title pr and not (userType eq "x") or nickName pr'),
  user("sub-attribute names in any case", 'NAME.FamilyName co "O\'Malley"', 'name.familyName co "O\'Malley"'),
  user("a core attribute with its URN", `${core}:userName sw "J"`, 'userName sw "J"'),
  user("a URN in any case", `${core.toUpperCase()}:NAME.givenName eq "B"`, 'name.givenName eq "B"'),
  user("an extension attribute with its URN", `${enterprise}:employeeNumber eq "42"`, `${enterprise}:employeeNumber eq "42"`),
  user("a common attribute", 'meta.created gt "2020-01-01T00:00:00Z"', 'meta.created gt "2020-01-01T00:00:00.000Z"'),
  // meta.resourceType is the same for every resource of a type: decided when the filter is read.
  user("meta.resourceType of the type is always true", 'meta.resourceType eq "User"', "id pr"),
  user("meta.resourceType of another type is never true", 'meta.resourceType eq "Group"', "not (id pr)"),
  user("a decided term drops out of and", 'meta.resourceType eq "User" and title pr', "title pr"),
  user("a decided term decides or", 'meta.resourceType eq "User" or title pr', "id pr"),
  user("whitespace around tokens", ' \tuserName\n eq   "x"  ', 'userName eq "x"'),
  { name: "a Group attribute", filter: 'DisplayName eq "g"', registry: "group", canonical: 'displayName eq "g"' },

  // RFC 7644 §3.4.2.2: complex attributes named without a sub-attribute
  user("a multi-valued attribute compares its value", 'emails co "example.com"', 'emails.value co "example.com"'),
  user("a singular complex attribute with a value compares it", `${enterprise}:manager eq "m"`, `${enterprise}:manager.value eq "m"`),
  user("pr on a multi-valued attribute keeps the attribute", "emails pr", "emails pr"),
  user("pr on a complex attribute keeps the attribute", "name pr", "name pr"),
  user("a sub-attribute of a multi-valued attribute", 'emails.type eq "work"', 'emails.type eq "work"'),

  // value paths
  user("a value path", 'emails[type eq "work" and value co "@example.com"]', 'emails[type eq "work" and value co "@example.com"]'),
  user("a value path with its URN", `${core}:emails[Type eq "work"]`, 'emails[type eq "work"]'),
  { name: "a Group member check", filter: 'id eq "g" and members[value eq "u"]', registry: "group", canonical: 'id eq "g" and members[value eq "u"]' },
  user("a value path and a separate any-element comparison stay apart", 'emails[type eq "work"] and emails.value eq "x"', 'emails[type eq "work"] and emails.value eq "x"'),
  user("a value path inside not", 'not (emails[primary eq true])', "not (emails[primary eq true])"),

  // quirks.ts: what real clients send
  user("Entra: a sub-attribute comparison after a value path is in the same element", 'emails[type eq "work"].value eq "user@contoso.com"', 'emails[type eq "work" and value eq "user@contoso.com"]'),
  user("Entra form with an or inside the brackets", 'emails[type eq "work" or type eq "home"].value eq "x"', 'emails[(type eq "work" or type eq "home") and value eq "x"]'),
  user("Entra form with pr", 'emails[type eq "work"].Value pr', 'emails[type eq "work" and value pr]'),
  user("Entra form followed by more filter", 'emails[type eq "work"].value eq "x" or userName eq "y"', 'emails[type eq "work" and value eq "x"] or userName eq "y"'),
  user("Entra: an enterprise attribute without its URN", 'id eq "a" and manager eq "b"', `id eq "a" and ${enterprise}:manager.value eq "b"`),
  user("Entra: an enterprise sub-attribute without its URN", 'manager.displayName eq "b"', `${enterprise}:manager.displayName eq "b"`),
  user("unquoted word value", "userName sw O", 'userName sw "O"'),
  user("unquoted values throughout", "name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)", 'name.familyName eq "Employee" and (emails.value co "example.com" or emails.value co "example.org")'),
  user("unquoted dateTime with offset and 7 fractional digits", "meta.Created gt 2015-10-10T14:38:21.8617979-07:00", 'meta.created gt "2015-10-10T21:38:21.861Z"'),
  user("unquoted value spelled like a keyword", "userName eq or", 'userName eq "or"'),
  user("unquoted value with a quote inside", "userName eq O'Brien", 'userName eq "O\'Brien"'),
  user("unquoted true stays a boolean", "active eq true", "active eq true"),
  sample("unquoted number stays a number", "count gt 5", "count gt 5"),

  // values
  user("JSON string escapes", String.raw`displayName eq "a\\b \"q\" \u00e9\n"`, String.raw`displayName eq "a\\b \"q\" é\n"`),
  user("brackets and keywords inside a string", 'displayName eq "x) or (y] and not ["', 'displayName eq "x) or (y] and not ["'),
  user("a dateTime is read as an instant", 'meta.lastModified ge "0001-01-03T00:00:00.0000000Z"', 'meta.lastModified ge "0001-01-03T00:00:00.000Z"'),
  user("a dateTime without a time zone is UTC", 'meta.created lt "2020-01-01T10:00:00"', 'meta.created lt "2020-01-01T10:00:00.000Z"'),
  user("a dateTime with a lower-case z", 'meta.created lt "2020-01-01t10:00:00z"', 'meta.created lt "2020-01-01T10:00:00.000Z"'),
  user("null with eq", "title eq null", "title eq null"),
  user("null with ne on a boolean", "active ne null", "active ne null"),
  user("a reference", 'profileUrl sw "https://"', 'profileUrl sw "https://"'),
  user("binary with eq", 'x509Certificates.value eq "AAEC"', 'x509Certificates.value eq "AAEC"'),
  sample("an integer", "count ge -3", "count ge -3"),
  sample("negative zero is zero", "count eq -0", "count eq 0"),
  sample("a decimal in exponent form", "score lt 1.5e2", "score lt 150"),
  sample("a decimal compared with an integer", "score eq 2", "score eq 2"),
  sample("a multi-valued simple attribute", 'tags eq "x"', 'tags eq "x"'),
  sample("a boolean sub-attribute in a value path", "items[primary eq true and count gt 1]", "items[primary eq true and count gt 1]"),
  sample("an unambiguous extension attribute without its URN", "rank ge 2", `urn:test:filter:extension:levels:2.0:Sample:rank ge 2`),

  // structure
  sample("and nested in and is flattened", '(a eq "1" and b eq "2") and c eq "3"', 'a eq "1" and b eq "2" and c eq "3"'),
  sample("or nested in or is flattened", 'a eq "1" or (b eq "2" or c eq "3")', 'a eq "1" or b eq "2" or c eq "3"'),
  sample("and binds tighter than or", 'a eq "1" or b eq "2" and c eq "3" or d eq "4"', 'a eq "1" or b eq "2" and c eq "3" or d eq "4"'),
  sample("an or inside an and keeps its parentheses", 'a pr and (b pr or c pr)', "a pr and (b pr or c pr)"),
  sample("not without parentheses", "not a pr and b pr", "not (a pr) and b pr"),
  sample("not of not", "not (not (a pr))", "not (not (a pr))"),
];

const userRejects = (name: string, filter: string, detail: string): RejectedCase => ({ name, filter, registry: "user", detail });
const sampleRejects = (name: string, filter: string, detail: string): RejectedCase => ({ name, filter, registry: "sample", detail });

export const rejectedCases: readonly RejectedCase[] = [
  // attributes
  userRejects("an unknown attribute", 'foo eq "x"', 'unknown attribute "foo" for User'),
  userRejects("an unknown sub-attribute", 'name.foo eq "x"', 'unknown attribute "name.foo"'),
  userRejects("a sub-attribute of a simple attribute", 'userName.value eq "x"', 'unknown attribute "userName.value"'),
  userRejects("three path segments", 'name.givenName.x eq "x"', 'unknown attribute "name.givenName.x"'),
  userRejects("another resource type's URN", 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"', "unknown attribute"),
  userRejects("an extension attribute under the core URN", `${core}:employeeNumber eq "1"`, `unknown attribute "${core}:employeeNumber"`),
  userRejects("a core attribute under the extension URN", `${enterprise}:userName eq "1"`, "unknown attribute"),
  sampleRejects("an unqualified name two extensions define", 'level eq "x"', 'unknown attribute "level"'),
  { name: "a User attribute on Group", filter: 'userName eq "x"', registry: "group", detail: 'unknown attribute "userName" for Group' },
  userRejects("an unknown sub-attribute in a value path", 'emails[foo eq "x"]', 'unknown sub-attribute "foo" of "emails"'),
  userRejects("a full path inside a value path", 'emails[emails.type eq "x"]', 'unknown sub-attribute "emails.type" of "emails"'),
  userRejects("an unknown sub-attribute after a value path", 'emails[type eq "work"].foo eq "x"', 'unknown sub-attribute "foo" of "emails"'),

  // RFC 7644 §3.4.2.2: operators and values by attribute type
  userRejects("gt on a boolean", "active gt true", 'operator "gt" is not defined for boolean attribute "active"'),
  userRejects("co on a boolean", 'active co "t"', 'operator "co" is not defined for boolean attribute "active"'),
  userRejects("a string for a boolean", 'active eq "true"', '"active" is a boolean attribute; "true" is not a boolean value'),
  userRejects("an unquoted True for a boolean", "active eq True", '"True" is not a boolean value'),
  userRejects("a number for a string", "userName gt 5", '"userName" is a string attribute; 5 is not a string value'),
  userRejects("a boolean for a string", "userName eq false", "false is not a string value"),
  userRejects("gt on binary", 'x509Certificates.value gt "A"', 'operator "gt" is not defined for binary attribute "x509Certificates.value"'),
  userRejects("sw on binary", 'x509Certificates.value sw "A"', 'operator "sw" is not defined for binary'),
  userRejects("sw on a dateTime", 'meta.created sw "2015"', 'operator "sw" is not defined for dateTime attribute "meta.created"'),
  userRejects("a dateTime that is not one", 'meta.created gt "yesterday"', '"meta.created" is a dateTime attribute; "yesterday" is not a dateTime value'),
  userRejects("a date without a time", "meta.created gt 2015-10-10", '"2015-10-10" is not a dateTime value'),
  userRejects("a day the month does not have", 'meta.created gt "2015-02-30T00:00:00Z"', "is not a dateTime value"),
  userRejects("month 13", 'meta.created gt "2015-13-01T00:00:00Z"', "is not a dateTime value"),
  userRejects("hour 24", 'meta.created gt "2015-01-01T24:00:00Z"', "is not a dateTime value"),
  userRejects("a number for a dateTime", "meta.created gt 20151010", "20151010 is not a dateTime value"),
  userRejects("null with gt", "title gt null", 'null can only be compared with "eq" or "ne", not "gt"'),
  userRejects("null with co", "title co null", 'null can only be compared with "eq" or "ne", not "co"'),
  sampleRejects("a fraction for an integer", "count eq 1.5", '"count" is an integer attribute; 1.5 is not an integer value'),
  sampleRejects("a string for an integer", 'count eq "1"', '"1" is not an integer value'),
  sampleRejects("co on an integer", "count co 1", 'operator "co" is not defined for integer attribute "count"'),
  sampleRejects("an integer beyond 2^53", "count eq 9007199254740993", "is not an integer value"),
  sampleRejects("a decimal beyond double range", "score eq 1e400", "is not a decimal value"),
  sampleRejects("a string for a decimal", 'score eq "1.5"', '"1.5" is not a decimal value'),
  userRejects("a complex attribute without value", 'name eq "x"', '"name" is complex and has no "value" sub-attribute'),
  userRejects("meta without a sub-attribute", 'meta eq "x"', '"meta" is complex'),
  sampleRejects("a multi-valued complex attribute without value", 'pairs eq "x"', '"pairs" is complex and has no "value" sub-attribute'),

  // value paths
  userRejects("a value path on a simple attribute", 'userName[type eq "x"]', '"userName" is not a multi-valued complex attribute'),
  userRejects("a value path on a singular complex attribute", 'name[givenName eq "x"]', '"name" is not a multi-valued complex attribute'),
  userRejects("a value path on a sub-attribute", 'emails.value[type eq "x"]', '"emails.value" is not a multi-valued complex attribute'),
  userRejects("nested value paths", 'emails[type[value eq "x"]]', 'value paths cannot nest: "type[...]" inside "emails[...]"'),
  userRejects("a type error inside a value path", 'emails[primary gt true]', 'operator "gt" is not defined for boolean attribute "emails.primary"'),

  // syntax, with positions (1-based characters)
  userRejects("an empty filter", "", "malformed filter: it is empty"),
  userRejects("only whitespace", "   ", "malformed filter: it is empty"),
  userRejects("a missing value", "userName eq", "malformed filter at character 12: expected a comparison value, found the end of the filter"),
  userRejects("a missing operator", 'userName "x"', 'malformed filter at character 10: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) or "[", found "x"'),
  userRejects("an unknown operator", 'userName xx "x"', 'at character 10: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) or "[", found "xx"'),
  userRejects("an operator spelled as a symbol", 'userName = "x"', 'found "="'),
  userRejects("pr with a value", 'title pr "x"', 'malformed filter at character 10: expected "and", "or" or the end of a group ("pr" takes no value), found "x"'),
  userRejects("an unclosed parenthesis", '(userName eq "x"', "malformed filter at character 17: expected \"and\", \"or\" or the end of a group, found the end of the filter"),
  userRejects("a stray closing parenthesis", 'userName eq "x")', 'malformed filter at character 16: expected "and", "or" or the end of a group, found ")"'),
  userRejects("a stray closing bracket", 'userName eq "x"]', 'at character 16'),
  userRejects("an unclosed bracket", 'emails[type eq "work"', "found the end of the filter"),
  userRejects("a trailing and", 'userName eq "x" and', 'at character 20: expected an attribute path, "not" or "(", found the end of the filter'),
  userRejects("and or", 'userName eq "x" and or title pr', 'at character 21: expected an attribute path, "not" or "(", found "or"'),
  userRejects("a leading or", "or title pr", 'at character 1: expected an attribute path, "not" or "(", found "or"'),
  userRejects("two values", 'userName eq "x" "y"', 'at character 17: expected "and", "or" or the end of a group, found "y"'),
  userRejects("not after an expression", "title pr not (nickName pr)", 'malformed filter at character 10: "not" must begin an expression'),
  userRejects("an unterminated string", 'userName eq "x', "malformed filter: string at character 13 is not terminated"),
  userRejects("an escaped closing quote is not a closing quote", String.raw`userName eq "x\"`, "string at character 13 is not terminated"),
  userRejects("an invalid JSON escape", String.raw`userName eq "\x41"`, "malformed filter: string at character 13 is not a valid JSON string"),
  userRejects("a value path with a sub-attribute and nothing after it", 'emails[type eq "work"].value', 'at character 23: expected "and", "or" or the end of a group, found "."'),
  userRejects("the Entra form without a value", 'emails[type eq "work"].value eq', "at character 32: expected a comparison value, found the end of the filter"),
  userRejects("empty brackets", "emails[]", 'at character 8: expected an attribute path, "not" or "(", found "]"'),
  userRejects("empty parentheses", "()", 'at character 2: expected an attribute path, "not" or "(", found ")"'),
];
