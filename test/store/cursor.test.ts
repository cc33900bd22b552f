import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enterpriseUserUrn } from "../../src/scim/schema/urns.ts";
import { seedUsers } from "../support/seed.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";
import { expectScimError } from "../support/responses.ts";

// RFC 9865 cursor pagination over 1,000 users: a walk by cursor returns every user once, in the
// order startIndex paging (RFC 7644 §3.4.2.4) gives, whatever the sort; sort columns with ties
// and with absent values (family names, departments, externalIds) included. A cursor only
// continues the list it was issued for.

const userCount = 1000;

let app: TestApp;
let scim: ScimClient;

beforeAll(async () => {
  app = await startTestApp();
  scim = await app.client();
  const tenant = await app.server.tenants.ensure("acme");
  // About 3% of the users have no family name, 20% no department, 5% no externalId.
  await seedUsers(app.server.database, tenant.id, userCount);
  // Another tenant's users must never show up in the walk.
  await seedUsers(app.server.database, (await app.server.tenants.ensure("other")).id, 50, { seed: 2 });
}, 120_000);

afterAll(() => app?.close());

interface ListBody {
  readonly totalResults: number;
  readonly startIndex?: number;
  readonly nextCursor?: string;
  readonly Resources: ReadonlyArray<{ id: string }>;
}

function listPath(parameters: Record<string, string | number | undefined>): string {
  const query = Object.entries(parameters).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]]));
  return `/Users?${new URLSearchParams([["attributes", "id"], ...query])}`;
}

async function byStartIndex(parameters: Record<string, string>, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let startIndex = 1; ; startIndex += count) {
    const body: ListBody = (await scim.get(listPath({ ...parameters, startIndex, count })).expect(200)).body;
    ids.push(...body.Resources.map((resource) => resource.id));
    if (body.Resources.length < count) return ids;
  }
}

async function byCursor(parameters: Record<string, string>, count: number, expectedTotal: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined = "";
  for (let page = 0; cursor !== undefined; page++) {
    expect(page, "the walk does not end").toBeLessThan(Math.ceil(expectedTotal / count) + 2);
    const body: ListBody = (await scim.get(listPath({ ...parameters, cursor, count })).expect(200)).body;
    expect(body.totalResults).toBe(expectedTotal);
    expect(body.startIndex).toBeUndefined();
    ids.push(...body.Resources.map((resource) => resource.id));
    cursor = body.nextCursor;
  }
  return ids;
}

describe(`cursor pagination over ${userCount} users (${testDatabaseKind})`, () => {
  const sorts: Array<Record<string, string>> = [
    {},
    { sortBy: "userName" },
    { sortBy: "name.familyName" },
    { sortBy: `${enterpriseUserUrn}:department` },
    { sortBy: "externalId" },
    { sortBy: "meta.created" },
    { sortBy: "emails" },
  ];
  for (const sort of sorts) {
    for (const sortOrder of ["ascending", "descending"]) {
      it(`${sort.sortBy ?? "no sortBy"} ${sortOrder}: every user once, in startIndex order`, async () => {
        const parameters = { ...sort, ...(sort.sortBy ? { sortOrder } : {}) };
        const paged = await byStartIndex(parameters, 150);
        // Pages of 23 end inside every run of 23 or more equal or absent values, so that cursors
        // are issued on ties and on absent values.
        const walked = await byCursor(parameters, 23, userCount);
        expect(new Set(walked).size).toBe(userCount);
        expect(walked).toEqual(paged);
      });
    }
  }

  it("a filtered walk returns the filtered users in startIndex order", async () => {
    const parameters = { filter: 'active eq true and name.familyName sw "s"', sortBy: "name.familyName", sortOrder: "descending" };
    const paged = await byStartIndex(parameters, 40);
    const walked = await byCursor(parameters, 33, paged.length);
    expect(paged.length).toBeGreaterThan(100);
    expect(walked).toEqual(paged);
  });

  it("a cursor used with another filter, sortBy or sortOrder is invalidCursor", async () => {
    const first = await scim.get(listPath({ filter: "active eq true", sortBy: "userName", cursor: "", count: 10 })).expect(200);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    await scim.get(listPath({ filter: "active eq true", sortBy: "userName", cursor, count: 10 })).expect(200);
    for (const other of [
      { filter: "active eq false", sortBy: "userName" },
      { sortBy: "userName" },
      { filter: "active eq true", sortBy: "name.familyName" },
      { filter: "active eq true", sortBy: "userName", sortOrder: "descending" },
    ]) {
      expectScimError(await scim.get(listPath({ ...other, cursor, count: 10 })), 400, "invalidCursor");
    }
  });

  it("a cursor this server did not issue is invalidCursor", async () => {
    const forged = Buffer.from(JSON.stringify({ id: "x" })).toString("base64url");
    for (const cursor of ["not-a-cursor", "%%%", forged, Buffer.from("[1,2]").toString("base64url")]) {
      expectScimError(await scim.get(listPath({ cursor, count: 10 })), 400, "invalidCursor");
    }
  });
});
