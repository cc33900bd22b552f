import { ScimError } from "../scim/errors.ts";
import type { Attributes, Versioned, WriteCondition } from "../scim/ports.ts";
import { resourceColumns, resourceRow, type ResourceRow } from "./query/list.ts";
import type { Sql, SqlRow, SqlStatement, SqlValue } from "./driver/sql.ts";

// Reads of a versioned resource row (User, Group) for a write under a write condition
// (RFC 7644 §3.14).

type ResourceTable = "User" | "Group";

// The columns of a resource row, as a SELECT or RETURNING list.
export const resourceColumnList = resourceColumns.map((name) => `"${name}"`).join(", ");

export async function readRow(sql: Sql, table: ResourceTable, tenantId: string, id: string): Promise<ResourceRow | undefined> {
  const statement = rowStatement(table, tenantId, id);
  const [row] = await sql.query(statement.text, statement.args);
  return row ? resourceRow(row) : undefined;
}

// The read of one resource row.
export function rowStatement(table: ResourceTable, tenantId: string, id: string): SqlStatement {
  return { text: `SELECT ${resourceColumnList} FROM "${table}" WHERE "tenantId" = ? AND "id" = ?`, args: [tenantId, id] };
}

// A resource row as the core sees it: its version, timestamps and stored attributes.
export function storedResource(row: ResourceRow): Versioned & { attributes: Attributes } {
  return {
    id: row.id,
    version: row.version,
    created: row.created,
    lastModified: row.lastModified,
    attributes: JSON.parse(row.doc) as Attributes,
  };
}

export function staleVersion(): ScimError {
  return ScimError.preconditionFailed("The resource has changed since the version given in If-Match");
}

// The row to be written under the condition, of the rows rowStatement read: 404 if the resource
// is missing, 412 if it is at another version than the condition names.
export function writableOf(rows: readonly SqlRow[], table: ResourceTable, id: string, condition: WriteCondition): ResourceRow {
  const [found] = rows;
  if (!found) throw ScimError.notFound(`${table} ${id} not found`);
  const row = resourceRow(found);
  if (condition.ifVersion !== undefined && row.version !== condition.ifVersion) throw staleVersion();
  return row;
}

// As writableOf, inside a transaction, and holding the row until the transaction ends
// (PostgreSQL row lock; SQLite runs one write transaction at a time), so that what the transaction
// writes is computed from a state no other write can replace meanwhile.
export async function lockedRow(tx: Sql, table: ResourceTable, tenantId: string, id: string, condition: WriteCondition): Promise<ResourceRow> {
  const lock = tx.dialect === "postgresql" ? " FOR UPDATE" : "";
  const statement = rowStatement(table, tenantId, id);
  return writableOf(await tx.query(`${statement.text}${lock}`, statement.args), table, id, condition);
}

// Thrown inside a write's transaction when the write turns out to change nothing, so that what
// it did (a version bump taken to hold the row) is rolled back; carries what to answer.
export class Unchanged<T> extends Error {
  constructor(readonly current: T) {
    super("The write changes nothing");
  }
}

// Runs the transaction; when it throws Unchanged, the state that carries instead.
export async function unlessUnchanged<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof Unchanged) return error.current as T;
    throw error;
  }
}

export function equalities(where: Readonly<Record<string, SqlValue>>): string {
  return Object.keys(where)
    .map((name) => `"${name}" = ?`)
    .join(" AND ");
}
