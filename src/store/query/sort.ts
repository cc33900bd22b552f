import { ScimError } from "../../scim/errors.ts";
import type { ListQuery } from "../../scim/ports.ts";
import type { Where } from "./compile.ts";
import { extensionValueColumn } from "./statements.ts";
import { tenantExtensionLocation, type ColumnLocation, type ElementLocation, type QueryTarget } from "./targets.ts";

// The order of a list (RFC 7644 §3.4.2.3): the column it is sorted by, then id.

// The column a list is ordered by; ties are broken by id in the same direction.
export interface SortKey {
  readonly column: string;
  readonly nullable: boolean;
  readonly direction: "asc" | "desc";
  // The column holds a DateTime (meta.created, meta.lastModified) or a Boolean (active).
  readonly date?: boolean;
  readonly boolean?: boolean;
}

const dateColumns = new Set(["created", "lastModified"]);
const booleanColumns = new Set(["active"]);

export function sortKeyOf(query: Pick<ListQuery, "sortBy" | "sortOrder">, target: QueryTarget): SortKey {
  const direction = query.sortOrder === "descending" ? "desc" : "asc";
  if (!query.sortBy) return { column: "id", nullable: false, direction };
  const path = query.sortBy.path.toLowerCase();
  const found = target.sortColumns?.get(path) ?? target.locations.get(path) ?? tenantExtensionLocation(target, query.sortBy);
  const location = found?.kind === "element" && found.model === "extensionValue" ? extensionSortColumn(found, query.sortBy.path) : found;
  if (location?.kind !== "column") throw ScimError.invalidValue(`sortBy "${query.sortBy.path}" is not supported`);
  return {
    column: location.column,
    nullable: location.nullable,
    direction,
    ...(dateColumns.has(location.column) ? { date: true } : {}),
    ...(booleanColumns.has(location.column) ? { boolean: true } : {}),
  };
}

// An extension attribute sorts by its first value (RFC 7644 §3.4.2.3 for multi-valued ones): its
// `value` (or `num`) column of ExtensionValue, read by a subquery (statements.ts).
function extensionSortColumn(location: ElementLocation, path: string): ColumnLocation {
  const value = location.columns.get("value") as ColumnLocation;
  return { ...value, column: extensionValueColumn(value.column as "value" | "num", path) };
}

// RFC 7644 §3.4.2.3. Absent values sort last when ascending, first when descending.
export function orderOf(key: SortKey): Where[] {
  if (key.column === "id") return [{ id: key.direction }];
  const nulls = key.direction === "asc" ? "last" : "first";
  return [{ [key.column]: key.nullable ? { sort: key.direction, nulls } : key.direction }, { id: key.direction }];
}

