import { groupExtensionSchemas, userExtensionSchemas } from "../../../src/scim/schema/extensions/index.ts";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { commonAttributes } from "../../../src/scim/schema/common.ts";
import { defineAttribute } from "../../../src/scim/schema/defaults.ts";
import { enterpriseUserSchema } from "../../../src/scim/schema/enterprise-user.ts";
import { groupSchema } from "../../../src/scim/schema/group.ts";
import { createSchemaRegistry } from "../../../src/scim/schema/registry.ts";
import { resourceTypes } from "../../../src/scim/schema/resource-types.ts";
import { enterpriseUserUrn as ext, groupUrn, userUrn } from "../../../src/scim/schema/urns.ts";
import { userSchema } from "../../../src/scim/schema/user.ts";

// parsePatchPath (RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr]): our own table, and the
// PATCH path vectors of ../shared/conformance/filter-vectors.json (beside the checkout, never
// copied in): valid_patch_paths and invalid_paths_for_core_user_plus_enterprise.

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

// filter-vectors.json

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const vectorsFile = path.resolve(repoRoot, "../shared/conformance/filter-vectors.json");

interface PatchPathVectors {
  readonly valid_patch_paths: readonly string[];
  readonly invalid_paths_for_core_user_plus_enterprise: readonly string[];
}

function loadVectors(): PatchPathVectors {
  if (!existsSync(vectorsFile)) {
    throw new Error(
      `filter vectors not found at ${vectorsFile}: these tests read shared/conformance/filter-vectors.json ` +
        "from the shared folder beside the checkout (see shared/README.md)",
    );
  }
  const vectors = JSON.parse(readFileSync(vectorsFile, "utf8")) as Partial<PatchPathVectors>;
  if (!Array.isArray(vectors.valid_patch_paths) || !Array.isArray(vectors.invalid_paths_for_core_user_plus_enterprise)) {
    throw new Error(`${vectorsFile} has no valid_patch_paths or invalid_paths_for_core_user_plus_enterprise list`);
  }
  return vectors as PatchPathVectors;
}

const vectors = loadVectors();

/** RFC 7644 §3.5.2's example paths and more; each must resolve against the vectors' User or Group. */
export const validVectorPaths: readonly string[] = vectors.valid_patch_paths;

/** Must be invalidPath against the server's own User (core plus Enterprise User). */
export const invalidUserVectorPaths: readonly string[] = vectors.invalid_paths_for_core_user_plus_enterprise;

/**
 * The vectors' User and Group: the server's own, plus the one name the vectors use that RFC 7643's
 * Group does not define: RFC 7644 §3.5.2's example path `members[value eq "…"].displayName` (the
 * Group schema's member sub-attribute is `display`).
 */
export const vectorRegistry = createSchemaRegistry({
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
