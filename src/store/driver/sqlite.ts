import Sqlite from "better-sqlite3";
import type { QueryEvent, Sql, SqlRow, SqlStatement, SqlValue } from "./sql.ts";
import { refreshStatistics, type StatisticsScope } from "./statistics.ts";

// The serving connection to a SQLite file: one better-sqlite3 connection, whose calls run to
// their end before any other JavaScript does.
//
// The gate holds the connection for a transaction, from BEGIN to COMMIT across awaits; the
// store's statements (and the transactions of Prisma's client in the same process, database.ts)
// take it in turn. Otherwise a statement issued meanwhile would run inside the transaction and
// share its fate on rollback, or, on another connection, wait synchronously for its lock while
// the transaction it waits for cannot go on.
export class ConnectionGate {
  #held = false;
  readonly #waiting: Array<() => void> = [];

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  // Runs `run` at once when no transaction holds the connection, else once it is handed over.
  async whenFree<T>(run: () => T | Promise<T>): Promise<T> {
    if (!this.#held) return run();
    await this.acquire();
    try {
      return await run();
    } finally {
      this.release();
    }
  }

  // Hands the connection to the next waiter, in the order they asked.
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

type Statement = Sqlite.Statement<unknown[]>;

// A batch waiting for the group commit: `run` runs its statements; `alone` is set for a single
// statement, which needs no transaction around it when it is committed on its own.
interface PendingBatch {
  readonly run: () => unknown;
  readonly alone?: SqlStatement;
  readonly resolve: (result: never) => void;
  readonly reject: (error: unknown) => void;
}

// Statements kept prepared, by text, so that each SQL text is compiled once (docs/benchmarks.md,
// "Prepared statements kept by their text"); beyond this many the oldest is dropped.
const statementCacheSize = 500;

// better-sqlite3 is synchronous: a statement, or a whole batch, runs to its end before any other
// JavaScript does, so it waits for the gate only while a transaction holds it.
export class SqliteSql implements Sql {
  readonly dialect = "sqlite";
  readonly #statements = new Map<string, Statement>();
  readonly #transaction: Sqlite.Transaction<(run: () => unknown) => unknown>;
  readonly #group: Sqlite.Transaction<(group: readonly PendingBatch[]) => unknown[]>;

  constructor(
    private readonly db: Sqlite.Database,
    private readonly gate: ConnectionGate,
    private readonly onQuery?: (event: QueryEvent) => void,
  ) {
    this.#transaction = db.transaction((run: () => unknown) => run());
    this.#group = db.transaction((group: readonly PendingBatch[]) => group.map((batch) => batch.run()));
  }

  query<Row extends SqlRow>(text: string, args: readonly SqlValue[]): Promise<Row[]> {
    return this.#gated(() => this.#run(text, args) as Row[]);
  }

  execute(text: string, args: readonly SqlValue[]): Promise<number> {
    return this.#gated(() => this.#run(text, args) as number);
  }

  queries(statements: readonly SqlStatement[]): Promise<SqlRow[][]> {
    return this.#gated(() => statements.map((statement) => this.#run(statement.text, statement.args) as SqlRow[]));
  }

  // Group commit: the batches sent while the current turn of the event loop lasts (concurrent
  // requests, each one's writes) are committed together, in one transaction at its end. A commit
  // writes every page its transaction changed to the WAL, and creates, which change a dozen index
  // pages each, share most of those pages. Should one batch fail, the group is rolled back and
  // each batch runs again on its own, so that each is still all or nothing and only the failing
  // one fails. (Savepoints would isolate the batches too, but each copies every page it changes
  // to a sub-journal first: docs/benchmarks.md, "Group commit rather than savepoints".) A batch
  // that is alone runs as before; a single statement without a transaction around it.
  batch(statements: readonly SqlStatement[]): Promise<number[]> {
    return this.#enqueue(() => this.#runAll(statements), statements.length === 1 ? statements[0] : undefined);
  }

  guardedBatch(guard: SqlStatement, statements: readonly SqlStatement[]): Promise<SqlRow | undefined> {
    return this.#enqueue(() => this.#runGuarded(guard, statements));
  }

  #enqueue<T>(run: () => T, alone?: SqlStatement): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ run, ...(alone ? { alone } : {}), resolve: resolve as (result: never) => void, reject });
      if (this.#pending.length === 1) setImmediate(() => void this.#gated(() => this.#commitPending()));
    });
  }

  #runAll(statements: readonly SqlStatement[]): number[] {
    return statements.map((statement) => this.#run(statement.text, statement.args) as number);
  }

  #runGuarded(guard: SqlStatement, statements: readonly SqlStatement[]): SqlRow | undefined {
    const [row] = this.#run(guard.text, guard.args) as SqlRow[];
    if (row !== undefined) this.#runAll(statements);
    return row;
  }

  readonly #pending: PendingBatch[] = [];

  #commitPending(): void {
    const group = this.#pending.splice(0);
    if (group.length > 1) {
      let results: unknown[];
      try {
        results = this.#logged(() => this.#group.immediate(group));
      } catch {
        for (const batch of group) this.#commitAlone(batch);
        return;
      }
      group.forEach((batch, index) => batch.resolve(results[index] as never));
      return;
    }
    for (const batch of group) this.#commitAlone(batch);
  }

  #commitAlone({ run, alone, resolve, reject }: PendingBatch): void {
    try {
      resolve((alone ? run() : this.#logged(() => this.#transaction.immediate(run))) as never);
    } catch (error) {
      reject(error);
    }
  }

  #logged<T>(run: () => T): T {
    this.#log("BEGIN");
    const result = run();
    this.#log("COMMIT");
    return result;
  }

  #log(text: string): void {
    this.onQuery?.({ query: text, params: "[]", duration: 0 });
  }

  // BEGIN IMMEDIATE takes SQLite's write lock at once: another connection's write (another
  // process's, or event delivery's thread's) cannot slip in between this transaction's reads and
  // its writes, which would fail it with SQLITE_BUSY rather than wait. Batches and group commits
  // begin the same way.
  async transaction<T>(body: (sql: Sql) => Promise<T>): Promise<T> {
    await this.gate.acquire();
    try {
      this.#run("BEGIN IMMEDIATE", []);
      try {
        const result = await body(this.#inside);
        this.#run("COMMIT", []);
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.#run("ROLLBACK", []);
        throw error;
      }
    } finally {
      this.gate.release();
    }
  }

  // Statements of the transaction that holds the gate.
  readonly #inside: Sql = {
    dialect: "sqlite",
    query: async <Row extends SqlRow>(text: string, args: readonly SqlValue[]) => this.#run(text, args) as Row[],
    execute: async (text, args) => this.#run(text, args) as number,
    queries: async (statements) => statements.map((statement) => this.#run(statement.text, statement.args) as SqlRow[]),
    batch: async (statements) => this.#runAll(statements),
    guardedBatch: async (guard, statements) => this.#runGuarded(guard, statements),
    transaction: (body) => body(this.#inside),
  };

  #gated<T>(run: () => T): Promise<T> {
    return this.gate.whenFree(run);
  }

  #run(text: string, args: readonly SqlValue[]): SqlRow[] | number {
    const statement = this.#prepared(text);
    const values = args.map(sqliteValue);
    const start = this.onQuery ? performance.now() : 0;
    const result = statement.reader ? (statement.all(values) as SqlRow[]) : statement.run(values).changes;
    this.onQuery?.({ query: text, params: JSON.stringify(values), duration: performance.now() - start });
    return result;
  }

  #prepared(text: string): Statement {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      if (this.#statements.size >= statementCacheSize) this.#statements.delete(this.#statements.keys().next().value as string);
      this.#statements.set(text, statement);
    }
    return statement;
  }
}

// As Prisma's SQLite adapter stores them, so that its client reads them back: booleans as 0/1,
// DateTime as ISO 8601 text.
function sqliteValue(value: SqlValue): string | number | null {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  return value;
}

export interface SqliteDriver {
  readonly sql: Sql;
  readonly gate: ConnectionGate;
  // Analyzes the tables whose statistics are stale, or all of them (statistics.ts), once no
  // transaction holds the connection; resolves to the tables analyzed.
  refreshStatistics(scope: StatisticsScope): Promise<string[]>;
  close(): void;
}

export interface SqliteOptions {
  readonly onQuery?: (event: QueryEvent) => void;
  // The server's own connection refreshes stale statistics when it opens and then every
  // `everyMs` (an hour by default), and tells `onRefresh` of each periodic refresh; a worker's
  // connection (connection.ts) leaves them to it.
  readonly statistics?: {
    readonly everyMs?: number;
    readonly onRefresh?: (outcome: { tables: string[]; ms: number } | { error: unknown }) => void;
  };
}

// Opens the serving connection, set up as the store needs it.
export function openSqlite(path: string, options: SqliteOptions = {}): SqliteDriver {
  const db = new Sqlite(path, { timeout: 30_000 });
  configure(db);
  const gate = new ConnectionGate();
  const refresh = (scope: StatisticsScope) => gate.whenFree(() => refreshStatistics(db, scope));
  const { statistics } = options;
  if (statistics) refreshStatistics(db, "stale");
  const timer =
    statistics &&
    setInterval(() => {
      const started = performance.now();
      refresh("stale").then(
        (tables) => statistics.onRefresh?.({ tables, ms: performance.now() - started }),
        (error: unknown) => statistics.onRefresh?.({ error }),
      );
    }, statistics.everyMs ?? statisticsEveryMs).unref();
  return {
    sql: new SqliteSql(db, gate, options.onQuery),
    gate,
    refreshStatistics: refresh,
    close: () => {
      clearInterval(timer);
      db.close();
    },
  };
}

const statisticsEveryMs = 3_600_000;

function configure(db: Sqlite.Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // Checkpoints are the checkpoint worker's (checkpoint.ts); this is only a backstop.
  db.pragma("wal_autocheckpoint = 20000");
  db.pragma("foreign_keys = ON");
  // The page cache better-sqlite3 builds SQLite with, larger than SQLite's own default: a larger
  // cache makes the walk of it after a commit that split a b-tree page dearer, a smaller one makes
  // reads of an index range dearer (docs/benchmarks.md, "The SQLite page cache").
  db.pragma("cache_size = -16000");
  // LIKE (what contains and endsWith become) compares exactly and takes a backslash as its escape
  // character, as PostgreSQL's does: case-insensitive attributes are matched through folded
  // columns, so LIKE must not fold case itself, and a filter value's own % and _ arrive escaped.
  db.function("like", { deterministic: true, varargs: false }, (pattern: unknown, value: unknown) =>
    typeof pattern === "string" && typeof value === "string" ? (likeMatcher(pattern).test(value) ? 1 : 0) : null,
  );
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
