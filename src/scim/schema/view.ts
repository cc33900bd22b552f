import type { PatchTarget } from "../patch/target.ts";
import type { ResourceSchemas } from "../resource/resource-schemas.ts";
import { commonAttributes } from "./common.ts";
import { createSchemaRegistry, type SchemaRegistry } from "./registry.ts";
import type { ServerSchemas } from "./server-schemas.ts";
import type { TenantSchema } from "./tenant-schema.ts";
import type { ResourceTypeDefinition, SchemaDefinition } from "./types.ts";

// What one tenant's resources are made of: the RFC schemas, the Enterprise extension, the
// extensions of the compat APIs it enabled, and the extension schemas its operator defined
// (tenant-schema.ts). Discovery, filters, projections, reads of bodies and PATCH paths all go
// through a tenant's view, so that an extension the tenant lacks is as unknown as any other.

export interface SchemaView {
  // What the server serves, whose server-assigned values a write carries over.
  readonly server: ServerSchemas;
  readonly registry: SchemaRegistry;
  readonly users: ResourceSchemas;
  readonly groups: ResourceSchemas;
  readonly userPatch: PatchTarget;
  readonly groupPatch: PatchTarget;
}

// Views are data; one per distinct combination is kept (tenants mostly share a few). Every request
// asks for its tenant's view with the same `has` and `custom` objects while the tenant's settings
// are cached, so those are remembered too, and the combination is worked out once per pair.
export type SchemaViews = (has: (urn: string) => boolean, custom: readonly TenantSchema[]) => SchemaView;

/** The view of a tenant that has the server's extensions `has` accepts and the schemas in `custom`. */
export function schemaViews(server: ServerSchemas): SchemaViews {
  const views = new Map<string, SchemaView>();
  const viewsOf = new WeakMap<(urn: string) => boolean, WeakMap<readonly TenantSchema[], SchemaView>>();
  return (has, custom) => {
    let byCustom = viewsOf.get(has);
    if (byCustom === undefined) {
      byCustom = new WeakMap();
      viewsOf.set(has, byCustom);
    }
    let view = byCustom.get(custom);
    if (view === undefined) {
      view = viewFor(server, views, has, custom);
      byCustom.set(custom, view);
    }
    return view;
  };
}

function viewFor(server: ServerSchemas, views: Map<string, SchemaView>, has: (urn: string) => boolean, custom: readonly TenantSchema[]): SchemaView {
  const hidden = server.registry.allSchemas().filter((schema) => !has(schema.id)).map((schema) => schema.id);
  const key = `${hidden.join(" ")}|${custom.length === 0 ? "" : JSON.stringify(custom)}`;
  let view = views.get(key);
  if (view === undefined) {
    view = buildView(server, new Set(hidden), custom);
    views.set(key, view);
  }
  return view;
}

function buildView(server: ServerSchemas, hidden: ReadonlySet<string>, custom: readonly TenantSchema[]): SchemaView {
  const extensionsOf = (name: "User" | "Group") => custom.filter((entry) => entry.resourceType === name).map((entry) => entry.schema);
  const narrowed = (schemas: ResourceSchemas, extra: readonly SchemaDefinition[]): ResourceSchemas => ({
    ...schemas,
    extensions: [...schemas.extensions.filter((extension) => !hidden.has(extension.id)), ...extra],
  });
  const users = narrowed(server.users, extensionsOf("User"));
  const groups = narrowed(server.groups, extensionsOf("Group"));
  const resourceTypes: ResourceTypeDefinition[] = server.registry.resourceTypes().map((resourceType) => ({
    ...resourceType,
    schemaExtensions: [
      ...resourceType.schemaExtensions.filter((extension) => !hidden.has(extension.schema)),
      ...extensionsOf(resourceType.name === "Group" ? "Group" : "User").map((schema) => ({ schema: schema.id, required: false })),
    ],
  }));
  const registry = createSchemaRegistry({
    schemas: [...server.registry.allSchemas().filter((schema) => !hidden.has(schema.id)), ...custom.map((entry) => entry.schema)],
    resourceTypes,
    commonAttributes,
  });
  const [userType, groupType] = resourceTypes as [ResourceTypeDefinition, ResourceTypeDefinition];
  return {
    server,
    registry,
    users,
    groups,
    userPatch: { resourceType: userType, schemas: users, registry },
    groupPatch: { resourceType: groupType, schemas: groups, registry },
  };
}
