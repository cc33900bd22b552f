// matches() over a small directory: how many of six Users (core plus Enterprise User, rendered as the
// server returns them) each filter selects; and every string operator against values that differ from
// the filter's only in case, length or position, for a case-insensitive and a case-exact attribute.

const core = "urn:ietf:params:scim:schemas:core:2.0:User";
const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const rosaId = "3b1c9e4f-0d7a-4c1e-9b2a-6f5d8e7c1a20";

/** Resolved against test-schemas.ts's enterpriseUserRegistry. */
export const seededUsers: readonly Record<string, unknown>[] = [
  {
    schemas: [core, enterprise],
    id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    userName: "dana.kim",
    displayName: "Dana Kim",
    name: { givenName: "Dana", familyName: "Kim" },
    userType: "Employee",
    title: "Engineer",
    active: true,
    emails: [
      { value: "dana.kim@example.com", type: "work", primary: true },
      { value: "dana@home.example", type: "home" },
    ],
    meta: { created: "2023-01-10T09:00:00Z", lastModified: "2024-05-01T12:00:00Z" },
    [enterprise]: {
      employeeNumber: "1001",
      department: "Engineering",
      organization: "Example Corp",
      manager: { value: rosaId, displayName: "Rosa Diaz" },
    },
  },
  {
    schemas: [core, enterprise],
    id: rosaId,
    userName: "rosa.diaz",
    displayName: "Rosa Diaz",
    name: { givenName: "Rosa", familyName: "Diaz" },
    userType: "Employee",
    title: "Engineering Manager",
    active: true,
    emails: [{ value: "rosa.diaz@example.com", type: "work", primary: true }],
    phoneNumbers: [{ value: "+1 555 0100", type: "mobile" }],
    meta: { created: "2021-03-02T08:15:00Z", lastModified: "2022-11-30T23:59:59Z" },
    [enterprise]: { employeeNumber: "1002", department: "engineering", organization: "Example Corp" },
  },
  {
    schemas: [core],
    userName: "Li.Chen",
    name: { givenName: "Li", familyName: "Chen" },
    userType: "Contractor",
    active: false,
    emails: [
      { value: "li.chen@partner.example", type: "work" },
      { value: "li@home.example", type: "other" },
    ],
    meta: { lastModified: "2024-06-15T07:45:00+02:00" },
  },
  {
    schemas: [core, enterprise],
    userName: "omar.king",
    userType: "Intern",
    title: "Intern",
    active: true,
    addresses: [{ type: "work", locality: "Lisbon", country: "PT" }],
    [enterprise]: { department: "Sales", manager: { value: rosaId, displayName: "Rosa Diaz" } },
  },
  {
    schemas: [core],
    userName: "svc-backup",
    displayName: "Backup job",
    active: true,
  },
  {
    schemas: [core],
    userName: "zoe.adams",
    name: { familyName: "Adams" },
    userType: "employee",
    emails: [{ value: "zoe.adams@Example.COM", type: "Work" }],
  },
];

export interface CountCase {
  readonly name: string;
  readonly filter: string;
  /** How many of seededUsers match. */
  readonly count: number;
}

export const countCases: readonly CountCase[] = [
  // comparison operators on userName (caseExact false, so "Li.Chen" is "li.chen")
  { name: "eq", filter: 'userName eq "dana.kim"', count: 1 },
  { name: "eq in another case", filter: 'userName eq "LI.CHEN"', count: 1 },
  { name: "ne: everyone else", filter: 'userName ne "dana.kim"', count: 5 },
  { name: "ne: an absent title matches no comparison", filter: 'title ne "Intern"', count: 2 },
  { name: "co", filter: 'userName co "ki"', count: 2 },
  { name: "sw with the core URN", filter: `${core}:userName sw "O"`, count: 1 },
  { name: "ew on a multi-valued attribute, case-insensitively", filter: 'emails.value ew "@example.com"', count: 3 },
  { name: "gt orders the folded form", filter: 'userName gt "omar.king"', count: 3 },
  { name: "ge", filter: 'userName ge "omar.king"', count: 4 },
  { name: "lt", filter: 'userName lt "omar.king"', count: 2 },
  { name: "le", filter: 'userName le "omar.king"', count: 3 },
  { name: "pr", filter: "title pr", count: 3 },
  { name: "pr on a multi-valued attribute", filter: "emails pr", count: 4 },
  { name: "eq null: no value", filter: "displayName eq null", count: 3 },

  // booleans and dateTimes
  { name: "a boolean: false", filter: "active eq false", count: 1 },
  { name: "a boolean: an absent one is not false", filter: "active ne true", count: 1 },
  { name: "dateTime gt", filter: 'meta.lastModified gt "2024-01-01T00:00:00Z"', count: 2 },
  { name: "dateTime le the same instant in another offset", filter: 'meta.lastModified le "2022-12-01T00:59:59+01:00"', count: 1 },
  { name: "dateTime lt compares instants, not local times", filter: 'meta.lastModified lt "2024-06-15T07:45:00Z"', count: 3 },
  { name: "dateTime ge the instant of a value stored with an offset", filter: 'meta.lastModified ge "2024-06-15T05:45:00Z"', count: 1 },

  // value paths: one element satisfies the whole bracket
  { name: "value path", filter: 'emails[type eq "work"]', count: 4 },
  { name: "value path: no one element has both", filter: 'emails[type eq "work" and value co "home"]', count: 0 },
  { name: "without brackets the two may be different elements", filter: 'emails.type eq "work" and emails.value co "home"', count: 2 },
  { name: "Entra form", filter: 'emails[type eq "work"].value eq "rosa.diaz@example.com"', count: 1 },
  { name: "value path on addresses", filter: 'addresses[type eq "work" and country eq "PT"]', count: 1 },
  { name: "value path on phoneNumbers", filter: 'phoneNumbers[type eq "mobile"]', count: 1 },

  // logic
  { name: "and", filter: 'userType eq "employee" and active eq true', count: 2 },
  { name: "or", filter: 'userType eq "Intern" or userType eq "Contractor"', count: 2 },
  { name: "not: includes users without userType", filter: 'not (userType eq "Employee")', count: 3 },
  { name: "and before or", filter: 'userType eq "Employee" or userType eq "Intern" and title pr', count: 4 },
  { name: "parentheses first", filter: '(userType eq "Employee" or userType eq "Intern") and title pr', count: 3 },

  // schemas and the Enterprise User extension
  { name: "schemas", filter: `schemas eq "${enterprise}"`, count: 3 },
  { name: "extension attribute with its URN, case-insensitively", filter: `${enterprise}:department eq "Engineering"`, count: 2 },
  { name: "extension sub-attribute", filter: `${enterprise}:manager.displayName eq "Rosa Diaz"`, count: 2 },
  { name: "extension complex attribute without URN compares its value", filter: `manager eq "${rosaId}"`, count: 2 },
  { name: "extension pr", filter: `${enterprise}:organization pr`, count: 2 },
  { name: "not pr on an extension attribute", filter: `not (${enterprise}:employeeNumber pr)`, count: 4 },
];

export interface MatrixCase {
  readonly caseExact: boolean;
  readonly filter: string;
  readonly value: string;
  readonly matches: boolean;
}

const matrixValues = ["Ab", "aB", "AB", "Abc", "xAb", "A", "b"] as const;
type MatrixValue = (typeof matrixValues)[number];

/**
 * `str OP "Ab"`: for each operator, the values of str that match. Case-insensitive attributes compare
 * lower-cased ("ab"); case-exact ones by UTF-16 code unit, where "A" < "B" < "a" < "b".
 */
const stringMatrix: Readonly<Record<"caseInsensitive" | "caseExact", Readonly<Record<string, readonly MatrixValue[]>>>> = {
  caseInsensitive: {
    eq: ["Ab", "aB", "AB"],
    ne: ["Abc", "xAb", "A", "b"],
    co: ["Ab", "aB", "AB", "Abc", "xAb"],
    sw: ["Ab", "aB", "AB", "Abc"],
    ew: ["Ab", "aB", "AB", "xAb"],
    gt: ["Abc", "xAb", "b"],
    ge: ["Ab", "aB", "AB", "Abc", "xAb", "b"],
    lt: ["A"],
    le: ["Ab", "aB", "AB", "A"],
  },
  caseExact: {
    eq: ["Ab"],
    ne: ["aB", "AB", "Abc", "xAb", "A", "b"],
    co: ["Ab", "Abc", "xAb"],
    sw: ["Ab", "Abc"],
    ew: ["Ab", "xAb"],
    gt: ["aB", "Abc", "xAb", "b"],
    ge: ["Ab", "aB", "Abc", "xAb", "b"],
    lt: ["AB", "A"],
    le: ["Ab", "AB", "A"],
  },
};

/** One row per (caseExact, operator, value of str): does `str OP "Ab"` match `{str: value}`? */
export const matrixCases: readonly MatrixCase[] = [false, true].flatMap((caseExact) =>
  Object.entries(stringMatrix[caseExact ? "caseExact" : "caseInsensitive"]).flatMap(([op, matching]) =>
    matrixValues.map((value) => ({ caseExact, filter: `str ${op} "Ab"`, value, matches: matching.includes(value) })),
  ),
);
