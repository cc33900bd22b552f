import { createHash } from "node:crypto";
import { ScimError } from "../../scim/errors.ts";
import { printFilter } from "../../scim/filter/print.ts";
import type { ListQuery } from "../../scim/ports.ts";
import { and, column, compare, isNull, notNull, or, type Condition } from "./condition.ts";
import type { SortKey } from "./sort.ts";
import type { QueryTarget } from "./targets.ts";

// RFC 9865 cursors, keyset-based: a cursor names the last row of a page by its sort key and id,
// so the next page starts with an index seek wherever it is. A cursor is bound to the filter
// and sort it was issued for.

export type KeyValue = string | number | boolean | null;

interface CursorContent {
  readonly q: string;
  readonly k: KeyValue;
  readonly d?: 1;
  readonly id: string;
}

function queryHash(query: ListQuery): string {
  const text = `${query.filter ? printFilter(query.filter) : ""}|${query.sortBy?.path ?? ""}|${query.sortOrder ?? ""}`;
  return createHash("sha256").update(text).digest("base64url").slice(0, 12);
}

// `value` is the last row's sort value (absent for a list in id order).
export function encodeCursor(query: ListQuery, key: SortKey, row: { readonly id: string; readonly value?: unknown }): string {
  const value = key.by === undefined ? null : row.value;
  const content: CursorContent = {
    q: queryHash(query),
    k: value instanceof Date ? value.getTime() : (value as KeyValue) ?? null,
    ...(value instanceof Date ? { d: 1 as const } : {}),
    id: row.id,
  };
  return Buffer.from(JSON.stringify(content)).toString("base64url");
}

// The condition that selects the rows after the cursor's row, in the query's order.
export function afterCursor(query: ListQuery, key: SortKey, target: QueryTarget, cursor: string): Condition {
  const content = decode(cursor);
  if (content.q !== queryHash(query)) {
    throw ScimError.invalidCursor("The cursor belongs to a different filter or sort order");
  }
  return afterRow(key, target, { id: content.id, value: content.d === 1 && typeof content.k === "number" ? new Date(content.k) : content.k });
}

// The condition that selects the rows after a row with this id and sort value (null when absent,
// or for a list in id order), in the key's order.
export function afterRow(key: SortKey, target: QueryTarget, row: { readonly id: string; readonly value: KeyValue | Date }): Condition {
  const after = key.direction === "asc" ? ">" : "<";
  const idAfter = compare(column(target.resourceType, "id"), after, row.id);
  if (key.by === undefined) return idAfter;
  const by = key.by;
  const value = row.value;
  // Ascending puts absent values last, descending first (sort.ts orderOf).
  if (value === null) {
    return key.direction === "asc" ? and(isNull(by), idAfter) : or(and(isNull(by), idAfter), notNull(by));
  }
  const beyond = compare(by, after, value);
  const tie = and(compare(by, "=", value), idAfter);
  // The bound the OR implies, stated on its own: an index range then starts at the cursor's row,
  // where the OR alone has the database read every row before it.
  const bound = compare(by, after === ">" ? ">=" : "<=", value);
  const following = and(bound, or(beyond, tie));
  return key.direction === "asc" && key.nullable ? or(following, isNull(by)) : following;
}

function decode(cursor: string): CursorContent {
  try {
    const content = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as CursorContent;
    if (typeof content.q === "string" && typeof content.id === "string" && "k" in content) return content;
  } catch {
    // Falls through to the error below.
  }
  throw ScimError.invalidCursor("The cursor is not one this server issued");
}
