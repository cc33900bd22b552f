import { ScimError } from "../../scim/errors.ts";
import type { ListQuery } from "../../scim/ports.ts";
import { column, type Expression, type OrderTerm } from "./condition.ts";
import { tenantExtensionLocation, type ColumnLocation, type ElementLocation, type QueryTarget } from "./targets.ts";

// The order of a list (RFC 7644 §3.4.2.3): the value it is sorted by, then id.

// What a list is ordered by; ties are broken by id in the same direction. `by` is absent for a
// list in id order.
export interface SortKey {
  readonly by?: Expression;
  readonly nullable: boolean;
  readonly direction: "asc" | "desc";
  // The value is a DateTime (meta.created, meta.lastModified) or a Boolean (active).
  readonly date?: boolean;
  readonly boolean?: boolean;
}

const dateColumns = new Set(["created", "lastModified"]);
const booleanColumns = new Set(["active"]);

export function sortKeyOf(query: Pick<ListQuery, "sortBy" | "sortOrder">, target: QueryTarget): SortKey {
  const direction = query.sortOrder === "descending" ? "desc" : "asc";
  if (!query.sortBy) return { nullable: false, direction };
  const path = query.sortBy.path.toLowerCase();
  const found = target.sortColumns?.get(path) ?? target.locations.get(path) ?? tenantExtensionLocation(target, query.sortBy);
  if (found?.kind === "element" && found.table === "ExtensionValue") return extensionSortKey(found, target, query.sortBy.path, direction);
  if (found?.kind !== "column") throw ScimError.invalidValue(`sortBy "${query.sortBy.path}" is not supported`);
  const { name } = found.column;
  // id is the tie-breaker already.
  if (name === "id") return { nullable: false, direction };
  return {
    by: found.column,
    nullable: found.nullable,
    direction,
    ...(dateColumns.has(name) ? { date: true } : {}),
    ...(booleanColumns.has(name) ? { boolean: true } : {}),
  };
}

// An extension attribute sorts by its first value (RFC 7644 §3.4.2.3 for multi-valued ones): its
// `value` (or `num`) column of ExtensionValue.
function extensionSortKey(location: ElementLocation, target: QueryTarget, path: string, direction: "asc" | "desc"): SortKey {
  const value = location.columns.get("value") as ColumnLocation;
  const valueColumn = value.column.name === "num" ? "num" : "value";
  return { by: { kind: "firstExtensionValue", owner: target.resourceType, column: valueColumn, attr: path }, nullable: true, direction };
}

// RFC 7644 §3.4.2.3. Absent values sort last when ascending, first when descending.
export function orderOf(key: SortKey, target: QueryTarget): OrderTerm[] {
  const id: OrderTerm = { by: column(target.resourceType, "id"), direction: key.direction };
  if (!key.by) return [id];
  const nulls = key.direction === "asc" ? "last" : "first";
  return [{ by: key.by, direction: key.direction, ...(key.nullable ? { nulls } : {}) }, id];
}
