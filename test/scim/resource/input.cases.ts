import type { ScimType } from "../../../src/scim/errors.js";
import { auditUrn, badgeUrn, coreUrn, enterpriseUrn } from "./test-schemas.js";

// readResource: POST/PUT bodies against the schemas in test-schemas.ts.

export interface AcceptedCase {
  readonly name: string;
  readonly body: unknown;
  /** The whole normalised resource; compared with toEqual, so anything extra or missing fails. */
  readonly resource: Record<string, unknown>;
  readonly ignored?: readonly string[];
  readonly writeOnly?: readonly string[];
}

export interface RejectedCase {
  readonly name: string;
  readonly body: unknown;
  readonly status: number;
  readonly scimType: ScimType;
  /** Text the detail must contain (usually the attribute's path). */
  readonly detail: string;
  /** Text the detail must not contain (writeOnly values). */
  readonly secret?: string;
}

const only = (attributes: Record<string, unknown>) => ({ schemas: [coreUrn], ...attributes });

export const acceptedCases: readonly AcceptedCase[] = [
  // shape and names
  { name: "a minimal body", body: { userName: "bjensen" }, resource: only({ userName: "bjensen" }) },
  {
    name: "attribute and sub-attribute names in any case come out canonical",
    body: {
      UserName: "bjensen",
      NAME: { GivenName: "Barbara", familyname: "Jensen" },
      Emails: [{ Value: "b@example.com", "Primary": true, TYPE: "work" }],
      ACTIVE: true,
    },
    resource: only({
      userName: "bjensen",
      name: { givenName: "Barbara", familyName: "Jensen" },
      emails: [{ value: "b@example.com", primary: true, type: "work" }],
      active: true,
    }),
  },
  {
    name: "common attribute externalId is read",
    body: { userName: "b", externalId: "ext-1" },
    resource: only({ userName: "b", externalId: "ext-1" }),
  },

  // extensions
  {
    name: "extension attributes under the URN key, names in any case",
    body: { userName: "b", [enterpriseUrn]: { EmployeeNumber: "701984", "Manager": { "Value": "m-1" } } },
    resource: {
      schemas: [coreUrn, enterpriseUrn],
      userName: "b",
      [enterpriseUrn]: { employeeNumber: "701984", manager: { value: "m-1" } },
    },
  },
  {
    name: "the extension URN key matches case-insensitively",
    body: { userName: "b", [enterpriseUrn.toUpperCase()]: { department: "Tour" } },
    resource: { schemas: [coreUrn, enterpriseUrn], userName: "b", [enterpriseUrn]: { department: "Tour" } },
  },
  {
    name: "URN-qualified extension attributes at the top level, URN in any case",
    body: {
      userName: "b",
      [`${enterpriseUrn}:employeeNumber`]: "7",
      [`${enterpriseUrn.toLowerCase()}:Department`]: "Sales",
    },
    resource: {
      schemas: [coreUrn, enterpriseUrn],
      userName: "b",
      [enterpriseUrn]: { employeeNumber: "7", department: "Sales" },
    },
  },
  {
    name: "URN key and URN-qualified keys of one extension merge",
    body: { userName: "b", [enterpriseUrn]: { employeeNumber: "7" }, [`${enterpriseUrn}:department`]: "Sales" },
    resource: {
      schemas: [coreUrn, enterpriseUrn],
      userName: "b",
      [enterpriseUrn]: { employeeNumber: "7", department: "Sales" },
    },
  },
  {
    name: "a URN-qualified key goes to the longest matching extension URN",
    body: { userName: "b", [`${auditUrn}:reviewer`]: "r-1" },
    resource: { schemas: [coreUrn, auditUrn], userName: "b", [auditUrn]: { reviewer: "r-1" } },
    ignored: [],
  },
  {
    name: "core attributes may be URN-qualified or under the core URN",
    body: { [coreUrn]: { userName: "b" }, [`${coreUrn}:displayName`]: "Babs" },
    resource: only({ userName: "b", displayName: "Babs" }),
  },
  {
    name: "schemas lists each extension present, in schema order",
    body: { userName: "b", [badgeUrn]: { level: 2 }, [enterpriseUrn]: { department: "Tour" } },
    resource: {
      schemas: [coreUrn, enterpriseUrn, badgeUrn],
      userName: "b",
      [enterpriseUrn]: { department: "Tour" },
      [badgeUrn]: { level: 2 },
    },
  },
  {
    name: "an extension with nothing assigned is absent, also from schemas",
    body: { userName: "b", [enterpriseUrn]: { manager: { displayName: "Boss" }, department: null } },
    resource: only({ userName: "b" }),
  },
  {
    name: "a null extension is absent",
    body: { userName: "b", [enterpriseUrn]: null },
    resource: only({ userName: "b" }),
  },

  // leniency (docs/idp-requests.md §1.14)
  {
    name: "readOnly attributes and sub-attributes are dropped, not rejected, and not reported",
    body: {
      id: "client-id",
      meta: { created: "2020-01-01T00:00:00Z" },
      groups: [{ value: "g-1" }],
      userName: "b",
      [enterpriseUrn]: { manager: { value: "m-1", displayName: "Boss" } },
    },
    resource: { schemas: [coreUrn, enterpriseUrn], userName: "b", [enterpriseUrn]: { manager: { value: "m-1" } } },
    ignored: [],
  },
  {
    name: "Okta's PUT with groups: [] and emails[].display",
    body: { userName: "b", groups: [], emails: [{ value: "b@example.com", display: "B", primary: true }] },
    resource: only({ userName: "b", emails: [{ value: "b@example.com", display: "B", primary: true }] }),
  },
  {
    name: "client schemas are tolerated and recomputed, unknown URNs in them ignored",
    body: {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:ADSCIM:2.0:Group", enterpriseUrn],
      userName: "b",
    },
    resource: only({ userName: "b" }),
    ignored: [],
  },
  {
    name: "a malformed schemas is tolerated",
    body: { Schemas: "urn:not:a:list", userName: "b" },
    resource: only({ userName: "b" }),
    ignored: [],
  },
  {
    name: "unknown attributes are dropped and reported by path",
    body: {
      userName: "b",
      nickname2: "x",
      name: { middle: "y", givenName: "B" },
      emails: [{ value: "a@x", foo: 1 }, { value: "b@x", foo: 2 }],
      [`${enterpriseUrn}:costCentre`]: "c",
      [enterpriseUrn]: { floor: 3 },
      "urn:unknown:extension:2.0:User": { a: 1 },
    },
    resource: {
      ...only({ userName: "b", name: { givenName: "B" }, emails: [{ value: "a@x" }, { value: "b@x" }] }),
    },
    ignored: [
      "nickname2",
      "name.middle",
      "emails.foo",
      `${enterpriseUrn}:costCentre`,
      `${enterpriseUrn}:floor`,
      "urn:unknown:extension:2.0:User",
    ],
  },

  // unassigned (RFC 7643 §2.5)
  {
    name: "explicit nulls are unassigned, at every level",
    body: {
      userName: "b",
      displayName: null,
      name: { givenName: null, familyName: "J" },
      emails: [null, { value: "a@x", type: null }],
      members: [null],
    },
    resource: only({ userName: "b", name: { familyName: "J" }, emails: [{ value: "a@x" }] }),
  },
  {
    name: "empty arrays are unassigned",
    body: { userName: "b", tags: [], emails: [] },
    resource: only({ userName: "b" }),
  },
  {
    name: "a complex value with nothing assigned is unassigned",
    body: { userName: "b", name: { givenName: null } },
    resource: only({ userName: "b" }),
  },
  {
    name: "an empty multi-valued element is dropped rather than failing its required sub-attribute",
    body: { userName: "b", members: [{}, "u-1"] },
    resource: only({ userName: "b", members: [{ value: "u-1" }] }),
  },

  // types (RFC 7643 §2.3)
  {
    name: "booleans as JSON or as strings in any case (Entra sends \"True\")",
    body: { userName: "b", active: "True", emails: [{ value: "a@x", primary: "TRUE" }, { value: "b@x", primary: "false" }] },
    resource: only({
      userName: "b",
      active: true,
      emails: [{ value: "a@x", primary: true }, { value: "b@x", primary: false }],
    }),
  },
  { name: "\"False\" reads as false", body: { userName: "b", active: "False" }, resource: only({ userName: "b", active: false }) },
  { name: "JSON false is kept", body: { userName: "b", active: false }, resource: only({ userName: "b", active: false }) },
  {
    name: "integer, decimal, dateTime, reference and binary values are kept as given",
    body: {
      userName: "b",
      loginCount: 3,
      score: 2.5,
      birthday: "2024-02-29T10:00:00.123+05:30",
      profileUrl: "https://example.com/b",
      photo: "aGVsbG8=",
    },
    resource: only({
      userName: "b",
      loginCount: 3,
      score: 2.5,
      birthday: "2024-02-29T10:00:00.123+05:30",
      profileUrl: "https://example.com/b",
      photo: "aGVsbG8=",
    }),
  },
  { name: "a decimal may be integral", body: { userName: "b", score: 4 }, resource: only({ userName: "b", score: 4 }) },
  { name: "dateTime with Z", body: { userName: "b", birthday: "2000-12-31T23:59:59Z" }, resource: only({ userName: "b", birthday: "2000-12-31T23:59:59Z" }) },
  { name: "dateTime without a zone", body: { userName: "b", birthday: "2024-01-01T00:00:00" }, resource: only({ userName: "b", birthday: "2024-01-01T00:00:00" }) },
  { name: "an empty string is a string", body: { userName: "b", displayName: "" }, resource: only({ userName: "b", displayName: "" }) },
  { name: "multi-valued simple values", body: { userName: "b", tags: ["a", "b"] }, resource: only({ userName: "b", tags: ["a", "b"] }) },

  // plain strings for complex values with a `value` sub-attribute
  {
    name: "members given as plain strings mean { value } (Microsoft collection)",
    body: { userName: "b", members: ["u-1", { value: "u-2", display: "Two" }] },
    resource: only({ userName: "b", members: [{ value: "u-1" }, { value: "u-2", display: "Two" }] }),
  },
  {
    name: "manager given as a plain id means { value } (Entra)",
    body: { userName: "b", [enterpriseUrn]: { manager: "m-1" } },
    resource: { schemas: [coreUrn, enterpriseUrn], userName: "b", [enterpriseUrn]: { manager: { value: "m-1" } } },
  },
  {
    name: "manager given as \"\" is unassigned (Entra's clear)",
    body: { userName: "b", [`${enterpriseUrn}:manager`]: "" },
    resource: only({ userName: "b" }),
  },

  // writeOnly, canonicalValues, primary, immutable
  {
    name: "writeOnly password is kept and flagged",
    body: { userName: "b", password: "t1meMa$heen" },
    resource: only({ userName: "b", password: "t1meMa$heen" }),
    writeOnly: ["password"],
  },
  {
    name: "no writeOnly flag without a writeOnly value",
    body: { userName: "b", password: null },
    resource: only({ userName: "b" }),
    writeOnly: [],
  },
  {
    name: "canonicalValues are not enforced on type",
    body: { userName: "b", emails: [{ value: "a@x", type: "Work Mobile" }], members: [{ value: "u-1", type: "Person" }] },
    resource: only({ userName: "b", emails: [{ value: "a@x", type: "Work Mobile" }], members: [{ value: "u-1", type: "Person" }] }),
  },
  {
    name: "one primary among many values",
    body: { userName: "b", emails: [{ value: "a@x", primary: true }, { value: "b@x", primary: false }, { value: "c@x" }] },
    resource: only({ userName: "b", emails: [{ value: "a@x", primary: true }, { value: "b@x", primary: false }, { value: "c@x" }] }),
  },
  {
    name: "immutable attributes are read like any other",
    body: { userName: "b", badge: "B-1", members: [{ value: "u-1" }] },
    resource: only({ userName: "b", badge: "B-1", members: [{ value: "u-1" }] }),
  },
  {
    name: "a required extension attribute is not needed when the extension is absent",
    body: { userName: "b", [badgeUrn]: { color: null } },
    resource: only({ userName: "b" }),
  },
];

const invalidValue = { status: 400, scimType: "invalidValue" } as const;
const invalidSyntax = { status: 400, scimType: "invalidSyntax" } as const;

export const rejectedCases: readonly RejectedCase[] = [
  // body shape
  { name: "null body", body: null, ...invalidSyntax, detail: "JSON object" },
  { name: "array body", body: [{ userName: "b" }], ...invalidSyntax, detail: "JSON object" },
  { name: "string body", body: "userName=b", ...invalidSyntax, detail: "JSON object" },
  { name: "number body", body: 42, ...invalidSyntax, detail: "JSON object" },
  { name: "an extension URN key holding a string", body: { userName: "b", [enterpriseUrn]: "x" }, ...invalidSyntax, detail: enterpriseUrn },
  { name: "an extension URN key holding an array", body: { userName: "b", [enterpriseUrn]: [{ department: "x" }] }, ...invalidSyntax, detail: enterpriseUrn },
  { name: "one attribute given twice in different case", body: { userName: "a", USERNAME: "b" }, ...invalidSyntax, detail: "userName" },
  {
    name: "one extension attribute given under the URN and URN-qualified",
    body: { userName: "a", [enterpriseUrn]: { department: "x" }, [`${enterpriseUrn}:Department`]: "y" },
    ...invalidSyntax,
    detail: `${enterpriseUrn}:department`,
  },

  // required (RFC 7643 §2.2, RFC 7644 §3.3, §3.5.1)
  { name: "missing userName", body: { displayName: "B" }, ...invalidValue, detail: "\"userName\"" },
  { name: "empty body", body: {}, ...invalidValue, detail: "\"userName\"" },
  { name: "null userName", body: { userName: null }, ...invalidValue, detail: "\"userName\"" },
  { name: "userName only in an unknown extension", body: { "urn:x:y": { userName: "b" } }, ...invalidValue, detail: "\"userName\"" },
  { name: "a member without value", body: { userName: "b", members: [{ display: "x" }] }, ...invalidValue, detail: "\"members.value\"" },
  { name: "a member with a null value", body: { userName: "b", members: [{ value: null, display: "x" }] }, ...invalidValue, detail: "\"members.value\"" },
  { name: "a present extension without its required attribute", body: { userName: "b", [badgeUrn]: { color: "red" } }, ...invalidValue, detail: `"${badgeUrn}:level"` },

  // strings
  { name: "a number for a string", body: { userName: "b", displayName: 42 }, ...invalidValue, detail: "\"displayName\"" },
  { name: "a boolean for a string", body: { userName: true }, ...invalidValue, detail: "\"userName\"" },
  { name: "an object for a string", body: { userName: { value: "b" } }, ...invalidValue, detail: "\"userName\"" },
  { name: "a number for a string sub-attribute", body: { userName: "b", name: { givenName: 1 } }, ...invalidValue, detail: "\"name.givenName\"" },
  { name: "a number for a URN-qualified extension string", body: { userName: "b", [`${enterpriseUrn}:employeeNumber`]: 7 }, ...invalidValue, detail: `"${enterpriseUrn}:employeeNumber"` },
  { name: "a number for a reference", body: { userName: "b", profileUrl: 1 }, ...invalidValue, detail: "\"profileUrl\"" },
  { name: "a number for a binary", body: { userName: "b", photo: 1 }, ...invalidValue, detail: "\"photo\"" },

  // booleans
  { name: "\"yes\" for a boolean", body: { userName: "b", active: "yes" }, ...invalidValue, detail: "\"active\"" },
  { name: "1 for a boolean", body: { userName: "b", active: 1 }, ...invalidValue, detail: "\"active\"" },
  { name: "\" true\" for a boolean", body: { userName: "b", active: " true" }, ...invalidValue, detail: "\"active\"" },
  { name: "a bad primary", body: { userName: "b", emails: [{ value: "a", primary: "maybe" }] }, ...invalidValue, detail: "\"emails.primary\"" },

  // numbers
  { name: "a numeric string for an integer", body: { userName: "b", loginCount: "3" }, ...invalidValue, detail: "\"loginCount\"" },
  { name: "a fraction for an integer", body: { userName: "b", loginCount: 2.5 }, ...invalidValue, detail: "\"loginCount\"" },
  { name: "a numeric string for a decimal", body: { userName: "b", score: "2.5" }, ...invalidValue, detail: "\"score\"" },
  { name: "a boolean for a decimal", body: { userName: "b", score: true }, ...invalidValue, detail: "\"score\"" },

  // dateTime (RFC 7643 §2.3.5)
  { name: "free text for a dateTime", body: { userName: "b", birthday: "yesterday" }, ...invalidValue, detail: "\"birthday\"" },
  { name: "a date without time", body: { userName: "b", birthday: "2024-01-01" }, ...invalidValue, detail: "\"birthday\"" },
  { name: "29 February in a common year", body: { userName: "b", birthday: "2023-02-29T00:00:00Z" }, ...invalidValue, detail: "\"birthday\"" },
  { name: "month 13", body: { userName: "b", birthday: "2024-13-01T00:00:00Z" }, ...invalidValue, detail: "\"birthday\"" },
  { name: "hour 25", body: { userName: "b", birthday: "2024-01-01T25:00:00Z" }, ...invalidValue, detail: "\"birthday\"" },
  { name: "epoch number for a dateTime", body: { userName: "b", birthday: 1700000000 }, ...invalidValue, detail: "\"birthday\"" },

  // complex and multi-valued
  { name: "a string for a complex attribute without a value sub-attribute", body: { userName: "b", name: "Barbara Jensen" }, ...invalidValue, detail: "\"name\"" },
  { name: "an array for a single-valued complex attribute", body: { userName: "b", name: [{ givenName: "B" }] }, ...invalidValue, detail: "\"name\"" },
  { name: "a number for a complex value with a value sub-attribute", body: { userName: "b", [enterpriseUrn]: { manager: 5 } }, ...invalidValue, detail: `"${enterpriseUrn}:manager"` },
  { name: "a single object for a multi-valued attribute", body: { userName: "b", emails: { value: "a@x" } }, ...invalidValue, detail: "\"emails\"" },
  { name: "a single string for multi-valued members", body: { userName: "b", members: "u-1" }, ...invalidValue, detail: "\"members\"" },
  { name: "a single string for a multi-valued string", body: { userName: "b", tags: "a" }, ...invalidValue, detail: "\"tags\"" },
  { name: "a wrongly typed element", body: { userName: "b", tags: ["a", 1] }, ...invalidValue, detail: "\"tags\"" },
  { name: "a number element for a multi-valued complex", body: { userName: "b", emails: [5] }, ...invalidValue, detail: "\"emails\"" },

  // primary (RFC 7643 §2.4)
  {
    name: "two primary values",
    body: { userName: "b", emails: [{ value: "a@x", primary: true }, { value: "b@x", primary: "True" }] },
    ...invalidValue,
    detail: "\"emails\"",
  },

  // writeOnly values never echoed
  { name: "a number password", body: { userName: "b", password: 12345678 }, ...invalidValue, detail: "\"password\"", secret: "12345678" },
  { name: "another error next to a password", body: { userName: 5, password: "hunter2" }, ...invalidValue, detail: "\"userName\"", secret: "hunter2" },
];
