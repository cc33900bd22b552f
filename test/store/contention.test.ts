import { storeEvents } from "../support/schemas.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Allocate, StoredGroup, StoredUser } from "../../src/scim/ports.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import type { QueryEvent } from "../../src/store/driver/sql.ts";
import { SqlGroupStore } from "../../src/store/groups.ts";
import type { Sql } from "../../src/store/driver/sql.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { SqlUserStore } from "../../src/store/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";

// The stores' writes under contention. A user PATCH that loses its optimistic attempts takes the
// row, and what its change needs from the database (sequence numbers) comes through that
// transaction rather than around it. A group member PATCH looks its members up before its write (a
// guarded batch); a member deleted in between must not fail it: the PATCH is then made again in a
// transaction, where the member is found missing.

let testDatabase: TestDatabase;
let database: Database;
const statements: string[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url, { onQuery: (event: QueryEvent) => statements.push(event.query) });
});

afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(`user PATCH under contention (${testDatabaseKind})`, () => {
  it("patches that must take the row allocate their numbers inside its transaction, each once", async () => {
    const tenantId = (await new SqlTenantStore(database.sql).ensure("contention")).id;
    const store = new SqlUserStore(database.sql);
    const user = await store.create(tenantId, { attributes: { userName: "contended" }, passwordHash: undefined, extensions: [] }, storeEvents());
    const change = async (current: StoredUser, allocate: Allocate) => {
      // Let the other patches read the same version first, so that most attempts lose.
      await yieldToOthers();
      const number = await allocate("contention");
      const numbers = [...((current.attributes.numbers as number[] | undefined) ?? []), number];
      return { attributes: { ...current.attributes, numbers }, passwordHash: undefined, extensions: [] };
    };
    statements.length = 0;
    const writers = 12;
    await Promise.all(Array.from({ length: writers }, () => store.patch(tenantId, user.id, change, {}, storeEvents())));

    // At least one patch went the locked way: its UPDATE needs no version condition, as it holds the row.
    expect(statements.some((text) => /^UPDATE "User" SET .* WHERE "tenantId" = (\?|\$\d+) AND "id" = (\?|\$\d+)$/.test(text))).toBe(true);
    const stored = (await store.get(tenantId, user.id, { withRelations: false })) as StoredUser;
    const numbers = (stored.attributes.numbers as number[]).slice().sort((a, b) => a - b);
    // Every patch applied once, to what the previous one left, and no number was handed out twice.
    expect(numbers).toHaveLength(writers);
    expect(new Set(numbers).size).toBe(writers);
    expect(stored.version).toBeGreaterThanOrEqual(writers + 1);
  });
});

describe(`group member PATCH (${testDatabaseKind})`, () => {
  it("a member deleted just before the patch is left out, and the other members are added", async () => {
    const tenantId = (await new SqlTenantStore(database.sql).ensure("member-race")).id;
    const users = new SqlUserStore(database.sql);
    const [staying, leaving] = [
      await users.create(tenantId, { attributes: { userName: "staying" }, passwordHash: undefined, extensions: [] }, storeEvents()),
      await users.create(tenantId, { attributes: { userName: "leaving" }, passwordHash: undefined, extensions: [] }, storeEvents()),
    ];
    let transactions = 0;
    // The user is deleted just before the transaction that adds it begins.
    const racing: Sql = {
      ...database.sql,
      query: (text, args) => database.sql.query(text, args),
      execute: (text, args) => database.sql.execute(text, args),
      queries: (statements) => database.sql.queries(statements),
      batch: (statements) => database.sql.batch(statements),
      guardedBatch: (guard, statements) => database.sql.guardedBatch(guard, statements),
      transaction: async (body) => {
        if (transactions++ === 1) await users.remove(tenantId, leaving.id, {}, storeEvents());
        return database.sql.transaction(body);
      },
    };
    const groups = new SqlGroupStore(racing);
    const group = await groups.create(tenantId, { extensions: [], attributes: { displayName: "Racers" }, members: [] }, storeEvents());
    const members = [staying, leaving].map((user) => ({ value: user.id, type: "User" as const }));
    const patched = await groups.patch(tenantId, group.id, { extensions: [], memberChanges: [{ kind: "add", members }] }, {}, { withRelations: true }, storeEvents());
    expect(transactions).toBe(2);
    expect(patched.version).toBe(2);
    expect(patched.members?.map((member) => member.value)).toStrictEqual([staying.id]);
    const read = (await groups.get(tenantId, group.id, { withRelations: true })) as StoredGroup;
    expect({ version: read.version, members: read.members?.map((member) => member.value) }).toStrictEqual({ version: 2, members: [staying.id] });
  });
});
