import pg from "pg";
import type { QueryEvent, Sql, SqlRow, SqlStatement, SqlValue } from "./sql.ts";

// timestamp(3) columns hold UTC without a zone (Prisma's mapping of DateTime); COUNT(*) is int8.
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === pg.types.builtins.TIMESTAMP) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    if (oid === pg.types.builtins.INT8) return Number;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

// Texts given a name, so that PostgreSQL parses and plans each once per connection
// (docs/benchmarks.md, "Named statements on PostgreSQL"). The fixed
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

  async queries(statements: readonly SqlStatement[]): Promise<SqlRow[][]> {
    if (statements.length === 1) return [await this.query(statements[0]!.text, statements[0]!.args)];
    const results = this.client ? await this.#pipelined(this.client, statements) : resultsOf(await this.#sent(statements));
    return results.map((result) => result.rows as SqlRow[]);
  }

  // Group commit, as on SQLite (driver/sqlite.ts): the batches sent while a group is being
  // committed wait, and go together as the next group, in one transaction and one write (the
  // pool's connections pipeline, openPostgres). Concurrent writes of a tenant all take its outbox
  // sequence row and hold it until they commit, so one at a time they would each wait for the
  // previous one's commit and its WAL flush; in a group they share both. Should a statement fail
  // (or a guard find no row, or PostgreSQL end the group to break a deadlock), COMMIT rolls the
  // group back and each batch runs again on its own, so that each is still all or nothing and only
  // the failing one fails. One group at a time, and within it every batch's locking tail
  // (SqlStatement.lockKey) after every other statement, in key order: a group holds a sequence row
  // only once it has taken every row lock of its other statements, as a single batch does. Groups
  // of two processes can still wait for each other's row locks in a circle (the same two users
  // written in opposite orders at the same moment); PostgreSQL then ends one of them after its
  // deadlock_timeout, and that group's batches run again on their own.
  async batch(statements: readonly SqlStatement[]): Promise<number[]> {
    const results = this.client ? await this.#pipelined(this.client, statements) : await this.#grouped({ statements });
    return results.map((result) => result.rowCount ?? 0);
  }

  // The guard is sent wrapped so that when it returns no row it fails (migration
  // 20261207210000_guarded_batches), which aborts the transaction before the statements; its
  // first row comes back as JSON values.
  async guardedBatch(guard: SqlStatement, statements: readonly SqlStatement[]): Promise<SqlRow | undefined> {
    if (this.client) {
      const [row] = await this.query(guard.text, guard.args);
      if (row !== undefined) await this.batch(statements);
      return row;
    }
    const results = await this.#grouped({ guard: { text: heldText(guard.text), args: guard.args }, statements }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === guardMissed) return undefined;
      throw error;
    });
    return results === undefined ? undefined : (results[0]!.rows[0] as { row: SqlRow }).row;
  }

  readonly #pending: PendingBatch[] = [];
  #committing = false;

  // The results of the batch's statements, its guard's first.
  #grouped(batch: { readonly guard?: SqlStatement; readonly statements: readonly SqlStatement[] }): Promise<pg.QueryResult[]> {
    return new Promise((resolve, reject) => {
      const statements = batch.guard ? [batch.guard, ...batch.statements] : batch.statements;
      this.#pending.push({ statements, resolve, reject });
      if (!this.#committing) {
        this.#committing = true;
        setImmediate(() => void this.#commitPending());
      }
    });
  }

  async #commitPending(): Promise<void> {
    const group = this.#pending.splice(0);
    try {
      if (group.length === 1) await this.#commitAlone(group[0]!);
      else await this.#commitGroup(group);
    } finally {
      if (this.#pending.length > 0) setImmediate(() => void this.#commitPending());
      else this.#committing = false;
    }
  }

  async #commitGroup(group: readonly PendingBatch[]): Promise<void> {
    // Each batch as its statements before its locking tail and the tail; the tails in key order.
    const parts = group.map((batch) => {
      const tail = batch.statements.findIndex((statement) => statement.lockKey !== undefined);
      return tail < 0 ? { head: batch.statements, tail: [], key: "" } : { head: batch.statements.slice(0, tail), tail: batch.statements.slice(tail), key: batch.statements[tail]!.lockKey! };
    });
    const tails = parts.map((part, index) => ({ ...part, index })).filter((part) => part.tail.length > 0).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
    let outcomes: PromiseSettledResult<pg.QueryResult>[];
    try {
      outcomes = await this.#sent([begin, ...parts.flatMap((part) => part.head), ...tails.flatMap((part) => part.tail), commit]);
    } catch (error) {
      for (const batch of group) batch.reject(error);
      return;
    }
    const ended = outcomes.at(-1)!;
    if (ended.status === "rejected") {
      // The group's end is unknown (the connection failed): running its batches again could
      // write them twice.
      for (const batch of group) batch.reject(ended.reason);
      return;
    }
    if (ended.value.command !== "COMMIT") {
      await Promise.all(group.map((batch) => this.#commitAlone(batch)));
      return;
    }
    const results = outcomes.map((outcome) => (outcome as PromiseFulfilledResult<pg.QueryResult>).value);
    let next = 1;
    const heads = parts.map((part) => results.slice(next, (next += part.head.length)));
    const tailResults = new Map(tails.map((part) => [part.index, results.slice(next, (next += part.tail.length))]));
    group.forEach((batch, index) => batch.resolve([...heads[index]!, ...(tailResults.get(index) ?? [])]));
  }

  async #commitAlone(batch: PendingBatch): Promise<void> {
    try {
      if (batch.statements.length === 1) {
        batch.resolve([await this.#run(this.pool, batch.statements[0]!.text, batch.statements[0]!.args)]);
        return;
      }
      // The transaction ends with the write: its COMMIT rolls back when a statement failed.
      const results = resultsOf(await this.#sent([begin, ...batch.statements, commit]));
      committed(results.at(-1)!);
      batch.resolve(results.slice(1, -1));
    } catch (error) {
      batch.reject(error);
    }
  }

  // BEGIN goes out with the statements the body sends before it first waits.
  // Rolled back when the body throws, whatever of it had been sent.
  async transaction<T>(body: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.client) return body(this);
    const client = await this.#checkout();
    try {
      const [begun, running] = together(client, () => [
        this.#run(client, begin.text, begin.args),
        body(new PostgresSql(this.pool, this.onQuery, client, this.#texts)),
      ] as const);
      // Awaited after the body; observed now, so that its failure is not unhandled meanwhile.
      begun.catch(() => undefined);
      const result = await running;
      await begun;
      committed(await this.#run(client, commit.text, commit.args));
      return result;
    } catch (error) {
      await client.query(rollback.text).catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  // A connection of the pool, for statements sent on it directly. The pool listens for a
  // connection's error only while it is idle: one that PostgreSQL ends while it is checked out (a
  // restart, a failover) would otherwise end the process with an unhandled 'error' event. Its
  // statements fail with the error, and the pool drops it when it is released.
  async #checkout(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    if (!listened.has(client)) {
      listened.add(client);
      client.on("error", () => undefined);
    }
    return client;
  }

  // The statements sent together, their results in order once all are answered.
  async #pipelined(client: pg.PoolClient, statements: readonly SqlStatement[]): Promise<pg.QueryResult[]> {
    return resultsOf(await this.#settled(client, statements));
  }

  // The statements sent together on a connection of the pool, which is released once all are
  // answered.
  async #sent(statements: readonly SqlStatement[]): Promise<PromiseSettledResult<pg.QueryResult>[]> {
    const client = await this.#checkout();
    try {
      return await this.#settled(client, statements);
    } finally {
      client.release();
    }
  }

  #settled(client: pg.PoolClient, statements: readonly SqlStatement[]): Promise<PromiseSettledResult<pg.QueryResult>[]> {
    return Promise.allSettled(together(client, () => statements.map((statement) => this.#run(client, statement.text, statement.args))));
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

const listened = new WeakSet<pg.PoolClient>();

// A batch waiting for the group commit: its statements (its guard first) and what to answer.
interface PendingBatch {
  readonly statements: readonly SqlStatement[];
  readonly resolve: (results: pg.QueryResult[]) => void;
  readonly reject: (error: unknown) => void;
}

// What `send` writes to the connection, in one write: each statement pg sends is a write of its
// own, and on a busy machine each write (a system call that wakes the server's backend) costs
// more than building the statement.
function together<T>(client: pg.PoolClient, send: () => T): T {
  const { stream } = (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection;
  stream.cork();
  try {
    return send();
  } finally {
    stream.uncork();
  }
}

// The results of statements sent together; the first failure (the cause: those after it fail
// because it aborted the transaction) when one failed.
function resultsOf(outcomes: readonly PromiseSettledResult<pg.QueryResult>[]): pg.QueryResult[] {
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<pg.QueryResult>).value);
}

// A guard as sent in a guarded batch: one row, of whether the guard found a row (or the error
// guardMissed) and its first row.
function heldText(guard: string): string {
  return `WITH "guarded" AS (${guard})
    SELECT "guard_held"(EXISTS (SELECT 1 FROM "guarded")) AS "held", (SELECT row_to_json("guarded") FROM "guarded" LIMIT 1) AS "row"`;
}

const guardMissed = "SG001";

const begin: SqlStatement = { text: "BEGIN", args: [] };
const commit: SqlStatement = { text: "COMMIT", args: [] };
const rollback: SqlStatement = { text: "ROLLBACK", args: [] };

// PostgreSQL answers COMMIT of a transaction that a failed statement aborted with ROLLBACK, not
// with an error: a write must not be reported done on that answer.
function committed(result: pg.QueryResult): void {
  if (result.command !== "COMMIT") throw new Error(`The transaction was not committed: ${result.command}`);
}

export interface PostgresDriver {
  readonly sql: Sql;
  // The pool the statements run on, for Prisma's client over the same connections (database.ts).
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

// How long a request waits for a PostgreSQL connection (a new one, or one of the pool's) before
// it fails, rather than hanging while the database does not answer.
const poolConnectTimeoutMs = 30_000;

export function openPostgres(url: string, poolSize: number, onQuery?: (event: QueryEvent) => void): PostgresDriver {
  // Pipelined: a connection writes each statement as it is given instead of after the previous
  // one's answer, so the statements of a batch share a round trip (PostgresSql.batch).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: poolConnectTimeoutMs, pipeline: true });
  // An idle connection the server closed (restart, failover) is dropped by the pool and replaced
  // on next use; without a listener its error event would end the process.
  pool.on("error", () => undefined);
  return { sql: new PostgresSql(pool, onQuery), pool, close: () => pool.end() };
}
