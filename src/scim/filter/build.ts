import { ScimError } from "../errors.ts";
import type { SchemaRegistry } from "../schema/registry.ts";
import type { CompareOperator, Filter } from "./ast.ts";
import { comparisonValue } from "./comparison.ts";

// Filters built in code rather than parsed from text (a compat API's query becomes one of these):
// the same resolved AST the parser makes, with the same type checks (RFC 7644 §3.4.2.2).

export interface FilterBuilder {
  compare(path: string, op: CompareOperator, value: string | number | boolean | null): Filter;
  present(path: string): Filter;
  and(...filters: Filter[]): Filter;
  or(...filters: Filter[]): Filter;
  not(filter: Filter): Filter;
}

export function filterBuilder(resourceType: "User" | "Group", registry: SchemaRegistry): FilterBuilder {
  const resolve = (path: string) => {
    const resolved = registry.findAttribute(resourceType, path);
    if (!resolved) throw ScimError.invalidFilter(`${resourceType} has no attribute "${path}"`);
    return resolved;
  };
  const join = (kind: "and" | "or", filters: Filter[]): Filter => {
    const flat = filters.flatMap((filter) => (filter.kind === kind ? filter.filters : [filter]));
    if (flat.length === 1) return flat[0] as Filter;
    if (flat.length === 0) throw ScimError.internal(`an empty "${kind}" filter`);
    return { kind, filters: flat };
  };
  return {
    compare(path, op, value) {
      const attribute = resolve(path);
      return { kind: "compare", attribute, op, value: comparisonValue(attribute, op, value) };
    },
    present: (path) => ({ kind: "present", attribute: resolve(path) }),
    and: (...filters) => join("and", filters),
    or: (...filters) => join("or", filters),
    not: (filter) => ({ kind: "not", filter }),
  };
}
