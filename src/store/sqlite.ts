import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import type Database from "better-sqlite3";
import { ConnectionGate } from "./sql.ts";

// The SQLite driver adapter, with the connection set up as the store needs it.
//
// LIKE (what contains and endsWith become, statements.ts) is replaced by one that compares exactly and
// takes a backslash as its escape character, as PostgreSQL's LIKE does. Case-insensitive
// attributes are matched through folded columns, so LIKE must not fold case itself, and a
// filter value's own % and _ are escaped by the compiler, which SQLite's built-in LIKE cannot
// honour without an ESCAPE clause (which Prisma's client, when used, does not write either).
//
// Prisma's transactions, when its client is used, take the connection's gate (sql.ts) from BEGIN
// to their end, as the store's own transactions do, so that no statement runs inside another's.
//
// The factory opens one connection, on its first connect(), and hands the same adapter to every
// later caller: the store's SQL (sql.ts) and, when it is created, Prisma's client share it.
export class SqliteAdapterFactory extends PrismaBetterSqlite3 {
  readonly gate = new ConnectionGate();
  #connection: Database.Database | undefined;
  #adapter: ReturnType<PrismaBetterSqlite3["connect"]> | undefined;

  // The connection, once open.
  get connection(): Database.Database {
    if (!this.#connection) throw new Error("The SQLite connection is not open yet");
    return this.#connection;
  }

  override connect() {
    this.#adapter ??= super.connect().then((adapter) => {
      this.#connection = (adapter as unknown as { client: Database.Database }).client;
      configure(this.#connection);
      gateTransactions(adapter, this.gate);
      return adapter;
    });
    return this.#adapter;
  }
}

function gateTransactions(adapter: SqlDriverAdapter, gate: ConnectionGate): void {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    await gate.acquire();
    try {
      const transaction = await start(isolationLevel);
      const commit = transaction.commit.bind(transaction);
      const rollback = transaction.rollback.bind(transaction);
      transaction.commit = () => commit().finally(() => gate.release());
      transaction.rollback = () => rollback().finally(() => gate.release());
      return transaction;
    } catch (error) {
      gate.release();
      throw error;
    }
  };
}

function configure(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // Checkpoints are the checkpoint worker's (checkpoint.ts); this is only a backstop.
  db.pragma("wal_autocheckpoint = 20000");
  db.pragma("foreign_keys = ON");
  // The page cache better-sqlite3 builds SQLite with, larger than SQLite's own default: a larger
  // cache makes the walk of it after a commit that split a b-tree page dearer, a smaller one makes
  // reads of an index range dearer (docs/benchmarks.md, "The SQLite page cache").
  db.pragma("cache_size = -16000");
  reuseStatements(db);
  db.function("like", { deterministic: true, varargs: false }, (pattern: unknown, value: unknown) =>
    typeof pattern === "string" && typeof value === "string" ? (likeMatcher(pattern).test(value) ? 1 : 0) : null,
  );
}

// The adapter prepares every statement it runs (`prepare(sql).bind(args)`), compiling the SQL
// each time (docs/benchmarks.md, "Prepared statements kept by their text"). Prepared statements
// are kept by their SQL text and run with
// each call's arguments instead of being bound to them. better-sqlite3's own pragma and
// transaction helpers prepare through its native handle, not through this method.
const statementCacheSize = 500;

type Statement = Database.Statement<unknown[]>;

function reuseStatements(db: Database.Database): void {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  const statements = new Map<string, Statement>();
  const reused = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (statements.size >= statementCacheSize) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return reusable(statement);
  };
  (db as unknown as { prepare: typeof reused }).prepare = reused;
}

// What the adapter calls on a prepared statement, with the arguments given to bind() passed to
// each run instead.
function reusable(statement: Statement) {
  return {
    reader: statement.reader,
    run: () => statement.run(),
    bind: (args: unknown[]) => ({
      reader: statement.reader,
      run: () => statement.run(args),
      columns: () => statement.columns(),
      raw: () => ({ all: () => statement.raw(true).all(args) }),
    }),
  };
}

let lastPattern = "";
let lastMatcher = /^$/;

// LIKE pattern -> anchored regular expression: % any run, _ any one character, \x a literal x.
function likeMatcher(pattern: string): RegExp {
  if (pattern === lastPattern) return lastMatcher;
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === "\\" && i + 1 < pattern.length) source += escapeRegExp(pattern[++i] as string);
    else if (char === "%") source += "[\\s\\S]*";
    else if (char === "_") source += "[\\s\\S]";
    else source += escapeRegExp(char);
  }
  lastPattern = pattern;
  lastMatcher = new RegExp(`^${source}$`, "u");
  return lastMatcher;
}

function escapeRegExp(char: string): string {
  return /[\\^$.*+?()[\]{}|]/.test(char) ? `\\${char}` : char;
}
