import { ScimError } from "../../scim/errors.ts";
import type { ListQuery } from "../../scim/ports.ts";
import { compileFilter, type Where } from "./compile.ts";
import type { QueryTarget } from "./targets.ts";

// One list request (RFC 7644 §3.4.2) as two statements: the page, ordered with ties broken by
// id so that pages are stable, and the exact match count. The count goes through groupBy, which
// Prisma sends as a plain COUNT(*) ... GROUP BY "tenantId" that an index answers; its count()
// wraps the query in a subquery that SQLite has to step through row by row.

// The parts of a Prisma model delegate a list needs (user and group delegates both fit).
export interface ListDelegate<Row> {
  findMany(args: { where: Where; select: Record<string, boolean>; orderBy: Where[]; skip: number; take: number }): Promise<Row[]>;
  groupBy(args: { by: ["tenantId"]; where: Where; _count: { _all: true } }): Promise<Array<{ _count: { _all: number } }>>;
}

export function whereOf(tenantId: string, query: Pick<ListQuery, "filter">, target: QueryTarget): Where {
  return query.filter ? { AND: [{ tenantId }, compileFilter(query.filter, target)] } : { tenantId };
}

export function orderOf(query: Pick<ListQuery, "sortBy" | "sortOrder">, target: QueryTarget): Where[] {
  const direction = query.sortOrder === "descending" ? "desc" : "asc";
  if (!query.sortBy) return [{ id: direction }];
  const path = query.sortBy.path.toLowerCase();
  const location = target.sortColumns?.get(path) ?? target.locations.get(path);
  const column = location?.kind === "column" ? location : undefined;
  if (!column) throw ScimError.invalidValue(`sortBy "${query.sortBy.path}" is not supported`);
  if (column.column === "id") return [{ id: direction }];
  const nulls = direction === "asc" ? "last" : "first";
  return [{ [column.column]: column.nullable ? { sort: direction, nulls } : direction }, { id: direction }];
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
): Promise<{ totalResults: number; rows: Row[] }> {
  const where = whereOf(tenantId, query, target);
  const orderBy = orderOf(query, target);
  const [totalResults, rows] = await Promise.all([
    countOf(delegate, where),
    query.count === 0
      ? Promise.resolve([])
      : delegate.findMany({ where, select, orderBy, skip: query.startIndex - 1, take: query.count }),
  ]);
  return { totalResults, rows };
}
