import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { seedUsers } from "../support/seed.ts";

// The planner's statistics stay current without an operator: on SQLite the server analyzes the
// tables whose statistics are stale when it opens the database and then periodically, keeping
// per-value samples for attribute indexes only (src/store/driver/statistics.ts); on PostgreSQL
// autovacuum keeps them, and a refresh of all tables runs VACUUM ANALYZE.

let testDatabase: TestDatabase | undefined;
let database: Database | undefined;

afterEach(async () => {
  await database?.close();
  await testDatabase?.drop();
  database = undefined;
  testDatabase = undefined;
});

async function query<T>(sql: string, args: unknown[] = []): Promise<T[]> {
  return database!.sql.query(sql, args as never) as Promise<T[]>;
}

const userStat = async () =>
  (await query<{ stat: string }>("SELECT stat FROM sqlite_stat1 WHERE idx = 'User_tenantId_userName_key'"))[0]?.stat;
const samples = async (index: string) => Number((await query<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_stat4 WHERE idx = ?", [index]))[0]?.n);

describe.runIf(testDatabaseKind === "sqlite")("planner statistics on SQLite", () => {
  it("are taken when the server opens a database loaded without them, with samples for attribute indexes only", async () => {
    testDatabase = await createTestDatabase();
    database = await openDatabase(testDatabase.url);
    const tenantId = (await new SqlTenantStore(database.sql).ensure("acme")).id;
    await seedUsers(database, tenantId, 3000);
    expect(await userStat()).toBeUndefined();
    await database.close();

    database = await openDatabase(testDatabase.url);
    expect(await userStat()).toBe("3000 3000 1");
    expect(await samples("User_tenantId_familyName_id_idx")).toBeGreaterThan(0);
    for (const key of ["User_tenantId_userName_key", "User_tenantId_id_idx", "User_userName_idx", "sqlite_autoindex_User_1"]) {
      expect(await samples(key), key).toBe(0);
    }
  });

  it("are refreshed periodically once a table has grown, and left alone while it has not", async () => {
    testDatabase = await createTestDatabase();
    const refreshes: Array<{ tables: string[] } | { error: unknown }> = [];
    database = await openDatabase(testDatabase.url, { statistics: { everyMs: 100, onRefresh: (outcome) => refreshes.push(outcome) } });
    const tenantId = (await new SqlTenantStore(database.sql).ensure("acme")).id;
    await seedUsers(database, tenantId, 500);
    expect(await database.refreshStatistics("stale")).toContain("User");
    expect(await userStat()).toMatch(/^500 /);
    expect(await database.refreshStatistics("stale")).toStrictEqual([]);

    refreshes.length = 0;
    await seedUsers(database, (await new SqlTenantStore(database.sql).ensure("other")).id, 20_000, { seed: 2 });
    await expect.poll(() => refreshes.some((outcome) => "tables" in outcome && outcome.tables.includes("User")), { timeout: 10_000 }).toBe(true);
    expect(refreshes.filter((outcome) => "error" in outcome)).toStrictEqual([]);
    expect(await userStat()).toMatch(/^20500 /);
    expect(await samples("User_tenantId_familyName_id_idx")).toBeGreaterThan(0);
    expect(await samples("User_tenantId_userName_key")).toBe(0);
  });
});

describe.runIf(testDatabaseKind === "postgresql")("planner statistics on PostgreSQL", () => {
  it("are autovacuum's between refreshes; a refresh of all tables analyzes and vacuums them", async () => {
    testDatabase = await createTestDatabase();
    database = await openDatabase(testDatabase.url);
    const tenantId = (await new SqlTenantStore(database.sql).ensure("acme")).id;
    await seedUsers(database, tenantId, 500);
    expect(await database.refreshStatistics("stale")).toStrictEqual([]);
    expect(await database.refreshStatistics("all")).toStrictEqual(["*"]);
    const [user] = await query<{ analyzed: boolean; vacuumed: boolean }>(
      `SELECT last_analyze IS NOT NULL AS analyzed, last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE relname = 'User'`,
    );
    expect(user).toStrictEqual({ analyzed: true, vacuumed: true });
  });
});
