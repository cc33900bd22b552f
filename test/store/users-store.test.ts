import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Allocate, StoredUser } from "../../src/scim/ports.ts";
import { openDatabase, type Database, type QueryEvent } from "../../src/store/database.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { SqlUserStore } from "../../src/store/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";

// The user store's writes under contention: a PATCH that loses its optimistic attempts takes the
// row, and what its change needs from the database (sequence numbers) comes through that
// transaction rather than around it.

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
    const user = await store.create(tenantId, { attributes: { userName: "contended" }, passwordHash: undefined });
    const change = async (current: StoredUser, allocate: Allocate) => {
      // Let the other patches read the same version first, so that most attempts lose.
      await yieldToOthers();
      const number = await allocate("contention");
      const numbers = [...((current.attributes.numbers as number[] | undefined) ?? []), number];
      return { attributes: { ...current.attributes, numbers }, passwordHash: undefined };
    };
    statements.length = 0;
    const writers = 12;
    await Promise.all(Array.from({ length: writers }, () => store.patch(tenantId, user.id, change, {})));

    // At least one patch went the locked way: the version bumped first, inside a transaction.
    expect(statements.some((text) => /^UPDATE "User" SET "version" = "version" \+ 1, "lastModified" = (\?|\$1) WHERE/.test(text))).toBe(true);
    const stored = (await store.get(tenantId, user.id, { withRelations: false })) as StoredUser;
    const numbers = (stored.attributes.numbers as number[]).slice().sort((a, b) => a - b);
    // Every patch applied once, to what the previous one left, and no number was handed out twice.
    expect(numbers).toHaveLength(writers);
    expect(new Set(numbers).size).toBe(writers);
    expect(stored.version).toBeGreaterThanOrEqual(writers + 1);
  });
});
