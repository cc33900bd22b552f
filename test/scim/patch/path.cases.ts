import { commonAttributes } from "../../../src/scim/schema/common.ts";
import { defineAttribute } from "../../../src/scim/schema/defaults.ts";
import { enterpriseUserSchema } from "../../../src/scim/schema/enterprise-user.ts";
import { groupSchema } from "../../../src/scim/schema/group.ts";
import { createSchemaRegistry } from "../../../src/scim/schema/registry.ts";
import { enterpriseUserUrn as ext, groupUrn, userUrn } from "../../../src/scim/schema/urns.ts";
import { userSchema } from "../../../src/scim/schema/user.ts";
import { groupExtensionSchemas, resourceTypes, userExtensionSchemas } from "../../support/schemas.ts";

// parsePatchPath (RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr]): what each path resolves to
// and what invalidPath says; then the paths RFC 7644 and real clients write, which must resolve to the
// right kind, and paths the User (core plus Enterprise User) must reject.

export interface ResolvedCase {
  readonly resourceType: "User" | "Group";
  readonly path: string;
  /** What the path resolves to, as describePatchPath prints it. */
  readonly resolved: string;
}

export interface InvalidCase {
  readonly resourceType: "User" | "Group";
  readonly path: string;
  /** Text the invalidPath detail must contain. */
  readonly detail: string;
}

export const resolvedCases: readonly ResolvedCase[] = [
  { resourceType: "User", path: "userName", resolved: "attribute userName" },
  { resourceType: "User", path: "USERNAME", resolved: "attribute userName" },
  { resourceType: "User", path: "name.familyName", resolved: "attribute name.familyName" },
  { resourceType: "User", path: "Name.GivenName", resolved: "attribute name.givenName" },
  { resourceType: "User", path: "emails.value", resolved: "attribute emails.value" },
  { resourceType: "User", path: "id", resolved: "attribute id" },
  { resourceType: "User", path: "meta.lastModified", resolved: "attribute meta.lastModified" },
  { resourceType: "User", path: `${userUrn}:name.familyName`, resolved: "attribute name.familyName" },
  { resourceType: "User", path: `${userUrn}:externalId`, resolved: "attribute externalId" },
  { resourceType: "User", path: `${ext}:employeeNumber`, resolved: `attribute ${ext}:employeeNumber` },
  { resourceType: "User", path: `${ext}:manager`, resolved: `attribute ${ext}:manager` },
  { resourceType: "User", path: `${ext}:manager.value`, resolved: `attribute ${ext}:manager.value` },
  { resourceType: "User", path: `${ext.toLowerCase()}:DEPARTMENT`, resolved: `attribute ${ext}:department` },
  { resourceType: "User", path: "manager", resolved: `attribute ${ext}:manager` },
  { resourceType: "User", path: "department", resolved: `attribute ${ext}:department` },
  { resourceType: "User", path: ext, resolved: `extension ${ext}` },
  { resourceType: "User", path: ext.toUpperCase(), resolved: `extension ${ext}` },
  { resourceType: "User", path: 'emails[type eq "work"]', resolved: 'elements emails [emails.type eq "work"]' },
  { resourceType: "User", path: 'emails[type eq "work"].value', resolved: 'elements emails [emails.type eq "work"] .value' },
  { resourceType: "User", path: 'Emails[Type eq "work"].Value', resolved: 'elements emails [emails.type eq "work"] .value' },
  {
    resourceType: "User",
    path: 'emails[type eq "work" and primary eq true].display',
    resolved: 'elements emails [emails.type eq "work" and emails.primary eq true] .display',
  },
  {
    resourceType: "User",
    path: `${userUrn}:emails[type eq "work"].value`,
    resolved: 'elements emails [emails.type eq "work"] .value',
  },
  { resourceType: "User", path: 'addresses[type eq "work"].locality', resolved: 'elements addresses [addresses.type eq "work"] .locality' },
  { resourceType: "User", path: 'phoneNumbers[type eq "mobile"].value', resolved: 'elements phoneNumbers [phoneNumbers.type eq "mobile"] .value' },
  { resourceType: "User", path: 'groups[value eq "g"]', resolved: 'elements groups [groups.value eq "g"]' },
  { resourceType: "Group", path: "members", resolved: "attribute members" },
  { resourceType: "Group", path: "displayName", resolved: "attribute displayName" },
  { resourceType: "Group", path: `${groupUrn}:members`, resolved: "attribute members" },
  { resourceType: "Group", path: 'members[value eq "u1"]', resolved: 'elements members [members.value eq "u1"]' },
  {
    resourceType: "Group",
    path: 'members[value eq "u1" or value eq "u2"]',
    resolved: 'elements members [members.value eq "u1" or members.value eq "u2"]',
  },
  { resourceType: "Group", path: 'members[type eq "Group"].display', resolved: 'elements members [members.type eq "Group"] .display' },
];

export const invalidCases: readonly InvalidCase[] = [
  { resourceType: "User", path: "nickname2", detail: "nickname2" },
  { resourceType: "User", path: "name.nickName", detail: "name.nickName" },
  { resourceType: "User", path: "name.givenName.first", detail: "name.givenName.first" },
  { resourceType: "User", path: "title.value", detail: "title.value" },
  { resourceType: "User", path: "", detail: "not an attribute" },
  { resourceType: "User", path: "emails.", detail: "emails." },
  { resourceType: "User", path: 'emails[type eq "work"].', detail: "emails" },
  { resourceType: "User", path: 'emails[type eq "work"]x', detail: "emails" },
  { resourceType: "User", path: 'emails[type eq "work"].value.x', detail: "emails" },
  { resourceType: "User", path: 'emails[type eq "work"][value eq "x"]', detail: "emails" },
  { resourceType: "User", path: "emails[]", detail: "emails" },
  { resourceType: "User", path: 'emails[type eq "work"', detail: "emails" },
  { resourceType: "User", path: 'emails[type eq "work"].address', detail: "address" },
  { resourceType: "User", path: 'emails[kind eq "work"]', detail: "kind" },
  { resourceType: "User", path: 'emails[type eq]', detail: "emails" },
  { resourceType: "User", path: 'name[givenName eq "x"]', detail: "name" },
  { resourceType: "User", path: 'emails.value[type eq "work"]', detail: "emails.value" },
  { resourceType: "User", path: `${ext}:manager[value eq "x"]`, detail: "manager" },
  { resourceType: "User", path: "members", detail: "members" },
  { resourceType: "User", path: `${groupUrn}:displayName`, detail: "displayName" },
  { resourceType: "Group", path: "userName", detail: "userName" },
  { resourceType: "Group", path: ext, detail: ext },
  { resourceType: "Group", path: `${ext}:manager`, detail: "manager" },
  { resourceType: "Group", path: 'members[value eq "x"].displayName', detail: "displayName" },
];

/** Must resolve against rfcExampleRegistry's User or Group, as an extension, elements or an attribute. */
export const validPaths: readonly string[] = [
  // RFC 7644 §3.5.2's example paths, verbatim
  "members",
  "name.familyName",
  'addresses[type eq "work"]',
  'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
  'members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName',

  // what Okta and Entra ID send: Entra's Replace on active, displayName and the work email (Add or
  // Replace, creating the element if missing), the manager with and without its URN, one member removed
  // by filter; a whole extension replaced through its bare URN
  "active",
  "displayName",
  'emails[type eq "work"].value',
  'phoneNumbers[type eq "mobile"].value',
  `${ext}:manager`,
  "manager",
  'members[value eq "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"]',
  ext,

  // names in any case, with or without the core URN
  "Name.GivenName",
  ext.toLowerCase(),
  `${userUrn}:displayName`,
  `${userUrn}:addresses[type eq "home"].postalCode`,
  `${groupUrn}:members[type eq "User"].display`,

  // other attributes, sub-attributes and filters
  `${ext}:costCenter`,
  `${ext}:manager.value`,
  "entitlements",
  'emails[type eq "work" and primary eq true]',
  "roles[primary eq true].display",
  'x509Certificates[type eq "signing"]',
];

/** Must be invalidPath against the server's own User (core plus Enterprise User). */
export const invalidUserPaths: readonly string[] = [
  // a name under the wrong schema, or a schema the server does not have
  `${userUrn}:department`,
  `${ext}:displayName`,
  `${groupUrn}:members`,
  "urn:ietf:params:scim:schemas:extension:enterprise:3.0:User:department",
  // the core URN alone: only an extension's URN stands for its attributes as a whole
  userUrn,
  // a dot where the URN needs a colon
  `${ext}.department`,
  // sub-attributes the schema does not define
  "name.middle",
  `${ext}:manager.email`,
  'addresses[type eq "work"].locality.city',
  'emails[type eq "work"].primaryEmail',
  'phoneNumbers[kind eq "mobile"]',
  // a filter on what is not a multi-valued complex attribute, or on another resource type's
  "active[value eq true]",
  'members[value eq "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"]',
  // a filter the attribute's type does not admit
  "emails[type gt true]",
  // a filter is not a path, and two value paths are not one
  'userName eq "dana.kim"',
  'emails[type eq "work"] or phoneNumbers[type eq "mobile"]',
];

/**
 * The server's User and Group, plus the one name RFC 7644 §3.5.2's example paths use that RFC 7643's
 * Group does not define: `members[value eq "…"].displayName` (the Group schema's member
 * sub-attribute is `display`).
 */
export const rfcExampleRegistry = createSchemaRegistry({
  schemas: [
    userSchema,
    enterpriseUserSchema,
    {
      ...groupSchema,
      attributes: groupSchema.attributes.map((attribute) =>
        attribute.name === "members"
          ? {
              ...attribute,
              subAttributes: [...(attribute.subAttributes ?? []), defineAttribute({ name: "displayName", description: "RFC 7644 §3.5.2 example" })],
            }
          : attribute,
      ),
    },
    ...userExtensionSchemas,
    ...groupExtensionSchemas,
  ],
  resourceTypes,
  commonAttributes,
});
