import { defineAttribute } from "./defaults.ts";
import type { SchemaDefinition } from "./types.ts";
import { groupUrn } from "./urns.ts";

// RFC 7643 §4.2 and §8.7.1: the core Group schema.
export const groupSchema: SchemaDefinition = {
  id: groupUrn,
  name: "Group",
  description: "Group",
  attributes: [
    defineAttribute({
      name: "displayName",
      description: "A human-readable name for the Group. REQUIRED.",
      required: true,
      // Not in RFC 7643 §8.7.1 ("none"): this server enforces displayName uniqueness per tenant, case-insensitively.
      uniqueness: "server",
    }),
    defineAttribute({
      name: "members",
      type: "complex",
      multiValued: true,
      description: "A list of members of the Group.",
      subAttributes: [
        defineAttribute({
          name: "value",
          description: "Identifier of the member of this Group.",
          mutability: "immutable",
        }),
        defineAttribute({
          name: "$ref",
          type: "reference",
          referenceTypes: ["User", "Group"],
          description: "The URI corresponding to a SCIM resource that is a member of this Group.",
          mutability: "immutable",
        }),
        defineAttribute({
          name: "type",
          description: "A label indicating the type of resource, e.g., 'User' or 'Group'.",
          canonicalValues: ["User", "Group"],
          mutability: "immutable",
        }),
        // RFC 7643 §2.4 default sub-attribute, used in the §8.4 example. The server's: the member's current
        // name (a user's displayName, else its userName; a group's displayName). What clients send (Okta does)
        // is ignored, as any readOnly value is.
        defineAttribute({
          name: "display",
          description: "The member's current name: a user's displayName, else its userName; a group's displayName.",
          mutability: "readOnly",
        }),
      ],
    }),
  ],
};
