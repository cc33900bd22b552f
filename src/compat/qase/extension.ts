import { defineAttribute } from "../../scim/schema/defaults.ts";
import type { SchemaDefinition } from "../../scim/schema/types.ts";
import { extensionUrn } from "../../scim/schema/extension-urn.ts";

// Qase SCIM profile fields (docs/compat/qase.md §7.3): Qase's numeric user id and the workspace
// owner flag, which blocks deletion.
export const qaseUserSchema: SchemaDefinition = {
  id: extensionUrn("qase", "User"),
  name: "QaseUser",
  description: "Qase user fields",
  attributes: [
    defineAttribute({
      name: "numericId",
      type: "integer",
      description: "The user's Qase id. Assigned by the server.",
      mutability: "readOnly",
      uniqueness: "server",
      assigned: { kind: "sequence", first: 1 },
    }),
    defineAttribute({ name: "owner", type: "boolean", description: "Whether the user owns the workspace." }),
  ],
};
