import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import pg from "pg";
import Database from "better-sqlite3";
import { committedMigrations, migrate } from "../../src/store/driver/migrate.ts";
import { sqlitePath } from "../../src/store/driver/url.ts";
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

// Runs statements written with "?" placeholders on either database; returns the last one's rows.
async function run(url: string, statements: Array<[string, unknown[]]>): Promise<unknown[]> {
  let rows: unknown[] = [];
  if (testDatabaseKind === "sqlite") {
    const db = new Database(sqlitePath(url));
    try {
      for (const [sql, params] of statements) {
        const statement = db.prepare(sql);
        rows = statement.reader ? statement.all(...params) : (statement.run(...params), []);
      }
    } finally {
      db.close();
    }
    return rows;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const [sql, params] of statements) {
      let n = 0;
      rows = (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows;
    }
  } finally {
    await client.end();
  }
  return rows;
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

  // A redefined table is copied and dropped: with foreign keys enforced, the drop would cascade to
  // the rows that refer to it. Rows written before the upgrade are all there after it.
  it("upgrading a database with data keeps every row (active becoming nullable, tenants' compat APIs)", async () => {
    database = await createTestDatabase();
    const names = committedMigrations(testDatabaseKind).map((migration) => migration.name);
    const upgrade = names.findIndex((name) => name.endsWith("_active_unassigned"));
    expect(upgrade).toBeGreaterThan(0);
    await migrate(testDatabaseKind, database.url, { through: names[upgrade - 1] });

    const now = testDatabaseKind === "sqlite" ? Date.now() : new Date();
    const yes = testDatabaseKind === "sqlite" ? 1 : true;
    const no = testDatabaseKind === "sqlite" ? 0 : false;
    await run(database.url, [
      [`INSERT INTO "Tenant" ("id", "name") VALUES (?, ?)`, ["t1", "acme"]],
      [`INSERT INTO "User" ("id", "tenantId", "created", "lastModified", "userName", "active", "doc") VALUES (?, ?, ?, ?, ?, ?, ?)`, ["u1", "t1", now, now, "ada", yes, "{}"]],
      [`INSERT INTO "User" ("id", "tenantId", "created", "lastModified", "userName", "active", "doc") VALUES (?, ?, ?, ?, ?, ?, ?)`, ["u2", "t1", now, now, "bob", no, "{}"]],
      [`INSERT INTO "UserValue" ("tenantId", "userId", "attr", "pos", "value") VALUES (?, ?, ?, ?, ?)`, ["t1", "u1", "emails", 0, "ada@example.com"]],
      [`INSERT INTO "Group" ("id", "tenantId", "created", "lastModified", "displayName", "doc") VALUES (?, ?, ?, ?, ?, ?)`, ["g1", "t1", now, now, "Staff", "{}"]],
      [`INSERT INTO "GroupMember" ("tenantId", "groupId", "memberId", "type", "userId") VALUES (?, ?, ?, ?, ?)`, ["t1", "g1", "u1", "User", "u1"]],
      [`INSERT INTO "ExtensionValue" ("tenantId", "userId", "attr", "pos", "value") VALUES (?, ?, ?, ?, ?)`, ["t1", "u2", "x", 0, "y"]],
      ...[["c1", "jwt"], ["c2", "key:vyte"], ["c3", "jwt:bytebase"], ["c4", "key:vyte"]].map(([id, kind]) =>
        [`INSERT INTO "Credential" ("id", "tenantId", "kind", "scopes") VALUES (?, ?, ?, ?)`, [id, "t1", kind, "scim:read"]] as [string, unknown[]]),
    ]);

    const opened = await openDatabase(database.url);
    await opened.close();
    expect(opened.migrationsApplied).toEqual(names.slice(upgrade));
    const counts = await run(database.url, [[
      `SELECT (SELECT COUNT(*) FROM "User") AS users, (SELECT COUNT(*) FROM "UserValue") AS "values",
        (SELECT COUNT(*) FROM "GroupMember") AS members, (SELECT COUNT(*) FROM "ExtensionValue") AS extensions`, [],
    ]]);
    expect(counts.map((row) => Object.fromEntries(Object.entries(row as object).map(([key, value]) => [key, Number(value)]))))
      .toStrictEqual([{ users: 2, values: 1, members: 1, extensions: 1 }]);
    const active = await run(database.url, [[`SELECT "userName", "active" FROM "User" ORDER BY "userName"`, []]]);
    expect(active.map((row) => [(row as { userName: string }).userName, Boolean((row as { active: unknown }).active)]))
      .toStrictEqual([["ada", true], ["bob", false]]);
    // A tenant that was issued compat credentials has those APIs enabled.
    expect(await run(database.url, [[`SELECT "compatApis" FROM "Tenant"`, []]])).toStrictEqual([{ compatApis: "bytebase,vyte" }]);
  });

  it("the migration that adds tenant counts counts the rows there are, and the triggers keep counting", async () => {
    database = await createTestDatabase();
    const names = committedMigrations(testDatabaseKind).map((migration) => migration.name);
    const adds = names.findIndex((name) => name.endsWith("_resource_counts"));
    expect(adds).toBeGreaterThan(0);
    await migrate(testDatabaseKind, database.url, { through: names[adds - 1] });
    const now = testDatabaseKind === "sqlite" ? Date.now() : new Date();
    const insertUser = (id: string, tenantId: string): [string, unknown[]] =>
      [`INSERT INTO "User" ("id", "tenantId", "created", "lastModified", "userName", "doc") VALUES (?, ?, ?, ?, ?, ?)`, [id, tenantId, now, now, id, "{}"]];
    await run(database.url, [
      [`INSERT INTO "Tenant" ("id", "name") VALUES (?, ?)`, ["t1", "acme"]],
      [`INSERT INTO "Tenant" ("id", "name") VALUES (?, ?)`, ["t2", "other"]],
      [`INSERT INTO "Tenant" ("id", "name") VALUES (?, ?)`, ["t3", "empty"]],
      insertUser("u1", "t1"), insertUser("u2", "t1"), insertUser("u3", "t1"), insertUser("u4", "t2"),
      [`INSERT INTO "Group" ("id", "tenantId", "created", "lastModified", "displayName", "doc") VALUES (?, ?, ?, ?, ?, ?)`, ["g1", "t2", now, now, "Staff", "{}"]],
    ]);
    const opened = await openDatabase(database.url);
    await opened.close();
    expect(opened.migrationsApplied).toEqual(names.slice(adds));
    const counts = async () =>
      (await run(database!.url, [[`SELECT "tenantId", "resource", SUM("count") AS "n" FROM "ResourceCount" GROUP BY "tenantId", "resource" ORDER BY "tenantId", "resource"`, []]]))
        .map((row) => { const { tenantId, resource, n } = row as { tenantId: string; resource: string; n: unknown }; return [tenantId, resource, Number(n)]; });
    expect(await counts()).toStrictEqual([["t1", "User", 3], ["t2", "Group", 1], ["t2", "User", 1]]);
    // Several rows in one statement, as a bulk load writes them, and deletes of several.
    await run(database.url, [
      [`INSERT INTO "User" ("id", "tenantId", "created", "lastModified", "userName", "doc") VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)`,
        [...insertUser("u5", "t3")[1], ...insertUser("u6", "t3")[1], ...insertUser("u7", "t1")[1]]],
      [`DELETE FROM "User" WHERE "id" IN (?, ?, ?)`, ["u1", "u2", "u4"]],
      [`DELETE FROM "Group" WHERE "id" = ?`, ["g1"]],
    ]);
    expect(await counts()).toStrictEqual([["t1", "User", 2], ["t2", "Group", 0], ["t2", "User", 0], ["t3", "User", 2]]);
  });
});
