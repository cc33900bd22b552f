import { defineAttribute } from "../../scim/schema/defaults.ts";
import type { SchemaDefinition } from "../../scim/schema/types.ts";
import { extensionUrn } from "../../scim/schema/extension-urn.ts";

// Vyte v2 fields that SCIM lacks (docs/compat/vyte.md §8.3). Vyte's free-form objects
// (availability, vyteme, modules, consent) are kept as JSON text.
export const vyteUserSchema: SchemaDefinition = {
  id: extensionUrn("vyte", "User"),
  name: "VyteUser",
  description: "Vyte user fields",
  attributes: [
    defineAttribute({
      name: "objectId",
      description: "The user's Vyte _id, 24 hexadecimal digits. Assigned by the server.",
      caseExact: true,
      mutability: "readOnly",
      uniqueness: "server",
      assigned: { kind: "objectId" },
    }),
    defineAttribute({ name: "linked", type: "boolean", description: "Whether the user is linked to the organisation." }),
    defineAttribute({ name: "orgAdmin", type: "boolean", description: "Whether the user administers the organisation." }),
    defineAttribute({ name: "signedUpWith", description: "How the account was created (\"api\")." }),
    defineAttribute({ name: "availability", caseExact: true, description: "Availability settings (JSON text)." }),
    defineAttribute({ name: "vyteme", caseExact: true, description: "Vyte.me page settings (JSON text)." }),
    defineAttribute({ name: "modules", caseExact: true, description: "Enabled modules (JSON text)." }),
    defineAttribute({ name: "consent", caseExact: true, description: "Consents given (JSON text)." }),
  ],
};

export const vyteGroupSchema: SchemaDefinition = {
  id: extensionUrn("vyte", "Group"),
  name: "VyteTeam",
  description: "Vyte team fields",
  attributes: [
    defineAttribute({
      name: "objectId",
      description: "The team's Vyte _id, 24 hexadecimal digits. Assigned by the server.",
      caseExact: true,
      mutability: "readOnly",
      uniqueness: "server",
      assigned: { kind: "objectId" },
    }),
    defineAttribute({
      name: "admins",
      multiValued: true,
      caseExact: true,
      description: "Ids of the team's admins; an admin need not be a member.",
    }),
    defineAttribute({ name: "levelName", description: "The team's level name." }),
    defineAttribute({ name: "public", type: "boolean", description: "Whether the team's booking page is public." }),
  ],
};
