import Sqlite from "better-sqlite3";
import pg from "pg";

// Every statement the server sends, written as SQL and run on the connections Prisma's driver
// adapters open. Through @prisma/client each statement cost a query-plan lookup, argument and
// result mapping and several promise hops, and its query compiler a large resident WebAssembly
// module (docs/benchmarks.md, "SQL instead of Prisma's client on the serving path"). The schema, the
// migrations and the generated types stay Prisma's; the client is there for scripts and tests.
//
// The SQL is written once for both databases: `?` placeholders (numbered for PostgreSQL here)
// and double-quoted identifiers, as Prisma's migrations name tables and columns.

export type SqlValue = string | number | boolean | Date | null;

export type SqlRow = Record<string, unknown>;

export interface SqlStatement {
  readonly text: string;
  readonly args: readonly SqlValue[];
}

export type DatabaseKind = "sqlite" | "postgresql";

// A statement as Prisma sent it: SQL text and its parameters as a JSON array.
export interface QueryEvent {
  readonly query: string;
  readonly params: string;
  readonly duration: number;
}

export interface Sql {
  // Which database the statements go to, for the few clauses the two spell differently (row locks).
  readonly dialect: DatabaseKind;
  query<Row extends SqlRow>(text: string, args: readonly SqlValue[]): Promise<Row[]>;
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

// A DateTime column as read: ISO 8601 text from SQLite, a Date from PostgreSQL.
export function sqlDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

// Holds the one SQLite connection for a transaction, from BEGIN to COMMIT across awaits. This
// module's transactions and statements (and Prisma's transactions, sqlite.ts) take it in turn;
// otherwise a statement issued meanwhile would run inside the transaction and share its fate on
// rollback.
export class ConnectionGate {
  #held = false;
  readonly #waiting: Array<() => void> = [];

  get held(): boolean {
    return this.#held;
  }

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
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

// Statements kept prepared, by text; beyond this many the oldest is dropped.
const statementCacheSize = 500;

// better-sqlite3 is synchronous: a statement, or a whole batch, runs to its end before any other
// JavaScript does, so it waits for the gate only while a transaction holds it.
export class SqliteSql implements Sql {
  readonly dialect = "sqlite";
  readonly #statements = new Map<string, Statement>();
  readonly #transaction: (run: () => unknown) => unknown;
  readonly #group: (group: readonly PendingBatch[]) => unknown[];

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
        results = this.#logged(() => this.#group(group));
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
      resolve((alone ? run() : this.#logged(() => this.#transaction(run))) as never);
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

  // BEGIN IMMEDIATE takes SQLite's write lock at once: another process's write cannot slip in
  // between this transaction's reads and its writes, which would fail it with SQLITE_BUSY.
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
    batch: async (statements) => this.#runAll(statements),
    guardedBatch: async (guard, statements) => this.#runGuarded(guard, statements),
    transaction: (body) => body(this.#inside),
  };

  async #gated<T>(run: () => T): Promise<T> {
    if (!this.gate.held) return run();
    await this.gate.acquire();
    try {
      return run();
    } finally {
      this.gate.release();
    }
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
      // The native prepare: sqlite.ts replaces the connection's own for Prisma's statements.
      statement = (Sqlite.prototype.prepare as (this: Sqlite.Database, text: string) => Statement).call(this.db, text);
      if (statement.reader) statement.safeIntegers(false);
      if (this.#statements.size >= statementCacheSize) this.#statements.delete(this.#statements.keys().next().value as string);
      this.#statements.set(text, statement);
    }
    return statement;
  }
}

// As Prisma's SQLite adapter stores them: booleans as 0/1, DateTime as ISO 8601 text.
function sqliteValue(value: SqlValue): string | number | null {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  return value;
}

// timestamp(3) columns hold UTC without a zone (Prisma's mapping of DateTime); COUNT(*) is int8.
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === pg.types.builtins.TIMESTAMP) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    if (oid === pg.types.builtins.INT8) return Number;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

// Texts given a name, so that PostgreSQL parses and plans each once per connection. The fixed
// statements of the hot paths come first; the rest (filters have unbounded shapes) run unnamed,
// so that no connection accumulates prepared statements without end.
const namedStatements = 1000;

export class PostgresSql implements Sql {
  readonly dialect = "postgresql";
  readonly #texts: Map<string, { readonly name: string; readonly text: string }>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onQuery?: (event: QueryEvent) => void,
    // Inside a transaction: its connection.
    private readonly client?: pg.PoolClient,
    texts?: Map<string, { readonly name: string; readonly text: string }>,
  ) {
    this.#texts = texts ?? new Map();
  }

  async query<Row extends SqlRow>(text: string, args: readonly SqlValue[]): Promise<Row[]> {
    return (await this.#run(this.client ?? this.pool, text, args)).rows as Row[];
  }

  async execute(text: string, args: readonly SqlValue[]): Promise<number> {
    return (await this.#run(this.client ?? this.pool, text, args)).rowCount ?? 0;
  }

  async batch(statements: readonly SqlStatement[]): Promise<number[]> {
    // One statement is atomic on its own.
    if (statements.length === 1) return [await this.execute(statements[0]!.text, statements[0]!.args)];
    return this.transaction(async (sql) => {
      const counts: number[] = [];
      for (const statement of statements) counts.push(await sql.execute(statement.text, statement.args));
      return counts;
    });
  }

  async guardedBatch(guard: SqlStatement, statements: readonly SqlStatement[]): Promise<SqlRow | undefined> {
    return this.transaction(async (sql) => {
      const [row] = await sql.query(guard.text, guard.args);
      if (row !== undefined) await sql.batch(statements);
      return row;
    });
  }

  async transaction<T>(body: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.client) return body(this);
    const client = await this.pool.connect();
    try {
      await this.#run(client, "BEGIN", []);
      const result = await body(new PostgresSql(this.pool, this.onQuery, client, this.#texts));
      await this.#run(client, "COMMIT", []);
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async #run(on: pg.Pool | pg.PoolClient, text: string, args: readonly SqlValue[]): Promise<pg.QueryResult> {
    const { name, text: numbered } = this.#numbered(text);
    const values = args.map((value) => (value instanceof Date ? value.toISOString() : value));
    const start = this.onQuery ? performance.now() : 0;
    const result = await on.query({ name, text: numbered, values, types: pgTypes });
    this.onQuery?.({ query: numbered, params: JSON.stringify(values), duration: performance.now() - start });
    return result;
  }

  #numbered(text: string): { readonly name?: string; readonly text: string } {
    const entry = this.#texts.get(text);
    if (entry !== undefined) return entry;
    let n = 0;
    const numbered = text.replace(/\?/g, () => `$${++n}`);
    if (this.#texts.size >= namedStatements) return { text: numbered };
    const named = { name: `scim_${this.#texts.size + 1}`, text: numbered };
    this.#texts.set(text, named);
    return named;
  }
}
