import { createHash } from "node:crypto";
import { ScimError } from "../../scim/errors.ts";
import { printFilter } from "../../scim/filter/print.ts";
import type { ListQuery } from "../../scim/ports.ts";
import type { Where } from "./compile.ts";
import type { SortKey } from "./sort.ts";

// RFC 9865 cursors, keyset-based: a cursor names the last row of a page by its sort key and id,
// so the next page starts with an index seek wherever it is. A cursor is bound to the filter
// and sort it was issued for.

type KeyValue = string | number | boolean | null;

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

export function encodeCursor(query: ListQuery, key: SortKey, row: Record<string, unknown>): string {
  const value = key.column === "id" ? null : row[key.column];
  const content: CursorContent = {
    q: queryHash(query),
    k: value instanceof Date ? value.getTime() : (value as KeyValue) ?? null,
    ...(value instanceof Date ? { d: 1 as const } : {}),
    id: String(row.id),
  };
  return Buffer.from(JSON.stringify(content)).toString("base64url");
}

// The condition that selects the rows after the cursor's row, in the query's order.
export function afterCursor(query: ListQuery, key: SortKey, cursor: string): Where {
  const content = decode(cursor);
  if (content.q !== queryHash(query)) {
    throw ScimError.invalidCursor("The cursor belongs to a different filter or sort order");
  }
  const after = key.direction === "asc" ? "gt" : "lt";
  const idAfter = { id: { [after]: content.id } };
  if (key.column === "id") return idAfter;
  const column = key.column;
  const value = content.d === 1 && typeof content.k === "number" ? new Date(content.k) : content.k;
  // Ascending puts absent values last, descending first (list.ts orderOf).
  if (value === null) {
    return key.direction === "asc"
      ? { AND: [{ [column]: null }, idAfter] }
      : { OR: [{ AND: [{ [column]: null }, idAfter] }, { [column]: { not: null } }] };
  }
  const beyond = { [column]: { [after]: value } };
  const tie = { AND: [{ [column]: value }, idAfter] };
  // The bound the OR implies, stated on its own: an index range then starts at the cursor's row,
  // where the OR alone has the database read every row before it.
  const bound = { [column]: { [after === "gt" ? "gte" : "lte"]: value } };
  const following = { AND: [bound, { OR: [beyond, tie] }] };
  return key.direction === "asc" && key.nullable ? { OR: [following, { [column]: null }] } : following;
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
