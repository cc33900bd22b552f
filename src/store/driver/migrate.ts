import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseKind, Sql } from "./sql.ts";
import { sqlitePath } from "./url.ts";

// Applies the committed SQL migrations (prisma/<provider>/migrations) that a database lacks, and
// records them in `_prisma_migrations` exactly as `prisma migrate deploy` does, so either tool can
// take over from the other. Concurrent starts are serialised: a PostgreSQL advisory lock, SQLite's
// write lock (BEGIN IMMEDIATE).

// The project folder holding prisma/: the nearest one above this module, whether it runs from
// src/store (tsx) or from the bundle in dist/ (npm start).
const root = projectRoot(dirname(fileURLToPath(import.meta.url)));

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "prisma", "sqlite", "migrations"))) return dir;
    if (dirname(dir) === dir) throw new Error(`No prisma/ folder with migrations above ${from}`);
  }
}

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export function committedMigrations(kind: DatabaseKind): Migration[] {
  const folder = join(root, "prisma", kind, "migrations");
  return readdirSync(folder)
    .filter((entry) => existsSync(join(folder, entry, "migration.sql")))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(folder, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const historyTable = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

// The committed migrations the database has not applied: none once the server has started,
// unless the database was replaced or rolled back under it.
export async function pendingMigrations(sql: Sql, kind: DatabaseKind): Promise<string[]> {
  const rows = await sql.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
    [],
  );
  const applied = new Set(rows.map((row) => row.migration_name));
  return committedNames(kind).filter((name) => !applied.has(name));
}

const names = new Map<DatabaseKind, readonly string[]>();

function committedNames(kind: DatabaseKind): readonly string[] {
  let list = names.get(kind);
  if (list === undefined) {
    list = committedMigrations(kind).map((migration) => migration.name);
    names.set(kind, list);
  }
  return list;
}

// Returns the names of the migrations it applied. `through` stops after the migration of that name,
// leaving a database as an earlier release left it (for upgrade tests).
export async function migrate(kind: DatabaseKind, url: string, options: { through?: string } = {}): Promise<string[]> {
  const { through } = options;
  const migrations = committedMigrations(kind).filter((migration) => through === undefined || migration.name <= through);
  return kind === "sqlite" ? migrateSqlite(sqlitePath(url), migrations) : migratePostgres(url, migrations);
}

function pendingOf(migrations: Migration[], applied: Map<string, string>): Migration[] {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new Error(`Migration ${migration.name} was changed after it was applied to this database`);
    }
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

function migrateSqlite(path: string, migrations: Migration[]): string[] {
  const db = new Database(path, { timeout: 30_000 });
  try {
    db.pragma("journal_mode = WAL");
    // Table redefinitions copy and drop tables; with foreign keys enforced the drop would cascade.
    // They are checked once the migrations have run, before the commit.
    db.pragma("foreign_keys = OFF");
    db.exec(historyTable.sqlite);
    db.exec("BEGIN IMMEDIATE");
    try {
      const rows = db
        .prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`)
        .all() as { migration_name: string; checksum: string }[];
      const pending = pendingOf(migrations, new Map(rows.map((row) => [row.migration_name, row.checksum])));
      const record = db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES (?, ?, ?, ?, ?, 1)`,
      );
      for (const migration of pending) {
        const started = new Date().toISOString();
        db.exec(migration.sql);
        record.run(randomUUID(), migration.checksum, new Date().toISOString(), migration.name, started);
      }
      const violations = db.pragma("foreign_key_check") as unknown[];
      if (violations.length > 0) throw new Error(`Migrations left ${violations.length} foreign key violations`);
      db.exec("COMMIT");
      return pending.map((migration) => migration.name);
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  } finally {
    db.close();
  }
}

// Any fixed number: the key of the advisory lock that serialises migrations between processes.
const migrationLockKey = 72_707_369;

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
    await client.query(historyTable.postgresql);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
    );
    const pending = pendingOf(migrations, new Map(rows.map((row) => [row.migration_name, row.checksum])));
    for (const migration of pending) {
      await client.query("BEGIN");
      try {
        const started = new Date();
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, started],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
    return pending.map((migration) => migration.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]).catch(() => undefined);
    await client.end();
  }
}
