import type { ListQuery } from "../../scim/ports.ts";
import { sqlDate, type Sql, type SqlRow, type SqlValue } from "../sql.ts";
import { compileFilter, existsElement, type ElementCondition, type Where } from "./compile.ts";
import { afterCursor, encodeCursor } from "./cursor.ts";
import { orderOf, sortKeyOf, type SortKey } from "./sort.ts";
import { column, orderSql, whereSql, type Table } from "./statements.ts";
import type { ElementLocation, QueryTarget } from "./targets.ts";

// One list request (RFC 7644 §3.4.2) as two statements: the page, ordered with ties broken by
// id so that pages are stable, and the exact match count, a plain COUNT(*) that an index answers.

const sortKeyAlias = "sortKey";

// The columns of a resource row a list reads.
export const resourceColumns = ["id", "version", "created", "lastModified", "doc"] as const;

export interface ResourceRow {
  id: string;
  version: number;
  created: Date;
  lastModified: Date;
  doc: string;
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

async function countOf(sql: Sql, table: Table, where: Where): Promise<number> {
  const args: SqlValue[] = [];
  const [row] = await sql.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE ${whereSql(where, table, args)}`, args);
  return Number(row?.n ?? 0);
}

async function pageOf(sql: Sql, table: Table, where: Where, key: SortKey, skip: number, take: number): Promise<SqlRow[]> {
  const args: SqlValue[] = [];
  // The sort key's value, for the cursor, under a name of its own: an extension value is an
  // expression (statements.ts), and PostgreSQL cuts names at 63 bytes.
  const columns = [...resourceColumns.map((name) => column(table, name)), ...(key.column === "id" ? [] : [`${column(table, key.column)} AS "${sortKeyAlias}"`])];
  const text = `SELECT ${columns.join(", ")} FROM "${table}" WHERE ${whereSql(where, table, args)} ORDER BY ${orderSql(table, orderOf(key))} LIMIT ? OFFSET ?`;
  return sql.query(text, [...args, take, skip]);
}

export async function listPage(
  sql: Sql,
  table: "User" | "Group",
  tenantId: string,
  query: ListQuery,
  target: QueryTarget,
  owners?: ElementOwners,
): Promise<{ totalResults: number; rows: ResourceRow[]; nextCursor?: string }> {
  const where = await whereOf(tenantId, query, target, owners);
  const key = sortKeyOf(query, target);
  if (query.cursor === undefined) {
    if (query.count === 0) return { totalResults: await countOf(sql, table, where), rows: [] };
    const rows = (await pageOf(sql, table, where, key, query.startIndex - 1, query.count)).map(resourceRow);
    // A short page that starts at the first match, or has any match, ends the result: its end is
    // the count, without a second statement (an eq lookup is one statement).
    const ends = rows.length < query.count && (rows.length > 0 || query.startIndex === 1);
    return { totalResults: ends ? query.startIndex - 1 + rows.length : await countOf(sql, table, where), rows };
  }
  // RFC 9865: one row more than the page tells whether there is a next page.
  const pageWhere = query.cursor === "" ? where : { AND: [where, afterCursor(query, key, query.cursor)] };
  const [totalResults, fetched] = await Promise.all([
    countOf(sql, table, where),
    query.count === 0 ? Promise.resolve([]) : pageOf(sql, table, pageWhere, key, 0, query.count + 1),
  ]);
  const rows = fetched.slice(0, query.count);
  const last = rows.at(-1);
  return fetched.length > query.count && last
    ? { totalResults, rows: rows.map(resourceRow), nextCursor: encodeCursor(query, key, key.column === "id" ? last : { ...last, [key.column]: sortValue(key, last[sortKeyAlias]) }) }
    : { totalResults, rows: rows.map(resourceRow) };
}

export function resourceRow(row: SqlRow): ResourceRow {
  return {
    id: row.id as string,
    version: Number(row.version),
    created: sqlDate(row.created),
    lastModified: sqlDate(row.lastModified),
    doc: row.doc as string,
  };
}

// A sort column's value as the cursor keeps it: a Date for meta.created and meta.lastModified
// (SQLite returns their text), a boolean for `active` (SQLite returns 0 or 1).
function sortValue(key: SortKey, value: unknown): unknown {
  if (key.date) return value === null ? null : sqlDate(value);
  if (key.boolean && typeof value === "number") return value === 1;
  return value;
}
