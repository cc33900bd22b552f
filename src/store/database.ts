import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import { startCheckpointer } from "./checkpoint.ts";
import { migrate, sqlitePath } from "./migrate.ts";
import { PostgresSql, SqliteSql, type Sql } from "./sql.ts";
import { SqliteAdapterFactory } from "./sqlite.ts";

export type DatabaseKind = "sqlite" | "postgresql";

// Both generated clients have the same models (the two schema files differ only in provider), so
// the store is written once against the SQLite client's types.
export type Db = InstanceType<typeof SqliteClient>;

export interface Database {
  readonly kind: DatabaseKind;
  // Every statement of the server runs as SQL on the driver adapter's connections (sql.ts).
  readonly sql: Sql;
  // Prisma's client over the same connections, created on first use, for scripts and tests that
  // read rows through the generated models. The server never uses it, so its query compiler
  // (WebAssembly, about 50 MB resident once compiled) is never loaded.
  readonly prisma: Db;
  readonly migrationsApplied: readonly string[];
  close(): Promise<void>;
}

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

// A statement as Prisma sent it: SQL text and its parameters as a JSON array.
export interface QueryEvent {
  readonly query: string;
  readonly params: string;
  readonly duration: number;
}

export interface DatabaseOptions {
  readonly poolSize?: number;
  // Receives every statement sent, for tests that inspect query plans.
  readonly onQuery?: (event: QueryEvent) => void;
}

// Opens the database named by url, applying pending migrations first.
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Database> {
  const kind = databaseKind(url);
  if (kind === "sqlite") {
    const path = sqlitePath(url);
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  }
  const migrationsApplied = await migrate(kind, url);
  const log = options.onQuery ? { log: [{ emit: "event" as const, level: "query" as const }] } : {};
  if (kind === "sqlite") {
    const path = sqlitePath(url);
    const factory = new SqliteAdapterFactory({ url: path, timeout: 30_000 });
    const adapter = await factory.connect();
    const checkpointer = path === ":memory:" ? undefined : startCheckpointer(path);
    let client: Db | undefined;
    return {
      kind,
      sql: new SqliteSql(factory.connection, factory.gate, options.onQuery),
      get prisma() {
        client ??= listen(new SqliteClient({ adapter: factory, ...log }) as Db, options);
        return client;
      },
      migrationsApplied,
      close: async () => {
        await checkpointer?.stop();
        await client?.$disconnect();
        await adapter.dispose();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle connection the server closed (restart, failover) is dropped by the pool and replaced
  // on next use; without a listener its error event would end the process.
  pool.on("error", () => undefined);
  let client: Db | undefined;
  return {
    kind,
    sql: new PostgresSql(pool, options.onQuery),
    get prisma() {
      client ??= listen(new PostgresClient({ adapter: new PrismaPg(pool), ...log }) as unknown as Db, options);
      return client;
    },
    migrationsApplied,
    close: async () => {
      await client?.$disconnect();
      await pool.end();
    },
  };
}

function listen(prisma: Db, options: DatabaseOptions): Db {
  if (options.onQuery) (prisma as unknown as { $on(event: "query", listener: (event: QueryEvent) => void): void }).$on("query", options.onQuery);
  return prisma;
}
