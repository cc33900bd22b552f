import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userUrn } from "../../src/scim/schema/urns.ts";
import type { QueryEvent } from "../../src/store/driver/sql.ts";
import { PagePositions } from "../../src/store/query/positions.ts";
import { seedUsers } from "../support/seed.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";

// Sequential startIndex pages (RFC 7644 §3.4.2.4) seek from where the page before ended
// (src/store/query/positions.ts) and answer exactly what OFFSET answers: every page of a walk equals
// the same slice of the whole list, read afresh, whatever was written in the tenant between two
// pages; a write makes the next page walk its offset again.

const userCount = 600;
const pageSize = 50;

let app: TestApp;
let scim: ScimClient;
let statements: QueryEvent[] = [];

beforeAll(async () => {
  app = await startTestApp({}, undefined, { onQuery: (event) => statements.push(event) });
  scim = await app.client();
  await seedUsers(app.server.database, (await app.server.tenants.ensure("acme")).id, userCount);
  await seedUsers(app.server.database, (await app.server.tenants.ensure("other")).id, 40, { seed: 2 });
}, 120_000);

afterAll(() => app?.close());

interface ListBody {
  readonly totalResults: number;
  readonly Resources: ReadonlyArray<{ id: string }>;
}

function listPath(parameters: Record<string, string>, startIndex: number, count: number): string {
  return `/Users?${new URLSearchParams({ ...parameters, attributes: "id", startIndex: String(startIndex), count: String(count) })}`;
}

async function page(parameters: Record<string, string>, startIndex: number): Promise<ListBody> {
  statements = [];
  return (await scim.get(listPath(parameters, startIndex, pageSize)).expect(200)).body;
}

// The whole list now, in one page (what OFFSET pages are slices of).
async function everything(parameters: Record<string, string>): Promise<{ ids: string[]; total: number }> {
  const body: ListBody = (await scim.get(listPath(parameters, 1, 1000)).expect(200)).body;
  return { ids: body.Resources.map((resource) => resource.id), total: body.totalResults };
}

// The OFFSET of the statement that read the last page's rows: its last parameter.
function pageOffset(): number {
  const read = statements.filter((event) => /^SELECT .* FROM "User" WHERE .* LIMIT (\?|\$\d+) OFFSET (\?|\$\d+)$/s.test(event.query));
  expect(read.length, statements.map((event) => event.query).join("\n")).toBeGreaterThan(0);
  return Number((JSON.parse(read.at(-1)!.params) as unknown[]).at(-1));
}

async function expectSlice(parameters: Record<string, string>, startIndex: number, body: ListBody): Promise<void> {
  const now = await everything(parameters);
  expect(body.totalResults).toBe(now.total);
  expect(body.Resources.map((resource) => resource.id)).toStrictEqual(now.ids.slice(startIndex - 1, startIndex - 1 + pageSize));
}

const user = (userName: string) => ({ schemas: [userUrn], userName, name: { givenName: "Walk", familyName: "Aaron" } });

const walks: Array<[string, Record<string, string>]> = [
  ["in id order", {}],
  ["by userName", { sortBy: "userName" }],
  ["by meta.lastModified descending", { sortBy: "meta.lastModified", sortOrder: "descending" }],
  ["filtered, by name.familyName", { filter: 'name.familyName ge "F"', sortBy: "name.familyName" }],
];

describe(`startIndex walks on ${testDatabaseKind}`, () => {
  for (const [name, parameters] of walks) {
    it(`${name}: each page after the first seeks, and equals the OFFSET page`, async () => {
      const total = (await everything(parameters)).total;
      expect(total).toBeGreaterThan(3 * pageSize);
      for (let startIndex = 1; startIndex <= total; startIndex += pageSize) {
        const body = await page(parameters, startIndex);
        // A filtered walk's first page is not remembered, so its second walks its offset.
        const seeks = startIndex > 1 && !(parameters.filter && startIndex === 1 + pageSize);
        expect(pageOffset(), `page at ${startIndex}`).toBe(seeks ? 0 : startIndex - 1);
        await expectSlice(parameters, startIndex, body);
      }
    });
  }

  it("a create, a delete or a change between two pages makes the next page walk its offset, and it is exact", async () => {
    const parameters = { sortBy: "userName" };
    const at = (pages: number) => 1 + pages * pageSize;
    await page(parameters, at(0));
    const first = (await page(parameters, at(0))).Resources[0]!.id;
    await page(parameters, at(1));
    expect(pageOffset()).toBe(0);

    // A user that sorts first moves every later row by one.
    const created = (await scim.post("/Users", user("0000-walk-first")).expect(201)).body.id as string;
    const afterCreate = await page(parameters, at(2));
    expect(pageOffset()).toBe(2 * pageSize);
    await expectSlice(parameters, at(2), afterCreate);
    // Remembered afresh: the page after it seeks again.
    const following = await page(parameters, at(3));
    expect(pageOffset()).toBe(0);
    await expectSlice(parameters, at(3), following);

    await scim.delete(`/Users/${first}`).expect(204);
    const afterDelete = await page(parameters, at(4));
    expect(pageOffset()).toBe(4 * pageSize);
    await expectSlice(parameters, at(4), afterDelete);

    // A rename moves a user across the page boundary without changing the count.
    await scim.patch(`/Users/${created}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "userName", value: "zzzz-walk-last" }] }).expect(200);
    const afterRename = await page(parameters, at(5));
    expect(pageOffset()).toBe(5 * pageSize);
    await expectSlice(parameters, at(5), afterRename);
  });

  it("another tenant's writes leave a walk's positions alone", async () => {
    const parameters = {};
    await page(parameters, 1);
    const other = await app.client("other");
    await other.post("/Users", user("walk-elsewhere")).expect(201);
    const second = await page(parameters, 1 + pageSize);
    expect(pageOffset()).toBe(0);
    await expectSlice(parameters, 1 + pageSize, second);
  });

  it("enabling a compat API, which gives every user a product id without change events, makes the next page walk its offset", async () => {
    const parameters = { sortBy: "meta.lastModified" };
    await page(parameters, 1);
    await page(parameters, 1 + pageSize);
    expect(pageOffset()).toBe(0);
    await app.server.tenants.enableApi((await app.server.tenants.ensure("acme")).id, "bytebase");
    const next = await page(parameters, 1 + 2 * pageSize);
    expect(pageOffset()).toBe(2 * pageSize);
    await expectSlice(parameters, 1 + 2 * pageSize, next);
  });

  it("rows written without the store (a bulk load) make the next page walk its offset", async () => {
    const parameters = { sortBy: "userName", sortOrder: "descending" };
    await page(parameters, 1);
    await page(parameters, 1 + pageSize);
    expect(pageOffset()).toBe(0);
    await seedUsers(app.server.database, (await app.server.tenants.ensure("acme")).id, 20, { seed: 3 });
    const next = await page(parameters, 1 + 2 * pageSize);
    expect(pageOffset()).toBe(2 * pageSize);
    await expectSlice(parameters, 1 + 2 * pageSize, next);
  });
});

describe("the memory of positions", () => {
  const position = (stamp: string, id: string) => ({ stamp, id, value: null });

  it("forgets the least recently used query first, and keeps a few positions per query", () => {
    const positions = new PagePositions(2, 2);
    positions.remember("a", 100, position("1", "a100"));
    positions.remember("b", 100, position("1", "b100"));
    expect(positions.at("a", 100)?.id).toBe("a100");
    positions.remember("c", 100, position("1", "c100"));
    expect(positions.at("b", 100)).toBeUndefined();
    expect(positions.at("a", 100)?.id).toBe("a100");
    positions.remember("a", 200, position("1", "a200"));
    positions.remember("a", 300, position("1", "a300"));
    expect([positions.at("a", 100), positions.at("a", 200)?.id, positions.at("a", 300)?.id]).toStrictEqual([undefined, "a200", "a300"]);
    expect(positions.size).toBe(2);
  });

  it("drops a query's positions of an older stamp when one of a newer is remembered", () => {
    const positions = new PagePositions();
    positions.remember("a", 100, position("1", "a100"));
    positions.remember("a", 200, position("2", "a200"));
    expect(positions.at("a", 100)).toBeUndefined();
    expect(positions.at("a", 200)?.id).toBe("a200");
  });
});
