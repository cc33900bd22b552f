import type { ResourceSchemas } from "../resource/resource-schemas.ts";
import type { SchemaRegistry } from "../schema/registry.ts";
import type { ResourceTypeDefinition } from "../schema/types.ts";

// What a PATCH applies to (apply.ts): the resource type, its schemas, and the registry its paths
// resolve in (a tenant's: schema/view.ts).
export interface PatchTarget {
  readonly resourceType: ResourceTypeDefinition;
  readonly schemas: ResourceSchemas;
  readonly registry: SchemaRegistry;
}
