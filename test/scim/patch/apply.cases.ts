import type { ScimType } from "../../../src/scim/errors.ts";
import { enterpriseUserUrn as ext, userUrn } from "../../../src/scim/schema/urns.ts";
import { badgeUrn } from "../resource/test-schemas.ts";
import type { PatchTargetName } from "./targets.ts";

// applyPatch (RFC 7644 §3.5.2): a stored resource's attributes, a client's operations, the result.
// Operations are written as clients send them and read by readPatchRequest and the client quirks
// first, as the services do.

type Attributes = Record<string, unknown>;

export interface AppliedCase {
  readonly name: string;
  readonly target?: PatchTargetName;
  readonly before?: Attributes;
  readonly operations: readonly unknown[];
  /** The whole result; compared with toEqual, so anything extra or missing fails. */
  readonly after: Attributes;
}

export interface RejectedCase {
  readonly name: string;
  readonly target?: PatchTargetName;
  readonly before?: Attributes;
  readonly operations: readonly unknown[];
  readonly scimType: ScimType;
  /** Text the detail must contain (usually the path). */
  readonly detail: string;
}

/** The stored User most cases start from. */
export const bjensen: Attributes = {
  userName: "bjensen",
  active: true,
  name: { givenName: "Barbara", familyName: "Jensen" },
  emails: [
    { value: "bjensen@work.example", type: "work", primary: true },
    { value: "babs@home.example", type: "home" },
  ],
  [ext]: { employeeNumber: "701984", manager: { value: "boss-id" } },
};

const emails = bjensen.emails as Attributes[];
const [workEmail, homeEmail] = emails as [Attributes, Attributes];
const extension = bjensen[ext] as Attributes;

const user = (changes: Attributes): Attributes => ({ ...bjensen, ...changes });
const withExtension = (changes: Attributes): Attributes => user({ [ext]: { ...extension, ...changes } });
const withoutKey = (source: Attributes, key: string): Attributes =>
  Object.fromEntries(Object.entries(source).filter(([name]) => name !== key));

export const appliedCases: readonly AppliedCase[] = [
  // path forms
  {
    name: "attribute path",
    operations: [{ op: "replace", path: "displayName", value: "Babs" }],
    after: user({ displayName: "Babs" }),
  },
  {
    name: "attribute path in another case",
    operations: [{ op: "replace", path: "DISPLAYNAME", value: "Babs" }],
    after: user({ displayName: "Babs" }),
  },
  {
    name: "sub-attribute path",
    operations: [{ op: "replace", path: "name.familyName", value: "Jensen-Smith" }],
    after: user({ name: { givenName: "Barbara", familyName: "Jensen-Smith" } }),
  },
  {
    name: "sub-attribute path of a complex attribute that has no value yet",
    before: withoutKey(bjensen, "name"),
    operations: [{ op: "add", path: "name.givenName", value: "Barbara" }],
    after: user({ name: { givenName: "Barbara" } }),
  },
  {
    name: "value filter: replace the matching element",
    operations: [{ op: "replace", path: 'emails[type eq "work"]', value: { value: "new@work.example", type: "work" } }],
    after: user({ emails: [{ value: "new@work.example", type: "work", primary: true }, homeEmail] }),
  },
  {
    name: "value filter + sub-attribute: replace in place, no second entry",
    operations: [{ op: "replace", path: 'emails[type eq "work"].value', value: "new@work.example" }],
    after: user({ emails: [{ ...workEmail, value: "new@work.example" }, homeEmail] }),
  },
  {
    name: "value filter + sub-attribute: Entra's Add on an existing value replaces it",
    operations: [{ op: "Add", path: 'emails[type eq "work"].value', value: "new@work.example" }],
    after: user({ emails: [{ ...workEmail, value: "new@work.example" }, homeEmail] }),
  },
  {
    name: "value filter on a sub-attribute value (case-insensitive string)",
    operations: [{ op: "replace", path: 'emails[value eq "BABS@HOME.EXAMPLE"].type', value: "other" }],
    after: user({ emails: [workEmail, { ...homeEmail, type: "other" }] }),
  },
  {
    name: "value filter with and",
    operations: [{ op: "replace", path: 'emails[type eq "work" and primary eq true].display', value: "Work" }],
    after: user({ emails: [{ ...workEmail, display: "Work" }, homeEmail] }),
  },
  {
    name: "URN-qualified core attribute",
    operations: [{ op: "replace", path: `${userUrn}:name.givenName`, value: "Babs" }],
    after: user({ name: { givenName: "Babs", familyName: "Jensen" } }),
  },
  {
    name: "URN-qualified core value filter + sub-attribute",
    operations: [{ op: "replace", path: `${userUrn}:emails[type eq "home"].value`, value: "b@home.example" }],
    after: user({ emails: [workEmail, { ...homeEmail, value: "b@home.example" }] }),
  },
  {
    name: "URN-qualified extension attribute",
    operations: [{ op: "Replace", path: `${ext}:employeeNumber`, value: "42" }],
    after: withExtension({ employeeNumber: "42" }),
  },
  {
    name: "URN-qualified extension attribute, URN and name in another case",
    operations: [{ op: "add", path: `${ext.toUpperCase()}:Department`, value: "Sales" }],
    after: withExtension({ department: "Sales" }),
  },
  {
    name: "URN-qualified extension sub-attribute",
    operations: [{ op: "replace", path: `${ext}:manager.value`, value: "other-boss" }],
    after: withExtension({ manager: { value: "other-boss" } }),
  },
  {
    name: "extension attribute on a user without the extension",
    before: withoutKey(bjensen, ext),
    operations: [{ op: "add", path: `${ext}:department`, value: "Sales" }],
    after: user({ [ext]: { department: "Sales" } }),
  },
  {
    name: "bare extension URN with an object value (scim2-tester): add merges",
    operations: [{ op: "add", path: ext, value: { department: "Sales", manager: { value: "other-boss" } } }],
    after: withExtension({ department: "Sales", manager: { value: "other-boss" } }),
  },
  {
    name: "bare extension URN with an object value: replace sets the attributes given",
    operations: [{ op: "replace", path: ext, value: { employeeNumber: "1", costCenter: "CC" } }],
    after: withExtension({ employeeNumber: "1", costCenter: "CC" }),
  },
  {
    name: "bare extension URN: read-only attributes in the value are skipped",
    operations: [{ op: "add", path: ext, value: { department: "Sales", manager: { value: "m", displayName: "Boss" } } }],
    after: withExtension({ department: "Sales", manager: { value: "m" } }),
  },
  {
    name: "bare extension URN: remove drops the extension",
    operations: [{ op: "remove", path: ext }],
    after: withoutKey(bjensen, ext),
  },
  {
    name: "no path: plain attribute names",
    operations: [{ op: "replace", value: { displayName: "Babs", title: "Tour Guide" } }],
    after: user({ displayName: "Babs", title: "Tour Guide" }),
  },
  {
    name: "no path: dotted and URN-qualified keys, booleans as strings (aadOptscim062020)",
    operations: [
      {
        op: "replace",
        value: {
          displayName: "Bjfe",
          "name.givenName": "Kkom",
          "name.familyName": "Unua",
          [`${ext}:employeeNumber`]: "Aklq",
          active: "False",
        },
      },
    ],
    after: user({
      displayName: "Bjfe",
      name: { givenName: "Kkom", familyName: "Unua" },
      active: false,
      [ext]: { ...extension, employeeNumber: "Aklq" },
    }),
  },
  {
    name: "no path: the extension URN as a key holding an object",
    operations: [{ op: "add", value: { [ext]: { department: "Sales" } } }],
    after: withExtension({ department: "Sales" }),
  },
  {
    name: "no path: read-only id, meta and schemas echoed back are ignored (Okta)",
    operations: [
      { op: "replace", value: { id: "someone-else", meta: { created: "2020-01-01T00:00:00Z" }, schemas: [userUrn], active: false } },
    ],
    after: user({ active: false }),
  },
  {
    name: "no path: unknown keys are ignored",
    operations: [{ op: "replace", value: { nickname2: "x", nickName: "Babs" } }],
    after: user({ nickName: "Babs" }),
  },
  {
    name: "no path: add to a multi-valued attribute appends",
    operations: [{ op: "add", value: { phoneNumbers: [{ value: "555-0100", type: "work" }] } }],
    after: user({ phoneNumbers: [{ value: "555-0100", type: "work" }] }),
  },

  // op names and values
  {
    name: "op in any case, extra operation properties ignored",
    operations: [{ op: "rEpLaCe", path: "title", value: "Boss", name: "setTitle" }],
    after: user({ title: "Boss" }),
  },
  {
    name: "Entra's default job: active as the string \"False\"",
    operations: [{ op: "Replace", path: "active", value: "False" }],
    after: user({ active: false }),
  },
  {
    name: "active as the string \"True\"",
    before: user({ active: false }),
    operations: [{ op: "Replace", path: "active", value: "True" }],
    after: user({ active: true }),
  },
  {
    name: "add on a single-valued attribute with a value replaces it",
    operations: [{ op: "add", path: "name.givenName", value: "Babs" }],
    after: user({ name: { givenName: "Babs", familyName: "Jensen" } }),
  },
  {
    name: "add a single-valued string (Entra nickName)",
    operations: [{ op: "Add", path: "nickName", value: "Babs" }],
    after: user({ nickName: "Babs" }),
  },
  {
    name: "add to a complex attribute merges sub-attributes",
    operations: [{ op: "add", path: "name", value: { middleName: "Jane" } }],
    after: user({ name: { givenName: "Barbara", familyName: "Jensen", middleName: "Jane" } }),
  },
  {
    name: "replace of a complex attribute keeps the sub-attributes not given (RFC 7644 §3.5.2.3)",
    operations: [{ op: "replace", path: "name", value: { familyName: "Smith" } }],
    after: user({ name: { givenName: "Barbara", familyName: "Smith" } }),
  },
  {
    name: "replace with null clears (Entra null update)",
    before: user({ title: "Boss" }),
    operations: [{ op: "Replace", path: "title", value: null }],
    after: bjensen,
  },
  {
    name: "replace with \"\" clears (Entra null update)",
    before: user({ title: "Boss" }),
    operations: [{ op: "Replace", path: "title", value: "" }],
    after: bjensen,
  },
  {
    name: "manager as a plain id is stored as {value}",
    operations: [{ op: "Add", path: `${ext}:manager`, value: "new-boss" }],
    after: withExtension({ manager: { value: "new-boss" } }),
  },
  {
    name: "manager cleared with \"\"",
    operations: [{ op: "Replace", path: `${ext}:manager`, value: "" }],
    after: user({ [ext]: { employeeNumber: "701984" } }),
  },
  {
    name: "manager cleared with Remove",
    operations: [{ op: "Remove", path: `${ext}:manager` }],
    after: user({ [ext]: { employeeNumber: "701984" } }),
  },
  {
    // The $ref is readOnly (the server builds it from value), so the one Entra sends is dropped.
    name: "Entra's reference code: manager unqualified, as a list of one {$ref, value}",
    operations: [{ op: "Add", path: "manager", value: [{ $ref: "https://example.com/Users/new-boss", value: "new-boss" }] }],
    after: withExtension({ manager: { value: "new-boss" } }),
  },
  {
    name: "no path: an unqualified extension attribute",
    operations: [{ op: "replace", value: { department: "Sales" } }],
    after: withExtension({ department: "Sales" }),
  },
  {
    name: "removing the last extension attribute drops the extension",
    before: user({ [ext]: { department: "Sales" } }),
    operations: [{ op: "remove", path: `${ext}:department` }],
    after: withoutKey(bjensen, ext),
  },
  {
    name: "writeOnly password comes back for the service to hash",
    operations: [{ op: "replace", path: "password", value: "t1meMa$heen" }],
    after: user({ password: "t1meMa$heen" }),
  },

  // multi-valued attributes
  {
    name: "add to a multi-valued attribute appends",
    operations: [{ op: "add", path: "emails", value: [{ value: "b@other.example", type: "other" }] }],
    after: user({ emails: [...emails, { value: "b@other.example", type: "other" }] }),
  },
  {
    name: "add of a single object to a multi-valued attribute",
    operations: [{ op: "add", path: "emails", value: { value: "b@other.example", type: "other" } }],
    after: user({ emails: [...emails, { value: "b@other.example", type: "other" }] }),
  },
  {
    name: "add merges without duplicates: the same element again is no change",
    operations: [{ op: "add", path: "emails", value: [workEmail, homeEmail] }],
    after: bjensen,
  },
  {
    name: "add merges without duplicates: an existing value without its primary flag",
    operations: [{ op: "add", path: "emails", value: [{ value: "bjensen@work.example", type: "work" }] }],
    after: bjensen,
  },
  {
    name: "add merges without duplicates: an existing value in another case (caseExact false)",
    operations: [{ op: "add", path: "emails", value: [{ value: "BJENSEN@WORK.EXAMPLE", type: "work" }] }],
    after: bjensen,
  },
  {
    name: "add merges without duplicates: only the new values of a list are appended",
    operations: [{ op: "add", path: "emails", value: [{ value: "babs@home.example", type: "home" }, { value: "b@other.example" }] }],
    after: user({ emails: [...emails, { value: "b@other.example" }] }),
  },
  {
    name: "add merges without duplicates: duplicates within the added list",
    operations: [{ op: "add", path: "emails", value: [{ value: "b@other.example" }, { value: "b@other.example" }] }],
    after: user({ emails: [...emails, { value: "b@other.example" }] }),
  },
  {
    name: "add of an existing value with primary:true makes it the primary",
    operations: [{ op: "add", path: "emails", value: [{ value: "babs@home.example", type: "home", primary: true }] }],
    after: user({ emails: [{ ...workEmail, primary: false }, { ...homeEmail, primary: true }] }),
  },
  {
    name: "add of an empty list is no change",
    operations: [{ op: "add", path: "emails", value: [] }],
    after: bjensen,
  },
  {
    name: "primary:true on an added value clears the others",
    operations: [{ op: "add", path: "emails", value: [{ value: "b@other.example", type: "other", primary: true }] }],
    after: user({ emails: [{ ...workEmail, primary: false }, homeEmail, { value: "b@other.example", type: "other", primary: true }] }),
  },
  {
    name: "primary:true set through a filter clears the others",
    operations: [{ op: "replace", path: 'emails[type eq "home"].primary', value: true }],
    after: user({ emails: [{ ...workEmail, primary: false }, { ...homeEmail, primary: true }] }),
  },
  {
    name: "primary:true on a filtered element created by add clears the others",
    operations: [{ op: "add", path: 'emails[type eq "other"]', value: { value: "b@other.example", primary: true } }],
    after: user({ emails: [{ ...workEmail, primary: false }, homeEmail, { type: "other", value: "b@other.example", primary: true }] }),
  },
  {
    name: "replace of a multi-valued attribute swaps the whole list",
    operations: [{ op: "replace", path: "emails", value: [{ value: "only@example.com" }] }],
    after: user({ emails: [{ value: "only@example.com" }] }),
  },
  {
    name: "replace of a multi-valued attribute with [] clears it",
    operations: [{ op: "replace", path: "emails", value: [] }],
    after: withoutKey(bjensen, "emails"),
  },
  {
    name: "sub-attribute of a multi-valued attribute: every element",
    operations: [{ op: "replace", path: "emails.type", value: "other" }],
    after: user({ emails: emails.map((email) => ({ ...email, type: "other" })) }),
  },
  {
    name: "filtered replace on a missing element creates it (phoneNumbers[type eq \"mobile\"].value)",
    operations: [{ op: "Replace", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0100" }],
    after: user({ phoneNumbers: [{ type: "mobile", value: "+1 555 0100" }] }),
  },
  {
    name: "filtered add on a missing element creates it",
    operations: [{ op: "Add", path: 'emails[type eq "other"].value', value: "b@other.example" }],
    after: user({ emails: [...emails, { type: "other", value: "b@other.example" }] }),
  },
  {
    name: "filtered add without a sub-attribute on a missing element creates it from the filter and the value",
    operations: [{ op: "add", path: 'addresses[type eq "work"]', value: { locality: "Oslo" } }],
    after: user({ addresses: [{ type: "work", locality: "Oslo" }] }),
  },
  {
    name: "filtered replace with an and of equalities creates an element with both",
    operations: [{ op: "replace", path: 'ims[type eq "aim" and display eq "Babs"].value', value: "babs42" }],
    after: user({ ims: [{ type: "aim", display: "Babs", value: "babs42" }] }),
  },
  {
    name: "filtered remove of an element",
    operations: [{ op: "remove", path: 'emails[type eq "home"]' }],
    after: user({ emails: [workEmail] }),
  },
  {
    name: "filtered remove of a sub-attribute",
    operations: [{ op: "remove", path: 'emails[type eq "home"].type' }],
    after: user({ emails: [workEmail, { value: "babs@home.example" }] }),
  },
  {
    name: "filtered remove that matches nothing is no change",
    operations: [{ op: "remove", path: 'emails[type eq "other"]' }],
    after: bjensen,
  },
  {
    name: "remove of the last element drops the attribute",
    before: user({ emails: [workEmail] }),
    operations: [{ op: "remove", path: 'emails[value eq "bjensen@work.example"]' }],
    after: withoutKey(bjensen, "emails"),
  },
  {
    name: "remove of a multi-valued attribute with a value list removes those values (Entra's form)",
    operations: [{ op: "Remove", path: "emails", value: [{ value: "babs@home.example" }] }],
    after: user({ emails: [workEmail] }),
  },
  {
    name: "remove of a whole multi-valued attribute",
    operations: [{ op: "remove", path: "emails" }],
    after: withoutKey(bjensen, "emails"),
  },
  {
    name: "remove of an attribute without a value is no change",
    operations: [{ op: "remove", path: "title" }],
    after: bjensen,
  },

  // several operations
  {
    name: "operations apply in order",
    operations: [
      { op: "add", path: "title", value: "First" },
      { op: "replace", path: "title", value: "Second" },
      { op: "remove", path: 'emails[type eq "home"]' },
      { op: "add", path: "emails", value: [{ value: "b@other.example", type: "other" }] },
    ],
    after: user({ title: "Second", emails: [workEmail, { value: "b@other.example", type: "other" }] }),
  },
  {
    name: "Entra multi-valued update: work email and familyName in one request",
    operations: [
      { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
      { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
    ],
    after: user({
      name: { givenName: "Barbara", familyName: "updatedFamilyName" },
      emails: [{ ...workEmail, value: "updatedEmail@microsoft.com" }, homeEmail],
    }),
  },

  // Group attributes (members are split off by the service: members.cases.ts)
  {
    name: "Group: displayName",
    target: "Group",
    before: { displayName: "Tour Guides" },
    operations: [{ op: "Replace", path: "displayName", value: "Guides" }],
    after: { displayName: "Guides" },
  },
  {
    name: "Group: externalId added",
    target: "Group",
    before: { displayName: "Tour Guides" },
    operations: [{ op: "add", path: "externalId", value: "ext-1" }],
    after: { displayName: "Tour Guides", externalId: "ext-1" },
  },
  {
    name: "Group: externalId removed",
    target: "Group",
    before: { displayName: "Tour Guides", externalId: "ext-1" },
    operations: [{ op: "remove", path: "externalId" }],
    after: { displayName: "Tour Guides" },
  },
  {
    name: "Group: Okta's rename sends the id along in a path-less value",
    target: "Group",
    before: { displayName: "Tour Guides" },
    operations: [{ op: "replace", value: { id: "the-group-id", displayName: "Guides" } }],
    after: { displayName: "Guides" },
  },
  {
    name: "Group: URN-qualified displayName",
    target: "Group",
    before: { displayName: "Tour Guides" },
    operations: [{ op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:Group:displayName", value: "Guides" }],
    after: { displayName: "Guides" },
  },

  // immutable attributes (test Account schema: the RFC User and Group have none outside members)
  {
    name: "immutable: first assignment by add",
    target: "Account",
    before: { userName: "a" },
    operations: [{ op: "add", path: "badge", value: "B-1" }],
    after: { userName: "a", badge: "B-1" },
  },
  {
    name: "immutable: replace with the same value",
    target: "Account",
    before: { userName: "a", badge: "B-1" },
    operations: [{ op: "replace", path: "badge", value: "b-1" }],
    after: { userName: "a", badge: "b-1" },
  },
  {
    name: "immutable: a readWrite sibling of an immutable sub-attribute",
    target: "Account",
    before: { userName: "a", device: { serialNumber: "S-1", model: "X" } },
    operations: [{ op: "replace", path: "device.model", value: "Y" }],
    after: { userName: "a", device: { serialNumber: "S-1", model: "Y" } },
  },
  {
    name: "immutable: extension attribute first assigned",
    target: "Account",
    before: { userName: "a", [badgeUrn]: { level: 1 } },
    operations: [{ op: "add", path: `${badgeUrn}:issuer`, value: "hr" }],
    after: { userName: "a", [badgeUrn]: { level: 1, issuer: "hr" } },
  },
];

export const rejectedCases: readonly RejectedCase[] = [
  // readOnly
  { name: "readOnly id", operations: [{ op: "replace", path: "id", value: "x" }], scimType: "mutability", detail: '"id"' },
  {
    name: "readOnly meta sub-attribute",
    operations: [{ op: "replace", path: "meta.created", value: "2020-01-01T00:00:00Z" }],
    scimType: "mutability",
    detail: "meta.created",
  },
  { name: "readOnly meta", operations: [{ op: "remove", path: "meta" }], scimType: "mutability", detail: "meta" },
  { name: "readOnly groups", operations: [{ op: "add", path: "groups", value: [{ value: "g" }] }], scimType: "mutability", detail: "groups" },
  {
    name: "readOnly groups through a filter",
    operations: [{ op: "remove", path: 'groups[value eq "g"]' }],
    scimType: "mutability",
    detail: "groups",
  },
  {
    name: "readOnly extension sub-attribute",
    operations: [{ op: "replace", path: `${ext}:manager.displayName`, value: "Boss" }],
    scimType: "mutability",
    detail: "manager.displayName",
  },

  // immutable
  {
    name: "immutable attribute changed",
    target: "Account",
    before: { userName: "a", badge: "B-1" },
    operations: [{ op: "replace", path: "badge", value: "B-2" }],
    scimType: "mutability",
    detail: "badge",
  },
  {
    name: "immutable attribute changed by add",
    target: "Account",
    before: { userName: "a", badge: "B-1" },
    operations: [{ op: "add", path: "badge", value: "B-2" }],
    scimType: "mutability",
    detail: "badge",
  },
  {
    name: "immutable attribute changed without a path",
    target: "Account",
    before: { userName: "a", badge: "B-1" },
    operations: [{ op: "replace", value: { badge: "B-2" } }],
    scimType: "mutability",
    detail: "badge",
  },
  {
    name: "immutable attribute removed",
    target: "Account",
    before: { userName: "a", badge: "B-1" },
    operations: [{ op: "remove", path: "badge" }],
    scimType: "mutability",
    detail: "badge",
  },
  {
    name: "immutable attribute cleared with null",
    target: "Account",
    before: { userName: "a", badge: "B-1" },
    operations: [{ op: "replace", path: "badge", value: null }],
    scimType: "mutability",
    detail: "badge",
  },
  {
    name: "immutable sub-attribute changed",
    target: "Account",
    before: { userName: "a", device: { serialNumber: "S-1" } },
    operations: [{ op: "replace", path: "device.serialNumber", value: "S-2" }],
    scimType: "mutability",
    detail: "device.serialNumber",
  },
  {
    name: "immutable sub-attribute removed",
    target: "Account",
    before: { userName: "a", device: { serialNumber: "S-1", model: "X" } },
    operations: [{ op: "remove", path: "device.serialNumber" }],
    scimType: "mutability",
    detail: "device.serialNumber",
  },
  {
    name: "immutable extension attribute changed through the bare URN",
    target: "Account",
    before: { userName: "a", [badgeUrn]: { level: 1, issuer: "hr" } },
    operations: [{ op: "replace", path: badgeUrn, value: { issuer: "it" } }],
    scimType: "mutability",
    detail: "issuer",
  },
  {
    name: "immutable extension attribute removed with its extension",
    target: "Account",
    before: { userName: "a", [badgeUrn]: { level: 1, issuer: "hr" } },
    operations: [{ op: "remove", path: badgeUrn }],
    scimType: "mutability",
    detail: "issuer",
  },

  // paths
  { name: "unknown attribute", operations: [{ op: "replace", path: "nickname2", value: "x" }], scimType: "invalidPath", detail: "nickname2" },
  { name: "unknown sub-attribute", operations: [{ op: "replace", path: "name.nickName", value: "x" }], scimType: "invalidPath", detail: "name.nickName" },
  { name: "sub-attribute of a simple attribute", operations: [{ op: "replace", path: "title.value", value: "x" }], scimType: "invalidPath", detail: "title.value" },
  { name: "unknown schema URN", operations: [{ op: "replace", path: "urn:example:unknown:2.0:User:title", value: "x" }], scimType: "invalidPath", detail: "urn:example" },
  {
    name: "core attribute under the extension URN",
    operations: [{ op: "replace", path: `${ext}:userName`, value: "x" }],
    scimType: "invalidPath",
    detail: "userName",
  },
  {
    name: "extension attribute under the core URN",
    operations: [{ op: "replace", path: `${userUrn}:employeeNumber`, value: "x" }],
    scimType: "invalidPath",
    detail: "employeeNumber",
  },
  {
    name: "unknown attribute in a value filter",
    operations: [{ op: "replace", path: 'emails[kind eq "work"].value', value: "x" }],
    scimType: "invalidPath",
    detail: "emails",
  },
  {
    name: "unknown sub-attribute after a value filter",
    operations: [{ op: "replace", path: 'emails[type eq "work"].address', value: "x" }],
    scimType: "invalidPath",
    detail: "address",
  },
  {
    name: "malformed value filter",
    operations: [{ op: "replace", path: 'emails[type eq "work"', value: "x" }],
    scimType: "invalidPath",
    detail: "emails",
  },
  {
    name: "schemas is no attribute to patch",
    operations: [{ op: "replace", path: "schemas", value: [userUrn] }],
    scimType: "invalidPath",
    detail: "schemas",
  },

  // targets
  { name: "remove without a path", operations: [{ op: "remove" }], scimType: "noTarget", detail: "path" },
  {
    name: "remove without a path, even with a value",
    operations: [{ op: "Remove", value: { title: "x" } }],
    scimType: "noTarget",
    detail: "path",
  },
  {
    name: "filtered add matching nothing whose filter describes no element",
    operations: [{ op: "add", path: 'emails[type eq "a" or type eq "b"].value', value: "x@example.com" }],
    scimType: "noTarget",
    detail: "emails",
  },
  {
    name: "filtered replace matching nothing whose filter is no equality",
    operations: [{ op: "replace", path: 'emails[value co "nobody"].type', value: "work" }],
    scimType: "noTarget",
    detail: "emails",
  },

  // values
  { name: "remove of the required userName", operations: [{ op: "remove", path: "userName" }], scimType: "invalidValue", detail: "userName" },
  {
    name: "replace of the required userName with null",
    operations: [{ op: "replace", path: "userName", value: null }],
    scimType: "invalidValue",
    detail: "userName",
  },
  {
    name: "replace of the required userName with \"\" (Entra null update)",
    operations: [{ op: "Replace", path: "userName", value: "" }],
    scimType: "invalidValue",
    detail: "userName",
  },
  {
    name: "Group: remove of the required displayName",
    target: "Group",
    before: { displayName: "Tour Guides" },
    operations: [{ op: "remove", path: "displayName" }],
    scimType: "invalidValue",
    detail: "displayName",
  },
  { name: "boolean that is no boolean", operations: [{ op: "replace", path: "active", value: "yes" }], scimType: "invalidValue", detail: "active" },
  { name: "boolean given a number", operations: [{ op: "replace", path: "active", value: 0 }], scimType: "invalidValue", detail: "active" },
  { name: "string given a number", operations: [{ op: "replace", path: "title", value: 42 }], scimType: "invalidValue", detail: "title" },
  { name: "complex given a string", operations: [{ op: "replace", path: "name", value: "Barbara Jensen" }], scimType: "invalidValue", detail: "name" },
  {
    name: "sub-attribute given a number",
    operations: [{ op: "replace", path: "name.givenName", value: 7 }],
    scimType: "invalidValue",
    detail: "name.givenName",
  },
  {
    name: "filtered sub-attribute given a number",
    operations: [{ op: "replace", path: 'emails[type eq "work"].value', value: 42 }],
    scimType: "invalidValue",
    detail: "emails.value",
  },
  {
    name: "multi-valued element of the wrong type",
    operations: [{ op: "add", path: "emails", value: [{ value: "x@example.com", primary: "maybe" }] }],
    scimType: "invalidValue",
    detail: "emails.primary",
  },
  {
    name: "two primary values in one replace",
    operations: [{ op: "replace", path: "emails", value: [{ value: "a@example.com", primary: true }, { value: "b@example.com", primary: true }] }],
    scimType: "invalidValue",
    detail: "emails",
  },
  {
    name: "no path with a value that is no object",
    operations: [{ op: "replace", value: "Babs" }],
    scimType: "invalidValue",
    detail: "object",
  },
  {
    name: "bare extension URN with a value that is no object",
    operations: [{ op: "replace", path: ext, value: "Sales" }],
    scimType: "invalidValue",
    detail: ext,
  },
  {
    name: "extension attribute of the wrong type",
    operations: [{ op: "replace", path: `${ext}:department`, value: 7 }],
    scimType: "invalidValue",
    detail: "department",
  },
  {
    name: "a single-valued complex attribute given a list of two",
    operations: [{ op: "replace", path: `${ext}:manager`, value: [{ value: "a" }, { value: "b" }] }],
    scimType: "invalidValue",
    detail: "manager",
  },
  {
    name: "a single-valued simple attribute given a list",
    operations: [{ op: "replace", path: "title", value: ["Boss"] }],
    scimType: "invalidValue",
    detail: "title",
  },
  {
    name: "manager that is a number",
    operations: [{ op: "replace", path: `${ext}:manager`, value: 7 }],
    scimType: "invalidValue",
    detail: "manager",
  },

  // atomicity: the first operation is fine, the second fails
  {
    name: "all or nothing: a valid change, then an unknown path",
    operations: [
      { op: "replace", path: "displayName", value: "Babs" },
      { op: "replace", path: "nickname2", value: "x" },
    ],
    scimType: "invalidPath",
    detail: "nickname2",
  },
  {
    name: "all or nothing: changes inside nested objects, then a bad value",
    operations: [
      { op: "replace", path: "name.givenName", value: "Babs" },
      { op: "replace", path: 'emails[type eq "work"].value', value: "new@work.example" },
      { op: "add", path: `${ext}:department`, value: "Sales" },
      { op: "replace", path: "active", value: "perhaps" },
    ],
    scimType: "invalidValue",
    detail: "active",
  },
  {
    name: "all or nothing: a removal, then a read-only path",
    operations: [
      { op: "remove", path: "emails" },
      { op: "remove", path: `${ext}:manager` },
      { op: "replace", path: "id", value: "x" },
    ],
    scimType: "mutability",
    detail: "id",
  },
];
