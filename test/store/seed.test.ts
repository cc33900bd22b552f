import { storeEvents } from "../support/schemas.ts";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { seedGroups, seedUsers, syntheticUsers } from "../support/seed.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { SqlUserStore } from "../../src/store/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";

// The bulk seeding the plan tests and the benchmark use writes the rows the write path writes:
// the same users created through SqlUserStore leave the same columns and value rows.

let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url);
});

afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

it(`seeded users are stored as the write path stores them (${testDatabaseKind})`, async () => {
  const tenants = new SqlTenantStore(database.sql);
  const seeded = (await tenants.ensure("seeded")).id;
  const written = (await tenants.ensure("written")).id;
  const now = new Date("2026-01-02T03:04:05.678Z");
  const users = [...syntheticUsers(40, { seed: 9, now })];
  expect(await seedUsers(database, seeded, 40, { seed: 9, now })).toEqual(users.map((user) => user.id));
  const store = new SqlUserStore(database.sql);
  const writtenIds = new Map<string, string>();
  for (const user of users) writtenIds.set(user.id, (await store.create(written, { attributes: user.attributes, passwordHash: undefined, extensions: [] }, storeEvents())).id);

  const rowOf = async (tenantId: string, id: string) => {
    const { id: _id, tenantId: _tenant, created, lastModified, values, ...columns } = await database.prisma.user.findFirstOrThrow({
      where: { tenantId, id },
      include: { values: { orderBy: [{ attr: "asc" }, { pos: "asc" }] } },
    });
    return { created, lastModified, columns, values: values.map(({ id: _v, userId: _u, tenantId: _t, ...value }) => value) };
  };
  for (const user of users) {
    const fromSeed = await rowOf(seeded, user.id);
    const fromStore = await rowOf(written, writtenIds.get(user.id)!);
    expect(fromSeed.columns).toEqual(fromStore.columns);
    expect(fromSeed.values).toEqual(fromStore.values);
    expect([fromSeed.created, fromSeed.lastModified]).toEqual([user.created, user.lastModified]);
    const read = await store.get(seeded, user.id, { withRelations: false });
    expect(read?.attributes).toEqual(user.attributes);
  }
});

it("seeded groups are listed by the store", async () => {
  const tenantId = (await new SqlTenantStore(database.sql).ensure("groups")).id;
  const ids = await seedGroups(database, tenantId, 12);
  const groups = await database.prisma.group.findMany({ where: { tenantId }, orderBy: { displayName: "asc" } });
  expect(groups.map((group) => [group.id, group.displayName, group.externalId])).toEqual(
    ids.map((id, i) => [id, `group ${String(i + 1).padStart(5, "0")}`, `group-${i + 1}`]),
  );
});
