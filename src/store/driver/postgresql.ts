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
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: poolConnectTimeoutMs });
  // An idle connection the server closed (restart, failover) is dropped by the pool and replaced
  // on next use; without a listener its error event would end the process.
  pool.on("error", () => undefined);
  return { sql: new PostgresSql(pool, onQuery), pool, close: () => pool.end() };
}
