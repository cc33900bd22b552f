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
  readonly prisma: Db;
  // The same connections, for the statements the store writes as SQL (sql.ts).
  readonly sql: Sql;
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
    const adapter = new SqliteAdapterFactory({ url: sqlitePath(url), timeout: 30_000 });
    const prisma = new SqliteClient({ adapter, ...log }) as Db;
    listen(prisma, options);
    await prisma.$connect();
    const path = sqlitePath(url);
    const checkpointer = path === ":memory:" ? undefined : startCheckpointer(path);
    return {
      kind,
      prisma,
      sql: new SqliteSql(adapter.connection, adapter.gate, options.onQuery),
      migrationsApplied,
      close: async () => {
        await checkpointer?.stop();
        await prisma.$disconnect();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle connection the server closed (restart, failover) is dropped by the pool and replaced
  // on next use; without a listener its error event would end the process.
  pool.on("error", () => undefined);
  const prisma = new PostgresClient({ adapter: new PrismaPg(pool), ...log }) as unknown as Db;
  listen(prisma, options);
  return {
    kind,
    prisma,
    sql: new PostgresSql(pool, options.onQuery),
    migrationsApplied,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function listen(prisma: Db, options: DatabaseOptions): void {
  if (options.onQuery) (prisma as unknown as { $on(event: "query", listener: (event: QueryEvent) => void): void }).$on("query", options.onQuery);
}
