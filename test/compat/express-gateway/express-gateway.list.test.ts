import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { egUserListSchema, type EgUserList } from "../../../src/compat/express-gateway/contract.ts";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { egClient, startEgApp, type EgClient } from "./express-gateway.fixture.ts";

// docs/compat/express-gateway.md §6: `start` is an offset (default 0), `count` at most that many
// users (default 100), `nextKey` the next start or 0 at the end; `eg users list --all` keeps
// calling with start=nextKey until nextKey is 0.

const total = 105;

async function createUsers(eg: EgClient, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const response = await eg.post("/users", { username: `${prefix}${String(n).padStart(3, "0")}`, firstname: "F", lastname: `L${n}` }).expect(200);
    ids.push(response.body.id);
  }
  return ids;
}

async function page(eg: EgClient, query: string): Promise<EgUserList> {
  return egUserListSchema.parse((await eg.get(`/users${query}`).expect(200)).body);
}

// The CLI's `--all` loop.
async function walk(eg: EgClient, count?: number): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let start = 0;
  do {
    const result = await page(eg, `?start=${start}${count === undefined ? "" : `&count=${count}`}`);
    ids.push(...result.users.map((user) => user.id));
    pages.push(result.users.length);
    start = result.nextKey;
  } while (start !== 0 && pages.length < 1000);
  return { ids, pages };
}

describe("offset pagination", () => {
  let app: TestApp;
  let eg: EgClient;
  let ids: string[];
  beforeAll(async () => {
    ({ app, eg } = await startEgApp());
    ids = await createUsers(eg, total, "user");
    await eg.put("/users/user050/status", { status: false }).expect(200);
  });
  afterAll(() => app.close());

  it("returns 100 users by default, oldest first, and nextKey 100", async () => {
    const first = await page(eg, "");
    expect(first.users).toHaveLength(100);
    expect(first.nextKey).toBe(100);
    expect(first.users.map((user) => user.id)).toEqual(ids.slice(0, 100));
    const rest = await page(eg, "?start=100");
    expect(rest.users.map((user) => user.id)).toEqual(ids.slice(100));
    expect(rest.nextKey).toBe(0);
  });

  it("returns at most count=40 users a page, and start=nextKey until 0 yields every user exactly once", async () => {
    const { ids: walked, pages } = await walk(eg, 40);
    expect(pages).toEqual([40, 40, 25]);
    expect(walked).toEqual(ids);
    expect(new Set(walked).size).toBe(total);
  });

  it.each([[1], [7], [104], [105], [106], [1000]])("walks every user exactly once with count=%i", async (count) => {
    const { ids: walked, pages } = await walk(eg, count);
    expect(walked).toEqual(ids);
    expect(pages.every((size) => size <= count)).toBe(true);
  });

  it("includes inactive users", async () => {
    const listed = (await walk(eg)).ids;
    expect(listed).toContain(ids[50]);
    expect((await page(eg, "?start=50&count=1")).users[0]).toMatchObject({ username: "user050", isActive: false });
  });

  it("answers a start past the end with no users and nextKey 0", async () => {
    expect(await page(eg, `?start=${total}`)).toEqual({ users: [], nextKey: 0 });
    expect(await page(eg, "?start=99999")).toEqual({ users: [], nextKey: 0 });
  });

  it("puts users created during a walk at the end", async () => {
    const first = await page(eg, "?count=50");
    const late = await eg.post("/users", { username: "latecomer", firstname: "L", lastname: "C" }).expect(200);
    const second = await page(eg, `?start=${first.nextKey}&count=100`);
    expect([...first.users, ...second.users].map((user) => user.id)).toEqual([...ids, late.body.id]);
    expect(second.nextKey).toBe(0);
  });
});

describe("count above the server's page size", () => {
  let app: TestApp;
  let eg: EgClient;
  let ids: string[];
  beforeAll(async () => {
    app = await startTestApp({ MAX_PAGE_SIZE: "10", DEFAULT_PAGE_SIZE: "10" });
    eg = await egClient(app);
    ids = await createUsers(eg, 12, "capped");
  });
  afterAll(() => app.close());

  it("returns at most MAX_PAGE_SIZE users, with a nextKey that continues the walk", async () => {
    const first = await page(eg, "?count=100");
    expect(first.users).toHaveLength(10);
    expect(first.nextKey).toBe(10);
    expect((await walk(eg)).ids).toEqual(ids);
  });
});
