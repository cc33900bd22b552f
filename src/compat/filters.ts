import { filterBuilder, type FilterBuilder } from "../scim/filter/build.ts";
import type { SchemaRegistry } from "../scim/schema/registry.ts";
import { serverSchemas } from "../scim/schema/server-schemas.ts";
import type { SchemaDefinition } from "../scim/schema/types.ts";

// The filters a compat API sends to the core name the RFC attributes and those of its own
// extension schemas: they are built against a registry of exactly those, so that an API's folder
// depends on no other API's schemas.
export function compatRegistry(extensions: readonly SchemaDefinition[]): SchemaRegistry {
  return serverSchemas(extensions).registry;
}

export function compatFilters(resourceType: "User" | "Group", extensions: readonly SchemaDefinition[] = []): FilterBuilder {
  return filterBuilder(resourceType, compatRegistry(extensions));
}
