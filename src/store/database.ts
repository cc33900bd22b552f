import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import { migrate, sqlitePath } from "./migrate.ts";
import { SqliteAdapterFactory } from "./sqlite.ts";

export type DatabaseKind = "sqlite" | "postgresql";

// Both generated clients have the same models (the two schema files differ only in provider), so
// the store is written once against the SQLite client's types.
export type Db = InstanceType<typeof SqliteClient>;

export interface Database {
  readonly kind: DatabaseKind;
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
  const prisma =
    kind === "sqlite"
      ? (new SqliteClient({ adapter: new SqliteAdapterFactory({ url: sqlitePath(url), timeout: 30_000 }), ...log }) as Db)
      : (new PostgresClient({
          adapter: new PrismaPg({ connectionString: url, max: options.poolSize ?? 10 }),
          ...log,
        }) as unknown as Db);
  if (options.onQuery) (prisma as unknown as { $on(event: "query", listener: (event: QueryEvent) => void): void }).$on("query", options.onQuery);
  return {
    kind,
    prisma,
    migrationsApplied,
    close: () => prisma.$disconnect(),
  };
}
