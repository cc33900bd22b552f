import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredGroup } from "../../src/scim/ports.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { SqlGroupStore } from "../../src/store/groups.ts";
import type { Sql } from "../../src/store/sql.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { SqlUserStore } from "../../src/store/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";

// The group store's member PATCH: the members are looked up before the write, and the write (the
// version bump and the member rows) is one guarded batch. A member deleted in between must not
// fail the PATCH: it is then made again in a transaction, where the member is found missing.

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

describe(`group member PATCH (${testDatabaseKind})`, () => {
  it("a member deleted after it was looked up is left out, and the other members are added", async () => {
    const tenantId = (await new SqlTenantStore(database.sql).ensure("member-race")).id;
    const users = new SqlUserStore(database.sql);
    const [staying, leaving] = [
      await users.create(tenantId, { attributes: { userName: "staying" }, passwordHash: undefined }),
      await users.create(tenantId, { attributes: { userName: "leaving" }, passwordHash: undefined }),
    ];
    let batches = 0;
    // The user is deleted just before the batch that would add it is sent.
    const racing: Sql = {
      ...database.sql,
      query: (text, args) => database.sql.query(text, args),
      execute: (text, args) => database.sql.execute(text, args),
      batch: (statements) => database.sql.batch(statements),
      transaction: (body) => database.sql.transaction(body),
      guardedBatch: async (guard, statements) => {
        batches++;
        await users.remove(tenantId, leaving.id, {});
        return database.sql.guardedBatch(guard, statements);
      },
    };
    const groups = new SqlGroupStore(racing);
    const group = await groups.create(tenantId, { attributes: { displayName: "Racers" }, members: [] });
    const members = [staying, leaving].map((user) => ({ value: user.id, type: "User" as const }));
    const patched = await groups.patch(tenantId, group.id, { memberChanges: [{ kind: "add", members }] }, {}, { withRelations: true });
    expect(batches).toBe(1);
    expect(patched.version).toBe(2);
    expect(patched.members?.map((member) => member.value)).toStrictEqual([staying.id]);
    const read = (await groups.get(tenantId, group.id, { withRelations: true })) as StoredGroup;
    expect({ version: read.version, members: read.members?.map((member) => member.value) }).toStrictEqual({ version: 2, members: [staying.id] });
  });
});
