import type { SqlStatement, SqlValue } from "../driver/sql.ts";
import type { RowValues, Table } from "../tables.ts";
import { placeholders } from "./condition.ts";

// The INSERT and UPDATE statements of the store's writes, over the columns schema.prisma declares
// (tables.ts).

// INSERT of rows into one table; a column some row lacks is NULL in that row.
export function insertSql<T extends Table>(table: T, rows: readonly RowValues<T>[]): { text: string; args: SqlValue[] } {
  const columns = rows.length === 1 ? Object.keys(rows[0] as object) : [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const args: SqlValue[] = [];
  for (const row of rows) for (const name of columns) args.push((row as Readonly<Record<string, SqlValue | undefined>>)[name] ?? null);
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
export function updateSql<T extends Table>(table: T, set: RowValues<T>, where: RowValues<T>): { text: string; args: SqlValue[] } {
  const assignments = Object.keys(set).map((name) => `"${name}" = ?`);
  const conditions = Object.keys(where).map((name) => `"${name}" = ?`);
  return {
    text: `UPDATE "${table}" SET ${assignments.join(", ")} WHERE ${conditions.join(" AND ")}`,
    args: [...Object.values(set), ...Object.values(where)] as SqlValue[],
  };
}

// Rows per statement of a batch's multi-row writes: a few fixed sizes, so that the statements
// have a few texts, each prepared once (driver/postgresql.ts names a bounded number of them).
const chunkSizes = [256, 64, 16, 4, 1];

export function inChunks<T>(rows: readonly T[], statement: (chunk: readonly T[]) => SqlStatement): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = 0;
  for (const size of chunkSizes) {
    for (; rows.length - start >= size; start += size) statements.push(statement(rows.slice(start, start + size)));
  }
  return statements;
}
