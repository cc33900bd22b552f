// The port the store speaks to its database through: SQL text with `?` placeholders and
// double-quoted identifiers, as Prisma's migrations name tables and columns, written once for
// both databases (sqlite.ts and postgresql.ts turn it into each driver's calls). Prisma owns the
// schema and the migrations; the serving path does not go through its client (docs/benchmarks.md,
// "SQL instead of Prisma's client on the serving path").

export type SqlValue = string | number | boolean | Date | null;

export type SqlRow = Record<string, unknown>;

export interface SqlStatement {
  readonly text: string;
  readonly args: readonly SqlValue[];
  // Set on a statement that takes a row lock every other write of the same key waits for until
  // commit (the outbox's sequence row, store/events.ts); it and the statements after it in its
  // batch are the batch's last. PostgreSQL's group commit sends these parts after every other
  // statement of the group, in the order of their keys, so that a group takes such a lock only
  // once it holds every other lock it needs, as a single batch does (driver/postgresql.ts).
  readonly lockKey?: string;
}

export type DatabaseKind = "sqlite" | "postgresql";

// A statement as sent: its SQL text and its parameters as a JSON array.
export interface QueryEvent {
  readonly query: string;
  readonly params: string;
  readonly duration: number;
}

export interface Sql {
  // Which database the statements go to, for the few clauses the two spell differently (row locks).
  readonly dialect: DatabaseKind;
  query<Row extends SqlRow>(text: string, args: readonly SqlValue[]): Promise<Row[]>;
  // Reads that do not depend on each other, each one's rows: on PostgreSQL sent in one write
  // (driver/postgresql.ts), each in its own snapshot as separate queries would be.
  queries(statements: readonly SqlStatement[]): Promise<SqlRow[][]>;
  // The number of rows the statement changed.
  execute(text: string, args: readonly SqlValue[]): Promise<number>;
  // The statements in one transaction, all or none; each one's number of changed rows.
  batch(statements: readonly SqlStatement[]): Promise<number[]>;
  // `guard`, a statement that returns rows (an UPDATE ... RETURNING), then `statements`, in one
  // transaction as batch() runs them; when `guard` returns no row, `statements` are not run. The
  // guard's first row. For writes that depend on no row they read, only on the guard's outcome.
  guardedBatch(guard: SqlStatement, statements: readonly SqlStatement[]): Promise<SqlRow | undefined>;
  // One transaction around statements that depend on what earlier ones read: committed when
  // body resolves, rolled back when it throws. Statements inside go through the Sql it is given.
  transaction<T>(body: (sql: Sql) => Promise<T>): Promise<T>;
}

export function runStatement(sql: Sql, statement: SqlStatement): Promise<number> {
  return sql.execute(statement.text, statement.args);
}

// Statements one after another, through `sql` (a transaction's, to be part of it).
export async function runStatements(sql: Sql, statements: readonly SqlStatement[]): Promise<void> {
  for (const statement of statements) await sql.execute(statement.text, statement.args);
}

// A DateTime column as read: ISO 8601 text from SQLite, a Date from PostgreSQL.
export function sqlDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}
