import type { ListQuery } from "../../scim/ports.ts";
import { sqlDate, type Sql, type SqlRow, type SqlValue } from "../driver/sql.ts";
import type { ColumnOf, ResourceTable, Tables } from "../tables.ts";
import { compileFilter } from "./compile.ts";
import { and, column, compare, conditionSql, expressionSql, orderSql, type Condition, type ExistsCondition } from "./condition.ts";
import { eventSequenceName } from "../events.ts";
import { layoutSequenceName } from "../sequences.ts";
import { afterCursor, afterRow, encodeCursor, type KeyValue } from "./cursor.ts";
import { positionsKey, type PagePositions } from "./positions.ts";
import { orderOf, sortKeyOf, type SortKey } from "./sort.ts";
import type { QueryTarget } from "./targets.ts";

// One list request (RFC 7644 §3.4.2) as two statements: the page, ordered with ties broken by
// id so that pages are stable, and the exact match count. Without a filter the count is the
// tenant's, kept by triggers in ResourceCount (schema.prisma), so that it costs the same at a
// million users as at ten; with one it is a COUNT(*) over the filter's index range, as dear as the
// matches are many (docs/benchmarks.md, "Scale").

const sortKeyAlias = "sortKey";

// The columns of a resource row a list reads, which users and groups both have.
export const resourceColumns = ["id", "version", "created", "lastModified", "doc"] as const satisfies readonly (ColumnOf<"User"> & ColumnOf<"Group">)[];

export type ResourceRow = Pick<Tables["User"], (typeof resourceColumns)[number]>;

// Finds the ids of the resources that own element rows meeting an EXISTS condition's `where`, or
// undefined when there are too many to list.
export type ElementOwners = (element: ExistsCondition) => Promise<readonly string[] | undefined>;

// The most ids an element condition is replaced with; beyond, the EXISTS subquery stays.
export const maxElementOwners = 5000;

// The condition of a list's filter, compiled once. Element conditions (emails.value eq "x",
// members[value eq "u"]) are looked up first in their own table, by its (tenantId, attr, value)
// index, and become `id IN (...)`: SQLite runs an EXISTS subquery once per resource of the
// tenant, which is O(users).
export async function whereOf(
  tenantId: string,
  query: Pick<ListQuery, "filter">,
  target: QueryTarget,
  owners?: ElementOwners,
): Promise<Condition> {
  if (!query.filter) return compare(column(target.resourceType, "tenantId"), "=", tenantId);
  const compiled = compileFilter(query.filter, target, tenantId);
  if (!owners) return compiled;
  const elements = existsIn(compiled);
  if (elements.length === 0) return compiled;
  const found = await Promise.all(elements.map(owners));
  const ids = new Map(elements.map((element, index) => [element, found[index]]));
  return withOwners(compiled, ids, target);
}

function existsIn(condition: Condition): ExistsCondition[] {
  switch (condition.kind) {
    case "exists":
      return [condition];
    case "and":
    case "or":
      return condition.conditions.flatMap(existsIn);
    case "not":
      return existsIn(condition.condition);
    default:
      return [];
  }
}

function withOwners(condition: Condition, ids: ReadonlyMap<ExistsCondition, readonly string[] | undefined>, target: QueryTarget): Condition {
  switch (condition.kind) {
    case "exists": {
      const owners = ids.get(condition);
      return owners ? { kind: "in", left: column(target.resourceType, "id"), values: owners } : condition;
    }
    case "and":
    case "or":
      return { kind: condition.kind, conditions: condition.conditions.map((inner) => withOwners(inner, ids, target)) };
    case "not":
      return { kind: "not", condition: withOwners(condition.condition, ids, target) };
    default:
      return condition;
  }
}

// The tenant's rows of a resource, in ResourceCount: their sum is its count. Takes the tenant's
// id and the table.
const tenantCount = `SELECT SUM("count")`;
const tenantCountRows = `FROM "ResourceCount" WHERE "tenantId" = ? AND "resource" = ?`;

async function countOf(sql: Sql, table: ResourceTable, where: Condition, tenantId: string, filtered: boolean): Promise<number> {
  if (!filtered) {
    const [row] = await sql.query<{ n: number | null }>(`${tenantCount} AS "n" ${tenantCountRows}`, [tenantId, table]);
    return Number(row?.n ?? 0);
  }
  const args: SqlValue[] = [];
  const [row] = await sql.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE ${conditionSql(where, args)}`, args);
  return Number(row?.n ?? 0);
}

// The tenant's stamp, read in the statement of a page so that it describes the rows the page was
// read from (positions.ts): the sum of its event sequence and of its layout changes (writes that
// reorder rows without events, assign.ts), and its row count, which also changes with rows
// written without the store (a bulk load). The count is also an unfiltered list's total.
const stampColumns = `(SELECT SUM("last") FROM "Sequence" WHERE "tenantId" = ? AND "name" IN ('${eventSequenceName}', '${layoutSequenceName}')) AS "stampWrites",
  (${tenantCount} ${tenantCountRows}) AS "stampRows"`;

interface PageOptions {
  readonly skip: number;
  readonly take: number;
  // Reads the tenant's stamp with the page.
  readonly stampOf?: string;
}

async function pageOf(sql: Sql, target: QueryTarget, where: Condition, key: SortKey, options: PageOptions): Promise<SqlRow[]> {
  const table = target.resourceType;
  const args: SqlValue[] = [];
  // The sort key's value, for the cursor, under a name of its own: an extension value is an
  // expression, and PostgreSQL cuts names at 63 bytes.
  const columns = [
    ...resourceColumns.map((name) => `"${table}"."${name}"`),
    ...(key.by === undefined ? [] : [`${expressionSql(key.by, args)} AS "${sortKeyAlias}"`]),
  ];
  if (options.stampOf !== undefined) {
    columns.push(stampColumns);
    args.push(options.stampOf, options.stampOf, table);
  }
  const conditions = conditionSql(where, args);
  const order = orderSql(orderOf(key, target), args);
  const text = `SELECT ${columns.join(", ")} FROM "${table}" WHERE ${conditions} ORDER BY ${order} LIMIT ? OFFSET ?`;
  return sql.query(text, [...args, options.take, options.skip]);
}

const stampOf = (row: SqlRow) => `${Number(row.stampWrites ?? 0)}/${Number(row.stampRows ?? 0)}`;

export async function listPage(
  sql: Sql,
  tenantId: string,
  query: ListQuery,
  target: QueryTarget,
  owners?: ElementOwners,
  positions?: PagePositions,
): Promise<{ totalResults: number; rows: ResourceRow[]; nextCursor?: string }> {
  const table = target.resourceType;
  const where = await whereOf(tenantId, query, target, owners);
  const key = sortKeyOf(query, target);
  const filtered = query.filter !== undefined;
  const count = () => countOf(sql, table, where, tenantId, filtered);
  if (query.cursor === undefined) {
    if (query.count === 0) return { totalResults: await count(), rows: [] };
    const skip = query.startIndex - 1;
    // A page that a walk may continue is read with the tenant's stamp; a filtered first page (an
    // IdP's lookup by userName, most often) is not, so that it stays one plain statement.
    const walked = positions !== undefined && (!filtered || skip > 0);
    const take = query.count;
    let fetched: SqlRow[] | undefined;
    const walk = walked ? positionsKey(tenantId, table, query) : "";
    const from = walked && skip > 0 ? positions.at(walk, skip) : undefined;
    if (from !== undefined) {
      const seeked = await pageOf(sql, target, and(where, afterRow(key, target, from)), key, { skip: 0, take, stampOf: tenantId });
      if (seeked.length > 0 && stampOf(seeked[0]!) === from.stamp) fetched = seeked;
    }
    fetched ??= await pageOf(sql, target, where, key, { skip, take, ...(walked ? { stampOf: tenantId } : {}) });
    const last = fetched.at(-1);
    if (walked && last !== undefined && fetched.length === take) {
      positions.remember(walk, skip + take, { stamp: stampOf(last), id: last.id as string, value: sortValue(key, last[sortKeyAlias]) as KeyValue | Date });
    }
    const rows = fetched.map(resourceRow);
    // A short page that starts at the first match, or has any match, ends the result: its end is
    // the count, without a second statement (an eq lookup is one statement). Without a filter the
    // count came with the page.
    const ends = rows.length < take && (rows.length > 0 || query.startIndex === 1);
    if (ends) return { totalResults: skip + rows.length, rows };
    return { totalResults: walked && !filtered && fetched.length > 0 ? Number(fetched[0]!.stampRows ?? 0) : await count(), rows };
  }
  // RFC 9865: one row more than the page tells whether there is a next page.
  const pageWhere = query.cursor === "" ? where : and(where, afterCursor(query, key, target, query.cursor));
  const [totalResults, fetched] = await Promise.all([
    count(),
    query.count === 0 ? Promise.resolve([]) : pageOf(sql, target, pageWhere, key, { skip: 0, take: query.count + 1 }),
  ]);
  const rows = fetched.slice(0, query.count);
  const last = rows.at(-1);
  return fetched.length > query.count && last
    ? { totalResults, rows: rows.map(resourceRow), nextCursor: encodeCursor(query, key, { id: last.id as string, value: sortValue(key, last[sortKeyAlias]) }) }
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

// A sort value as the cursor keeps it: a Date for meta.created and meta.lastModified (SQLite
// returns their text), a boolean for `active` (SQLite returns 0 or 1).
function sortValue(key: SortKey, value: unknown): unknown {
  if (key.date) return value === null || value === undefined ? null : sqlDate(value);
  if (key.boolean && typeof value === "number") return value === 1;
  return value;
}
