import { defineAttribute } from "../../scim/schema/defaults.ts";
import type { SchemaDefinition } from "../../scim/schema/types.ts";
import { extensionUrn } from "../../scim/schema/extension-urn.ts";

// Bytebase v1 fields that SCIM lacks (docs/compat/bytebase.md §8.3): the integer uid behind
// `users/{uid}`, the user type, MFA state; a group's `groups/{email}` name, its description and
// its OWNER members.
export const bytebaseUserSchema: SchemaDefinition = {
  id: extensionUrn("bytebase", "User"),
  name: "BytebaseUser",
  description: "Bytebase user fields",
  attributes: [
    defineAttribute({
      name: "uid",
      type: "integer",
      description: "The integer behind the user's Bytebase name users/{uid}. Assigned by the server, from 101.",
      mutability: "readOnly",
      uniqueness: "server",
      assigned: { kind: "sequence", first: 101 },
    }),
    defineAttribute({
      name: "userType",
      description: "USER or SERVICE_ACCOUNT (SYSTEM_BOT for the built-in bot).",
      canonicalValues: ["USER", "SERVICE_ACCOUNT", "SYSTEM_BOT"],
      caseExact: true,
    }),
    defineAttribute({ name: "mfaEnabled", type: "boolean", description: "Whether the user has enrolled MFA." }),
    defineAttribute({ name: "source", description: "The directory a synced user comes from, e.g. \"Entra ID\"." }),
  ],
};

export const bytebaseGroupSchema: SchemaDefinition = {
  id: extensionUrn("bytebase", "Group"),
  name: "BytebaseGroup",
  description: "Bytebase group fields",
  attributes: [
    defineAttribute({
      name: "email",
      description: "The group's email, its Bytebase name groups/{email}. Unique per tenant.",
      uniqueness: "server",
    }),
    defineAttribute({ name: "description", description: "What the group is for." }),
    defineAttribute({
      name: "owners",
      multiValued: true,
      caseExact: true,
      description: "Ids of the members whose Bytebase role in the group is OWNER.",
    }),
    defineAttribute({
      name: "creator",
      caseExact: true,
      mutability: "immutable",
      description: "Id of the user who created the group.",
    }),
    defineAttribute({ name: "source", description: "The directory a synced group comes from." }),
  ],
};
