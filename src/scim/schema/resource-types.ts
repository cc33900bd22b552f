import { enterpriseUserSchema } from "./enterprise-user.ts";
import { groupExtensionSchemas, userExtensionSchemas } from "./extensions/index.ts";
import { groupSchema } from "./group.ts";
import type { ResourceTypeDefinition } from "./types.ts";
import { userSchema } from "./user.ts";

// RFC 7643 §6 and §8.6: the User resource type, extensible with the Enterprise User schema and
// this server's own extensions.
export const userResourceType: ResourceTypeDefinition = {
  id: "User",
  name: "User",
  endpoint: "/Users",
  description: "User Account",
  schema: userSchema.id,
  schemaExtensions: [enterpriseUserSchema, ...userExtensionSchemas].map((schema) => ({ schema: schema.id, required: false })),
};

// RFC 7643 §6 and §8.6: the Group resource type, with this server's own extensions.
export const groupResourceType: ResourceTypeDefinition = {
  id: "Group",
  name: "Group",
  endpoint: "/Groups",
  description: "Group",
  schema: groupSchema.id,
  schemaExtensions: groupExtensionSchemas.map((schema) => ({ schema: schema.id, required: false })),
};

// RFC 7643 §6: every resource type this server serves.
export const resourceTypes: readonly ResourceTypeDefinition[] = [userResourceType, groupResourceType];
