import type { SqlValue } from "../sql.ts";
import type { Where } from "./compile.ts";

// SQL statements of the store (sql.ts), and the `where` the filter compiler writes (compile.ts,
// cursor.ts) as SQL: the part of Prisma's
// filter syntax those modules use, rendered as Prisma renders it (AND/OR/NOT, equals, not, in,
// lt/lte/gt/gte, contains and endsWith as LIKE, `relation: { some }` as EXISTS). Columns are
// qualified by their table, so that an EXISTS subquery's columns never resolve to the outer row.

export type Table = "User" | "Group" | "UserValue" | "GroupMember" | "ExtensionValue";

export const modelTables = {
  user: "User",
  group: "Group",
  userValue: "UserValue",
  groupMember: "GroupMember",
  extensionValue: "ExtensionValue",
} as const satisfies Record<string, Table>;

// The element rows behind each relation a filter can name, and the column naming their owner.
const relations: Partial<Record<Table, Readonly<Record<string, { readonly table: Table; readonly owner: string }>>>> = {
  User: {
    values: { table: "UserValue", owner: "userId" },
    memberships: { table: "GroupMember", owner: "userId" },
    extensionValues: { table: "ExtensionValue", owner: "userId" },
  },
  Group: {
    members: { table: "GroupMember", owner: "groupId" },
    extensionValues: { table: "ExtensionValue", owner: "groupId" },
  },
};

const always = "1 = 1";
const never = "1 = 0";

// Appends the values of the `?` placeholders to args, in order.
export function whereSql(where: Where, table: Table, args: SqlValue[]): string {
  return and(Object.entries(where).map(([key, value]) => condition(key, value, table, args)));
}

export function column(table: Table, name: string): string {
  if (name.startsWith(extensionValuePrefix)) return extensionValueExpression(table, name);
  return `"${table}"."${name}"`;
}

// A sort key on an extension attribute (list.ts sortKeyOf) names no column of the resource's row:
// its value is the resource's first ExtensionValue row of that attribute, read by a correlated
// subquery (the row's owner column is indexed). The name carries the value column and the path.
const extensionValuePrefix = "~extension:";

export function extensionValueColumn(valueColumn: "value" | "num", path: string): string {
  return `${extensionValuePrefix}${valueColumn}:${path}`;
}

function extensionValueExpression(table: Table, name: string): string {
  const rest = name.slice(extensionValuePrefix.length);
  const valueColumn = rest.startsWith("num:") ? "num" : "value";
  const path = rest.slice(valueColumn.length + 1).replaceAll("'", "''");
  const owner = table === "Group" ? "groupId" : "userId";
  return `(SELECT "ExtensionValue"."${valueColumn}" FROM "ExtensionValue" WHERE "ExtensionValue"."${owner}" = "${table}"."id" AND "ExtensionValue"."attr" = '${path}' AND "ExtensionValue"."pos" = 0)`;
}

function condition(key: string, value: unknown, table: Table, args: SqlValue[]): string {
  switch (key) {
    case "AND":
      return and(wheres(value).map((where) => whereSql(where, table, args)));
    case "OR": {
      const parts = wheres(value).map((where) => whereSql(where, table, args));
      return parts.length === 0 ? never : parts.length === 1 ? (parts[0] as string) : `(${parts.join(" OR ")})`;
    }
    case "NOT":
      return and(wheres(value).map((where) => `NOT ${parenthesised(whereSql(where, table, args))}`));
  }
  const relation = relations[table]?.[key];
  if (relation) {
    const { some } = value as { some?: Where };
    if (!some) throw new Error(`Unsupported relation filter on ${table}.${key}`);
    const inner = whereSql(some, relation.table, args);
    return `EXISTS (SELECT 1 FROM "${relation.table}" WHERE ${column(relation.table, relation.owner)} = ${column(table, "id")} AND ${inner})`;
  }
  return columnCondition(column(table, key), value, args);
}

function columnCondition(name: string, value: unknown, args: SqlValue[]): string {
  if (value === null) return `${name} IS NULL`;
  if (!isOperators(value)) return compare(name, "=", value as SqlValue, args);
  return and(Object.entries(value).map(([operator, operand]) => operation(name, operator, operand, args)));
}

function operation(name: string, operator: string, operand: unknown, args: SqlValue[]): string {
  switch (operator) {
    case "equals":
      return operand === null ? `${name} IS NULL` : compare(name, "=", operand as SqlValue, args);
    case "not":
      if (operand === null) return `${name} IS NOT NULL`;
      return isOperators(operand) ? `NOT ${parenthesised(columnCondition(name, operand, args))}` : compare(name, "<>", operand as SqlValue, args);
    case "in": {
      const values = operand as SqlValue[];
      if (values.length === 0) return never;
      args.push(...values);
      return `${name} IN (${values.map(() => "?").join(", ")})`;
    }
    case "lt":
      return compare(name, "<", operand as SqlValue, args);
    case "lte":
      return compare(name, "<=", operand as SqlValue, args);
    case "gt":
      return compare(name, ">", operand as SqlValue, args);
    case "gte":
      return compare(name, ">=", operand as SqlValue, args);
    case "contains":
      args.push(`%${operand as string}%`);
      return `${name} LIKE ?`;
    case "endsWith":
      args.push(`%${operand as string}`);
      return `${name} LIKE ?`;
    default:
      throw new Error(`Unsupported filter operator ${operator}`);
  }
}

function compare(name: string, operator: string, value: SqlValue, args: SqlValue[]): string {
  args.push(value);
  return `${name} ${operator} ?`;
}

function isOperators(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !(value instanceof Date);
}

function wheres(value: unknown): Where[] {
  return Array.isArray(value) ? (value as Where[]) : [value as Where];
}

function and(parts: readonly string[]): string {
  const kept = parts.filter((part) => part !== always);
  if (kept.length === 0) return always;
  return kept.length === 1 ? (kept[0] as string) : kept.map(parenthesised).join(" AND ");
}

function parenthesised(sql: string): string {
  return `(${sql})`;
}

// ORDER BY terms; `nulls` as Prisma's { sort, nulls } writes it.
export function orderSql(table: Table, orderBy: readonly Where[]): string {
  return orderBy
    .flatMap((term) =>
      Object.entries(term).map(([name, order]) => {
        if (typeof order === "string") return `${column(table, name)} ${order.toUpperCase()}`;
        const { sort, nulls } = order as { sort: string; nulls?: string };
        return `${column(table, name)} ${sort.toUpperCase()}${nulls ? ` NULLS ${nulls.toUpperCase()}` : ""}`;
      }),
    )
    .join(", ");
}

// INSERT of rows into one table; a column some row lacks is NULL in that row.
export function insertSql(table: Table, rows: readonly Readonly<Record<string, SqlValue>>[]): { text: string; args: SqlValue[] } {
  const columns = rows.length === 1 ? Object.keys(rows[0] as object) : [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const args: SqlValue[] = [];
  for (const row of rows) for (const name of columns) args.push(row[name] ?? null);
  return { text: insertText(table, columns, rows.length), args };
}

// The texts of the INSERTs the store sends over and over (a user, its value rows), by shape.
const insertTexts = new Map<string, string>();
const insertTextsKept = 1000;

function insertText(table: Table, columns: readonly string[], rowCount: number): string {
  const key = `${table} ${rowCount} ${columns.join(",")}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const tuple = `(${placeholders(columns.length)})`;
    text = `INSERT INTO "${table}" (${columns.map((name) => `"${name}"`).join(", ")}) VALUES ${Array.from({ length: rowCount }, () => tuple).join(", ")}`;
    if (insertTexts.size < insertTextsKept) insertTexts.set(key, text);
  }
  return text;
}

// UPDATE of the columns in `set` of the rows whose columns equal those in `where`.
export function updateSql(
  table: Table,
  set: Readonly<Record<string, SqlValue>>,
  where: Readonly<Record<string, SqlValue>>,
): { text: string; args: SqlValue[] } {
  const assignments = Object.keys(set).map((name) => `"${name}" = ?`);
  const conditions = Object.keys(where).map((name) => `"${name}" = ?`);
  return {
    text: `UPDATE "${table}" SET ${assignments.join(", ")} WHERE ${conditions.join(" AND ")}`,
    args: [...Object.values(set), ...Object.values(where)],
  };
}

// `?, ?, ...`: one placeholder per value of an IN list.
export function placeholders(count: number): string {
  return count <= 0 ? "" : `${"?, ".repeat(count - 1)}?`;
}
