import packageJson from "../../../package.json" with { type: "json" };
import type { SchemaRegistry } from "../../scim/schema/registry.ts";
import { adminApi } from "./admin.ts";
import { eventsApi } from "./events.ts";
import { operationalApi } from "./operational.ts";
import { scimApi } from "./scim.ts";
import type { ApiDescription, JsonSchema, Operation, PathItem, SecurityScheme } from "./spec.ts";

export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly tags: readonly ApiDescription["tag"][];
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly securitySchemes: Readonly<Record<string, SecurityScheme>>;
  };
}

// OpenAPI 3.1: everything the app serves, each API under the path it is mounted at and its
// operations under its tag. A path or component named twice is a mistake in a description.
// Each compat API describes its own routes (compat/<name>/openapi.ts), relative to /compat/<name>.
export function openApiDocument(registry: SchemaRegistry, compat: readonly { readonly name: string; readonly openapi: ApiDescription }[]): OpenApiDocument {
  const mounted: [string, ApiDescription][] = [
    ["", operationalApi],
    ["/scim/v2", scimApi(registry)],
    ["", eventsApi],
    ["", adminApi],
    ...compat.map((api): [string, ApiDescription] => [`/compat/${api.name}`, api.openapi]),
  ];
  const paths: Record<string, PathItem> = {};
  const schemas: Record<string, JsonSchema> = {};
  const securitySchemes: Record<string, SecurityScheme> = {};
  for (const [base, api] of mounted) {
    for (const [path, item] of Object.entries(api.paths)) addOnce(paths, `${base}${path}`, tagged(item, api.tag.name));
    for (const [name, schema] of Object.entries(api.schemas)) addOnce(schemas, name, schema);
    for (const [name, scheme] of Object.entries(api.securitySchemes)) addOnce(securitySchemes, name, scheme);
  }
  return {
    openapi: "3.1.1",
    info: {
      title: "scim-server",
      version: packageJson.version,
      description:
        "A SCIM 2.0 (RFC 7643 / RFC 7644) provisioning server, and compat APIs that translate other products' user-management APIs onto the same store. Each API has its own credentials and its own error envelope.",
    },
    tags: mounted.map(([, api]) => api.tag),
    paths,
    components: { schemas, securitySchemes },
  };
}

function tagged(item: PathItem, tag: string): PathItem {
  return Object.fromEntries(Object.entries(item).map(([method, operation]): [string, Operation] => [method, { ...operation, tags: [tag] }]));
}

function addOnce<T>(into: Record<string, T>, key: string, value: T): void {
  if (Object.hasOwn(into, key)) throw new Error(`the OpenAPI description names ${key} twice`);
  into[key] = value;
}
