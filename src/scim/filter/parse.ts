import { ScimError } from "../errors.ts";
import type { SchemaRegistry } from "../schema/registry.ts";
import type { ResourceTypeDefinition } from "../schema/types.ts";
import type { Filter } from "./ast.ts";
import { checkLength, checkShape, defaultFilterLimits, type FilterLimits } from "./limits.ts";
import { resolveFilter, type ResolveOptions } from "./resolve.ts";
import { parseSyntax } from "./syntax.ts";

/**
 * RFC 7644 §3.4.2.2: the `filter` parameter, parsed and resolved against a resource type's schemas.
 * Throws ScimError.invalidFilter for bad syntax (with the character position), unknown attributes,
 * operators or values the attribute's type does not admit, and filters beyond `limits`.
 * The client leniencies it applies are listed in quirks.ts. With `options.unknown` (a search across
 * resource types) a path the type lacks is collected there and its comparison is false.
 */
export function parseFilter(
  text: string,
  resourceType: ResourceTypeDefinition | string,
  registry: SchemaRegistry,
  limits: FilterLimits = defaultFilterLimits,
  options: ResolveOptions = {},
): Filter {
  checkLength(text, limits);
  const definition = typeof resourceType === "string" ? registry.resourceTypeByName(resourceType) : resourceType;
  if (definition === undefined) throw ScimError.internal(`unknown resource type ${String(resourceType)}`);
  const filter = resolveFilter(parseSyntax(text, limits), definition, registry, options);
  checkShape(filter, limits);
  return filter;
}
