import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import { StartupError } from "../config.ts";
import { startCheckpointer } from "./driver/checkpoint.ts";
import { migrate, pendingMigrations } from "./driver/migrate.ts";
import { openPostgres } from "./driver/postgresql.ts";
import type { DatabaseKind, QueryEvent, Sql } from "./driver/sql.ts";
import { openSqlite, type ConnectionGate, type SqliteOptions } from "./driver/sqlite.ts";
import type { StatisticsScope } from "./driver/statistics.ts";
import { databaseKind, sqlitePath } from "./driver/url.ts";

// Both generated clients have the same models (the two schema files differ only in provider), so
// the store is written once against the SQLite client's types.
export type Db = InstanceType<typeof SqliteClient>;

export interface Database {
  readonly kind: DatabaseKind;
  // Every statement of the server runs as SQL through the driver layer (driver/).
  readonly sql: Sql;
  // Prisma's client on the same database, created on first use, for scripts and tests that read
  // rows through the generated models. The server never uses it, so its query compiler
  // (compiled WebAssembly, resident once loaded) is never loaded.
  readonly prisma: Db;
  readonly migrationsApplied: readonly string[];
  // Refreshes the planner's statistics: on SQLite of the tables whose statistics are stale, or of
  // all (driver/statistics.ts; the server also does it at start and every hour); on PostgreSQL,
  // where autovacuum keeps them (docs/operations.md), "all" runs VACUUM ANALYZE, as after a bulk
  // load, and "stale" leaves it to autovacuum. Resolves to the tables analyzed ("*" for all).
  refreshStatistics(scope: StatisticsScope): Promise<string[]>;
  // Whether the database answers, and the committed migrations it has not applied (readiness).
  readiness(): Promise<Readiness>;
  close(): Promise<void>;
}

export type Readiness = { readonly reachable: false } | { readonly reachable: true; readonly pendingMigrations: readonly string[] };



export interface DatabaseOptions {
  readonly poolSize?: number;
  // Creates the SQLite file's folder when it does not exist (the default ./data); otherwise a
  // missing folder is a start-up error, as it is most often a mistyped path.
  readonly createFolder?: boolean;
  // Receives every statement sent, for tests that inspect query plans.
  readonly onQuery?: (event: QueryEvent) => void;
  // SQLite: how often stale statistics are refreshed, and who is told (driver/sqlite.ts).
  readonly statistics?: SqliteOptions["statistics"];
}

// Where the database is, for logs and messages: the SQLite file, or PostgreSQL's host, port and
// database without the user name or password.
export function databaseLocation(url: string): string {
  if (databaseKind(url) === "sqlite") return `sqlite ${sqlitePath(url)}`;
  try {
    const parsed = new URL(url);
    return `postgresql ${parsed.hostname || "localhost"}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "postgresql (unreadable URL)";
  }
}

// Opens the database named by url, applying pending migrations first. A database that cannot
// be opened is a StartupError naming DATABASE_URL and the cause.
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Database> {
  try {
    return await open(url, options);
  } catch (error) {
    throw openFailure(error, url);
  }
}

async function open(url: string, options: DatabaseOptions): Promise<Database> {
  const kind = databaseKind(url);
  if (kind === "sqlite") {
    const path = sqlitePath(url);
    const folder = dirname(resolve(path));
    if (path !== ":memory:" && !existsSync(folder)) {
      if (!options.createFolder) throw new StartupError("DATABASE_URL", `the folder ${folder} does not exist`);
      mkdirSync(folder, { recursive: true });
    }
  }
  const migrationsApplied = await migrate(kind, url);
  const log = options.onQuery ? { log: [{ emit: "event" as const, level: "query" as const }] } : {};
  if (kind === "sqlite") {
    const path = sqlitePath(url);
    const driver = openSqlite(path, { ...(options.onQuery ? { onQuery: options.onQuery } : {}), statistics: options.statistics ?? {} });
    const checkpointer = path === ":memory:" ? undefined : startCheckpointer(path);
    let client: Db | undefined;
    return {
      kind,
      sql: driver.sql,
      get prisma() {
        client ??= listen(new SqliteClient({ adapter: gated(new PrismaBetterSqlite3({ url: path, timeout: 30_000 }), driver.gate), ...log }) as Db, options);
        return client;
      },
      migrationsApplied,
      refreshStatistics: (scope) => driver.refreshStatistics(scope),
      readiness: () => readinessOf(driver.sql, kind),
      close: async () => {
        await checkpointer?.stop();
        await client?.$disconnect();
        driver.close();
      },
    };
  }
  const driver = openPostgres(url, options.poolSize ?? 10, options.onQuery);
  let client: Db | undefined;
  return {
    kind,
    sql: driver.sql,
    get prisma() {
      client ??= listen(new PostgresClient({ adapter: new PrismaPg(driver.pool), ...log }) as unknown as Db, options);
      return client;
    },
    migrationsApplied,
    refreshStatistics: async (scope) => {
      if (scope === "stale") return [];
      await driver.sql.execute("VACUUM ANALYZE", []);
      return ["*"];
    },
    readiness: () => readinessOf(driver.sql, kind),
    close: async () => {
      await client?.$disconnect();
      await driver.close();
    },
  };
}

// Prisma's client on SQLite has a connection of its own. Its statements and transactions wait for
// the serving connection's gate (driver/sqlite.ts), and its transactions hold it: better-sqlite3
// waits for a lock synchronously, so a statement on one connection waiting for a transaction on
// the other in the same process would stop the very thread that has to end that transaction.
function gated(factory: SqlDriverAdapterFactory, gate: ConnectionGate): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      await adapter.executeScript("PRAGMA foreign_keys = ON");
      return gateAdapter(adapter, gate);
    },
  };
}

function gateAdapter(adapter: SqlDriverAdapter, gate: ConnectionGate): SqlDriverAdapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const start = adapter.startTransaction.bind(adapter);
  adapter.queryRaw = (query) => gate.whenFree(() => queryRaw(query));
  adapter.executeRaw = (query) => gate.whenFree(() => executeRaw(query));
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
  return adapter;
}

async function readinessOf(sql: Sql, kind: DatabaseKind): Promise<Readiness> {
  try {
    return { reachable: true, pendingMigrations: await pendingMigrations(sql, kind) };
  } catch {
    return { reachable: false };
  }
}

// The drivers' codes for a database that cannot be opened, as one line for the operator.
const postgresCauses: Record<string, string> = {
  ECONNREFUSED: "connection refused (is PostgreSQL running and listening there?)",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ECONNRESET: "the connection was reset",
  "3D000": "the database does not exist (create it first, e.g. createdb)",
  "28P01": "password authentication failed",
  "28000": "the server refused this user (check the user name and pg_hba.conf)",
  "57P03": "the database is starting up or shutting down",
  "53300": "the server has no connections left",
};

const sqliteCauses: Record<string, string> = {
  SQLITE_NOTADB: "the file is not a SQLite database",
  SQLITE_CANTOPEN: "the file cannot be opened (check its permissions)",
  SQLITE_READONLY: "the file is read-only",
  SQLITE_CORRUPT: "the database file is corrupt",
  SQLITE_PERM: "permission denied",
  EACCES: "permission denied",
};

function openFailure(error: unknown, url: string): unknown {
  if (error instanceof StartupError) return error;
  const where = databaseLocation(url);
  const first = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const code = String((first as { code?: unknown } | null)?.code ?? "");
  const message = (first as Error | null)?.message ?? String(first);
  const cause = (databaseKind(url) === "sqlite" ? sqliteCauses : postgresCauses)[code];
  if (cause) return new StartupError("DATABASE_URL", `${where}: ${cause}`);
  if (/timeout/i.test(message)) return new StartupError("DATABASE_URL", `${where}: the connection timed out`);
  if (/was changed after it was applied/.test(message)) return new StartupError("DATABASE_URL", `${where}: ${message}`);
  return new StartupError("DATABASE_URL", `${where}: ${message.split("\n")[0]}`);
}

function listen(prisma: Db, options: DatabaseOptions): Db {
  if (options.onQuery) (prisma as unknown as { $on(event: "query", listener: (event: QueryEvent) => void): void }).$on("query", options.onQuery);
  return prisma;
}
