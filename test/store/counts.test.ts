import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkRequestUrn, groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { testDatabaseKind } from "../support/databases.ts";
import { seedUsers } from "../support/seed.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";

// An unfiltered list's totalResults is the tenant's count in ResourceCount (src/store/query/list.ts),
// kept by triggers in the transaction of each insert and delete. After every kind of write, the
// count equals a COUNT(*) of the rows, per tenant; a write that fails leaves it as it was.

let app: TestApp;
let acme: ScimClient;
let other: ScimClient;

beforeAll(async () => {
  app = await startTestApp();
  acme = await app.client("acme");
  other = await app.client("other");
  // Rows inserted by SQL, as a bulk load or a restore would, are counted too.
  await seedUsers(app.server.database, (await app.server.tenants.ensure("acme")).id, 120);
  await seedUsers(app.server.database, (await app.server.tenants.ensure("other")).id, 30, { seed: 2 });
}, 120_000);

afterAll(() => app?.close());

const user = (userName: string) => ({ schemas: [userUrn], userName, name: { givenName: "Count", familyName: "Test" } });
const group = (displayName: string) => ({ schemas: [groupUrn], displayName });

async function rowCount(table: "User" | "Group", tenant: string): Promise<number> {
  const { id } = await app.server.tenants.ensure(tenant);
  const [row] = await app.server.database.sql.query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE "tenantId" = ?`, [id]);
  return Number(row?.n);
}

// The unfiltered total, by startIndex (a full page, so that the count is asked for) and by cursor.
async function listed(client: ScimClient, resource: "Users" | "Groups"): Promise<number> {
  const byIndex = (await client.get(`/${resource}?count=1&attributes=id`).expect(200)).body.totalResults as number;
  const byCursor = (await client.get(`/${resource}?cursor=&count=1&attributes=id`).expect(200)).body.totalResults as number;
  const counted = (await client.get(`/${resource}?count=0`).expect(200)).body.totalResults as number;
  expect(new Set([byIndex, byCursor, counted]).size, `${resource}: ${byIndex} by index, ${byCursor} by cursor, ${counted} with count=0`).toBe(1);
  return byIndex;
}

async function expectCounts(users: { acme: number; other: number }, groups: { acme: number; other: number }): Promise<void> {
  expect({ acme: await rowCount("User", "acme"), other: await rowCount("User", "other") }).toStrictEqual(users);
  expect({ acme: await rowCount("Group", "acme"), other: await rowCount("Group", "other") }).toStrictEqual(groups);
  expect({ acme: await listed(acme, "Users"), other: await listed(other, "Users") }).toStrictEqual(users);
  expect({ acme: await listed(acme, "Groups"), other: await listed(other, "Groups") }).toStrictEqual(groups);
}

describe(`tenant counts on ${testDatabaseKind}`, () => {
  it("seeded rows are counted per tenant", async () => {
    await expectCounts({ acme: 120, other: 30 }, { acme: 0, other: 0 });
  });

  it("creates and deletes, one at a time and concurrently, keep the count", async () => {
    const created = await Promise.all(Array.from({ length: 25 }, (_, index) => acme.post("/Users", user(`count-${index}`)).expect(201)));
    const groups = await Promise.all(["g1", "g2", "g3"].map((name) => acme.post("/Groups", group(name)).expect(201)));
    await other.post("/Groups", group("g1")).expect(201);
    await expectCounts({ acme: 145, other: 30 }, { acme: 3, other: 1 });

    await Promise.all(created.slice(0, 10).map((response) => acme.delete(`/Users/${response.body.id}`).expect(204)));
    await acme.delete(`/Groups/${groups[0]?.body.id}`).expect(204);
    await expectCounts({ acme: 135, other: 30 }, { acme: 2, other: 1 });
  });

  it("a write that fails, or deletes nothing, leaves the count as it was", async () => {
    await acme.post("/Users", user("count-20")).expect(409);
    await acme.post("/Groups", group("g2")).expect(409);
    await acme.delete("/Users/00000000-0000-7000-8000-000000000000").expect(404);
    // Another tenant's user is not found, and not uncounted.
    const theirs = (await other.get("/Users?count=1&attributes=id").expect(200)).body.Resources[0].id as string;
    await acme.delete(`/Users/${theirs}`).expect(404);
    await expectCounts({ acme: 135, other: 30 }, { acme: 2, other: 1 });
  });

  it("bulk operations count the ones that succeed", async () => {
    const operations = [
      { method: "POST", path: "/Users", bulkId: "a", data: user("bulk-a") },
      { method: "POST", path: "/Users", bulkId: "b", data: user("count-21") },
      { method: "POST", path: "/Groups", bulkId: "c", data: { ...group("bulk-group"), members: [{ value: "bulkId:a" }] } },
      { method: "POST", path: "/Users", bulkId: "d", data: user("bulk-d") },
    ];
    const response = await acme.post("/Bulk", { schemas: [bulkRequestUrn], Operations: operations }).expect(200);
    expect(response.body.Operations.map((operation: { status: string }) => operation.status)).toStrictEqual(["201", "409", "201", "201"]);
    await expectCounts({ acme: 137, other: 30 }, { acme: 3, other: 1 });
  });

  it("the unfiltered total is read from the count, not counted; a filtered one is counted", async () => {
    const { id } = await app.server.tenants.ensure("acme");
    const shift = (by: number) =>
      app.server.database.sql.execute(`UPDATE "ResourceCount" SET "count" = "count" + ? WHERE "tenantId" = ? AND "resource" = 'User' AND "shard" = (SELECT MIN("shard") FROM "ResourceCount" WHERE "tenantId" = ? AND "resource" = 'User')`, [by, id, id]);
    await shift(1000);
    try {
      expect((await acme.get("/Users?count=1").expect(200)).body.totalResults).toBe(1137);
      expect((await acme.get(`/Users?count=1&filter=${encodeURIComponent('name.givenName eq "Count"')}`).expect(200)).body.totalResults).toBe(17);
    } finally {
      await shift(-1000);
    }
    expect((await acme.get("/Users?count=1").expect(200)).body.totalResults).toBe(137);
  });
});
