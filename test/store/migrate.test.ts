import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import pg from "pg";
import Database from "better-sqlite3";
import { committedMigrations, sqlitePath } from "../../src/store/migrate.ts";
import { openDatabase } from "../../src/store/database.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";

// Migrations are applied at start, exactly once however many processes start together, and
// recorded as `prisma migrate deploy` records them.

let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

async function appliedMigrations(url: string): Promise<Array<{ migration_name: string; checksum: string }>> {
  const sql = `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`;
  if (testDatabaseKind === "sqlite") {
    const db = new Database(sqlitePath(url), { readonly: true });
    try {
      return db.prepare(sql).all() as Array<{ migration_name: string; checksum: string }>;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

// Opens the database in a separate process, as a server start does.
function startProcess(url: string): Promise<string> {
  const script = `
    import { openDatabase } from "./src/store/database.ts";
    const db = await openDatabase(process.env.DATABASE_URL);
    console.log(JSON.stringify(db.migrationsApplied));
    await db.close();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, DATABASE_URL: url },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("close", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

describe(`migrations on ${testDatabaseKind}`, () => {
  it("a first start applies every committed migration and records it with its checksum", async () => {
    database = await createTestDatabase();
    const opened = await openDatabase(database.url);
    await opened.close();
    const expected = committedMigrations(testDatabaseKind);
    expect(expected.length).toBeGreaterThan(0);
    expect(opened.migrationsApplied).toEqual(expected.map((migration) => migration.name));
    expect(await appliedMigrations(database.url)).toEqual(
      expected.map((migration) => ({ migration_name: migration.name, checksum: migration.checksum })),
    );
  });

  it("a later start applies nothing", async () => {
    database = await createTestDatabase();
    await (await openDatabase(database.url)).close();
    const again = await openDatabase(database.url);
    await again.close();
    expect(again.migrationsApplied).toEqual([]);
  });

  it("four processes starting at once apply each migration exactly once", async () => {
    database = await createTestDatabase();
    const url = database.url;
    const outputs = await Promise.all([1, 2, 3, 4].map(() => startProcess(url)));
    const applied = outputs.map((output) => JSON.parse(output.split("\n").at(-1) as string) as string[]);
    const names = committedMigrations(testDatabaseKind).map((migration) => migration.name);
    expect(applied.filter((list) => list.length > 0)).toEqual([names]);
    expect((await appliedMigrations(url)).map((row) => row.migration_name)).toEqual(names);
  }, 60_000);
});
