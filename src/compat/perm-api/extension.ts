import { defineAttribute } from "../../scim/schema/defaults.ts";
import type { SchemaDefinition } from "../../scim/schema/types.ts";
import { extensionUrn } from "../../scim/schema/extension-urn.ts";

// Fields of the /api/v2/user API with permission groups (docs/compat/perm-api.md §7.3, §7.4). Its
// roles ("permission groups") are Groups with an integer role id and a list of permissions.
export const permGroupsUserSchema: SchemaDefinition = {
  id: extensionUrn("permgroups", "User"),
  name: "PermGroupsUser",
  description: "Permission-group API user fields",
  attributes: [
    defineAttribute({
      name: "username",
      mutability: "immutable",
      description: "The username, set from the email at creation and never changed.",
    }),
    defineAttribute({ name: "mfa", type: "boolean", description: "Whether MFA is enrolled." }),
    defineAttribute({ name: "resetPassword", type: "boolean", description: "Must reset the password at next login." }),
    defineAttribute({ name: "reset2fa", type: "boolean", description: "Must re-enrol 2FA at next login." }),
  ],
};

export const permGroupsGroupSchema: SchemaDefinition = {
  id: extensionUrn("permgroups", "Group"),
  name: "PermGroupsRole",
  description: "Permission-group API role fields",
  attributes: [
    defineAttribute({
      name: "roleId",
      type: "integer",
      description: "The role's integer id. Assigned by the server.",
      mutability: "readOnly",
      uniqueness: "server",
      assigned: { kind: "sequence", first: 1 },
    }),
    defineAttribute({
      name: "permissions",
      multiValued: true,
      caseExact: true,
      description: "The actions the role allows.",
    }),
  ],
};
