import { ScimError } from "../../scim/errors.ts";
import type { ListQuery } from "../../scim/ports.ts";
import { compileFilter, existsElement, type ElementCondition, type Where } from "./compile.ts";
import { afterCursor, encodeCursor } from "./cursor.ts";
import type { ElementLocation, QueryTarget } from "./targets.ts";

// One list request (RFC 7644 §3.4.2) as two statements: the page, ordered with ties broken by
// id so that pages are stable, and the exact match count. The count goes through groupBy, which
// Prisma sends as a plain COUNT(*) ... GROUP BY "tenantId" that an index answers; its count()
// wraps the query in a subquery that SQLite has to step through row by row.

// The parts of a Prisma model delegate a list needs (user and group delegates both fit).
export interface ListDelegate<Row> {
  findMany(args: { where: Where; select: Record<string, boolean>; orderBy: Where[]; skip: number; take: number }): Promise<Row[]>;
  groupBy(args: { by: ["tenantId"]; where: Where; _count: { _all: true } }): Promise<Array<{ _count: { _all: number } }>>;
}

// Finds the ids of the resources that own element rows meeting a condition, or undefined when
// there are too many to list.
export type ElementOwners = (location: ElementLocation, where: Where) => Promise<readonly string[] | undefined>;

// The most ids an element condition is replaced with; beyond, the EXISTS subquery stays.
export const maxElementOwners = 5000;

// Element conditions (emails.value eq "x", members[value eq "u"]) are looked up first in their
// own table, by its (tenantId, attr, value) index, and become `id IN (...)`: SQLite runs the
// EXISTS subquery Prisma writes once per resource of the tenant, which is O(users).
export async function whereOf(
  tenantId: string,
  query: Pick<ListQuery, "filter">,
  target: QueryTarget,
  owners?: ElementOwners,
): Promise<Where> {
  if (!query.filter) return { tenantId };
  let element: ElementCondition = existsElement;
  if (owners) {
    const lookups: Array<Parameters<ElementCondition>> = [];
    compileFilter(query.filter, target, tenantId, (location, where) => {
      lookups.push([location, where]);
      return {};
    });
    const found = await Promise.all(lookups.map(([location, where]) => owners(location, where)));
    let next = 0;
    element = (location, where) => {
      const ids = found[next++];
      return ids ? { id: { in: [...ids] } } : existsElement(location, where);
    };
  }
  return { AND: [{ tenantId }, compileFilter(query.filter, target, tenantId, element)] };
}

// The column a list is ordered by; ties are broken by id in the same direction.
export interface SortKey {
  readonly column: string;
  readonly nullable: boolean;
  readonly direction: "asc" | "desc";
}

export function sortKeyOf(query: Pick<ListQuery, "sortBy" | "sortOrder">, target: QueryTarget): SortKey {
  const direction = query.sortOrder === "descending" ? "desc" : "asc";
  if (!query.sortBy) return { column: "id", nullable: false, direction };
  const path = query.sortBy.path.toLowerCase();
  const location = target.sortColumns?.get(path) ?? target.locations.get(path);
  if (location?.kind !== "column") throw ScimError.invalidValue(`sortBy "${query.sortBy.path}" is not supported`);
  return { column: location.column, nullable: location.nullable, direction };
}

// RFC 7644 §3.4.2.3. Absent values sort last when ascending, first when descending.
export function orderOf(key: SortKey): Where[] {
  if (key.column === "id") return [{ id: key.direction }];
  const nulls = key.direction === "asc" ? "last" : "first";
  return [{ [key.column]: key.nullable ? { sort: key.direction, nulls } : key.direction }, { id: key.direction }];
}

export async function countOf<Row>(delegate: ListDelegate<Row>, where: Where): Promise<number> {
  const groups = await delegate.groupBy({ by: ["tenantId"], where, _count: { _all: true } });
  return groups[0]?._count._all ?? 0;
}

export async function listPage<Row>(
  delegate: ListDelegate<Row>,
  tenantId: string,
  query: ListQuery,
  target: QueryTarget,
  select: Record<string, boolean>,
  owners?: ElementOwners,
): Promise<{ totalResults: number; rows: Row[]; nextCursor?: string }> {
  const where = await whereOf(tenantId, query, target, owners);
  const key = sortKeyOf(query, target);
  const orderBy = orderOf(key);
  if (query.cursor === undefined) {
    if (query.count === 0) return { totalResults: await countOf(delegate, where), rows: [] };
    const rows = await delegate.findMany({ where, select, orderBy, skip: query.startIndex - 1, take: query.count });
    // A short page that starts at the first match, or has any match, ends the result: its end is
    // the count, without a second statement (an eq lookup is one statement).
    const ends = rows.length < query.count && (rows.length > 0 || query.startIndex === 1);
    return { totalResults: ends ? query.startIndex - 1 + rows.length : await countOf(delegate, where), rows };
  }
  // RFC 9865: one row more than the page tells whether there is a next page.
  const pageWhere = query.cursor === "" ? where : { AND: [where, afterCursor(query, key, query.cursor)] };
  const [totalResults, fetched] = await Promise.all([
    countOf(delegate, where),
    query.count === 0
      ? Promise.resolve([])
      : delegate.findMany({ where: pageWhere, select: { ...select, ...sortSelect(key) }, orderBy, skip: 0, take: query.count + 1 }),
  ]);
  const rows = fetched.slice(0, query.count);
  const last = rows.at(-1) as Record<string, unknown> | undefined;
  return fetched.length > query.count && last
    ? { totalResults, rows, nextCursor: encodeCursor(query, key, last) }
    : { totalResults, rows };
}

function sortSelect(key: SortKey): Record<string, boolean> {
  return key.column === "id" ? {} : { [key.column]: true };
}
