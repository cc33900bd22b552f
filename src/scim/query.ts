import { ScimError } from "./errors.ts";
import type { AttributeRef } from "./filter/ast.ts";
import { parseFilter } from "./filter/parse.ts";
import type { FilterLimits } from "./filter/limits.ts";
import type { ListQuery } from "./ports.ts";
import type { SchemaRegistry } from "./schema/registry.ts";
import type { ResourceTypeDefinition } from "./schema/types.ts";
import type { ResolveOptions } from "./filter/resolve.ts";

// RFC 7644 §3.4.2: the query parameters of a list or search, as the client sent them.
export interface QueryParameters {
  readonly filter?: string | undefined;
  readonly sortBy?: string | undefined;
  readonly sortOrder?: string | undefined;
  readonly startIndex?: number | undefined;
  readonly count?: number | undefined;
  // RFC 9865: "" asks for the first page by cursor.
  readonly cursor?: string | undefined;
}

export interface QueryLimits {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly filter: FilterLimits;
}

// RFC 7644 §3.4.2.2 - §3.4.2.4: filter resolved against the schema, sort attribute resolved,
// startIndex 1-based (below 1 means 1), count capped at the maximum page size (0 means totals only).
export function readListQuery(
  parameters: QueryParameters,
  resourceType: ResourceTypeDefinition,
  registry: SchemaRegistry,
  limits: QueryLimits,
  options: ResolveOptions = {},
): ListQuery {
  const filter = parameters.filter?.trim()
    ? parseFilter(parameters.filter, resourceType, registry, limits.filter, options)
    : undefined;
  const sortBy = parameters.sortBy?.trim() ? sortAttribute(parameters.sortBy.trim(), resourceType, registry) : undefined;
  if (parameters.cursor !== undefined && parameters.startIndex !== undefined) {
    throw ScimError.invalidValue("startIndex and cursor cannot be used together (RFC 9865)");
  }
  return {
    startIndex: Math.max(1, parameters.startIndex ?? 1),
    ...(parameters.cursor === undefined ? {} : { cursor: parameters.cursor.trim() }),
    count: Math.min(limits.maxPageSize, Math.max(0, parameters.count ?? limits.defaultPageSize)),
    ...(filter ? { filter } : {}),
    ...(sortBy ? { sortBy, sortOrder: sortOrderOf(parameters.sortOrder) } : {}),
  };
}

function sortAttribute(path: string, resourceType: ResourceTypeDefinition, registry: SchemaRegistry): AttributeRef {
  const resolved = registry.findAttribute(resourceType, path);
  if (!resolved) throw ScimError.invalidValue(`sortBy names an unknown attribute "${path}"`);
  const attribute = resolved.subAttribute ?? resolved.attribute;
  if (attribute.returned === "never") throw ScimError.invalidValue(`Cannot sort by "${resolved.path}"`);
  if (attribute.type === "complex" && !attribute.multiValued) {
    throw ScimError.invalidValue(`sortBy "${resolved.path}" is complex; name one of its sub-attributes`);
  }
  return resolved;
}

// RFC 7644 §3.4.2.3: "ascending" unless "descending" is asked for.
function sortOrderOf(sortOrder: string | undefined): "ascending" | "descending" {
  if (sortOrder === undefined || sortOrder.trim() === "") return "ascending";
  const value = sortOrder.trim().toLowerCase();
  if (value === "ascending" || value === "descending") return value;
  throw ScimError.invalidValue(`sortOrder must be "ascending" or "descending", not "${sortOrder}"`);
}
