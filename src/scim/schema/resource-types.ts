import { enterpriseUserSchema } from "./enterprise-user.ts";
import { groupSchema } from "./group.ts";
import type { ResourceTypeDefinition, SchemaDefinition } from "./types.ts";
import { userSchema } from "./user.ts";

// RFC 7643 §6 and §8.6: the User resource type, extensible with the Enterprise User schema, and
// the Group resource type. The server's registry (server-schemas.ts) adds the extensions the compat
// APIs bring; a registry given one of these finds its own definition by name.
export const userResourceType: ResourceTypeDefinition = {
  id: "User",
  name: "User",
  endpoint: "/Users",
  description: "User Account",
  schema: userSchema.id,
  schemaExtensions: [{ schema: enterpriseUserSchema.id, required: false }],
};

export const groupResourceType: ResourceTypeDefinition = {
  id: "Group",
  name: "Group",
  endpoint: "/Groups",
  description: "Group",
  schema: groupSchema.id,
  schemaExtensions: [],
};

// A resource type with more extension schemas, none of them required.
export function extendedWith(resourceType: ResourceTypeDefinition, extensions: readonly SchemaDefinition[]): ResourceTypeDefinition {
  return { ...resourceType, schemaExtensions: [...resourceType.schemaExtensions, ...extensions.map((schema) => ({ schema: schema.id, required: false }))] };
}
