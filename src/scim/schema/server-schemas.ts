import type { ResourceSchemas } from "../resource/resource-schemas.ts";
import { commonAttributes } from "./common.ts";
import { enterpriseUserSchema } from "./enterprise-user.ts";
import { groupSchema } from "./group.ts";
import { createSchemaRegistry, type SchemaRegistry } from "./registry.ts";
import { extendedWith, groupResourceType, userResourceType } from "./resource-types.ts";
import { serverLimitsSchema } from "./server-limits.ts";
import type { SchemaDefinition } from "./types.ts";
import { userSchema } from "./user.ts";

// What the server serves (RFC 7643 §4, §6, §7): the RFC schemas, the Enterprise extension, the
// extension of its ServiceProviderConfig, and the extension schemas it is given (those the compat
// APIs bring, each extending the resource type its id ends with). Built once where the server is
// composed and passed to what needs it; a tenant sees a narrower view of it (view.ts).
export interface ServerSchemas {
  readonly registry: SchemaRegistry;
  // Each resource type with every extension the server knows.
  readonly users: ResourceSchemas;
  readonly groups: ResourceSchemas;
}

export function serverSchemas(extensions: readonly SchemaDefinition[]): ServerSchemas {
  const userExtensions = extensions.filter((schema) => schema.id.endsWith(":User"));
  const groupExtensions = extensions.filter((schema) => schema.id.endsWith(":Group"));
  const unplaced = extensions.filter((schema) => !userExtensions.includes(schema) && !groupExtensions.includes(schema));
  if (unplaced.length > 0) throw new Error(`Extension schema ${unplaced[0]?.id} extends neither User nor Group`);
  return {
    registry: createSchemaRegistry({
      schemas: [userSchema, groupSchema, enterpriseUserSchema, ...userExtensions, ...groupExtensions, serverLimitsSchema],
      resourceTypes: [extendedWith(userResourceType, userExtensions), extendedWith(groupResourceType, groupExtensions)],
      commonAttributes,
    }),
    users: { schema: userSchema, extensions: [enterpriseUserSchema, ...userExtensions], common: commonAttributes },
    groups: { schema: groupSchema, extensions: groupExtensions, common: commonAttributes },
  };
}
