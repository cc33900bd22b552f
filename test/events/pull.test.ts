import { randomUUID } from "node:crypto";
import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChangeEvent, EventType, NewEvent } from "../../src/events/catalogue.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";
import { appendEvents, changeEvent, lifeEvents, publicBaseUrl, userData } from "./fixture.ts";

// GET /events: a tenant's change events in sequence order, a page at a time, each page ending in
// a cursor to read on from; another tenant's events are never seen.

interface Page {
  readonly data: ChangeEvent[];
  readonly nextCursor: string;
}

let app: TestApp;
let reader: string;

beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
  reader = await app.token("pull", ["scim:read"]);
});
afterAll(() => app.close());

// `count` user.created events for a new user each.
function created(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => {
    const user = { type: "User" as const, id: randomUUID(), externalId: `ext-${index}`, version: 1 };
    return changeEvent("user.created", user, userData(user, `user.${index}@example.com`, new Date()));
  });
}

function get(query: string, token = reader) {
  return app.http().get(`/events${query}`).set("Authorization", `Bearer ${token}`);
}

function page(response: Response): Page {
  expect(response.status, response.text).toBe(200);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  expect(Object.keys(response.body).sort()).toStrictEqual(["data", "nextCursor"]);
  return response.body as Page;
}

// Every event after `cursor`, page by page; the pages' sizes and the last cursor.
async function readAll(token: string, limit: number, cursor?: string, types?: string) {
  const sizes: number[] = [];
  const events: ChangeEvent[] = [];
  let after = cursor;
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit), ...(after === undefined ? {} : { after }), ...(types === undefined ? {} : { types }) });
    const { data, nextCursor } = page(await get(`?${query}`, token));
    if (data.length === 0) {
      expect(nextCursor).toBe(after);
      return { sizes, events, cursor: nextCursor };
    }
    sizes.push(data.length);
    events.push(...data);
    after = nextCursor;
  }
}

describe("GET /events", () => {
  it("answers a tenant without events an empty page, whose cursor reads the same again", async () => {
    const token = await app.token("empty", ["scim:read"]);
    const first = page(await get("", token));
    expect(first.data).toStrictEqual([]);
    const again = page(await get(`?after=${first.nextCursor}`, token));
    expect(again).toStrictEqual({ data: [], nextCursor: first.nextCursor });
  });

  it("gives the events as stored, in sequence order, each once across pages", async () => {
    const token = await app.token("paging", ["scim:read"]);
    const events = [...lifeEvents(), ...created(15)];
    await appendEvents(app.server, "paging", events);
    const { sizes, events: read } = await readAll(token, 10);
    expect(sizes).toStrictEqual([10, 10, 5]);
    expect(read.map((event) => event.id)).toStrictEqual(events.map((event) => event.id));
    expect(read.map((event) => event.sequence)).toStrictEqual(events.map((_, index) => index + 1));
    const deactivated = read.find((event) => event.type === "user.deactivated");
    const source = events.find((event) => event.type === "user.deactivated") as NewEvent;
    expect(deactivated).toStrictEqual({ id: source.id, type: "user.deactivated", tenant: "paging", sequence: 6, ...JSON.parse(source.payload) });
  });

  it("reads on from the last cursor: only what was added since", async () => {
    const token = await app.token("tail", ["scim:read"]);
    await appendEvents(app.server, "tail", created(3));
    const { cursor } = await readAll(token, 100);
    const added = created(2);
    await appendEvents(app.server, "tail", added);
    const next = page(await get(`?after=${cursor}`, token));
    expect(next.data.map((event) => event.id)).toStrictEqual(added.map((event) => event.id));
    expect(next.nextCursor).not.toBe(cursor);
    expect(page(await get(`?after=${next.nextCursor}`, token))).toStrictEqual({ data: [], nextCursor: next.nextCursor });
  });

  it("pages 100 events when no limit is given, and up to 1000 when asked", async () => {
    const token = await app.token("sizes", ["scim:read"]);
    await appendEvents(app.server, "sizes", created(1001));
    expect(page(await get("", token)).data).toHaveLength(100);
    expect(page(await get("?limit=1000", token)).data).toHaveLength(1000);
    expect(page(await get("?limit=1", token)).data).toHaveLength(1);
  });

  describe("types", () => {
    let token: string;
    let events: NewEvent[];
    beforeAll(async () => {
      token = await app.token("typed", ["scim:read"]);
      events = [...lifeEvents(), ...lifeEvents()];
      await appendEvents(app.server, "typed", events);
    });
    const idsOf = (...types: EventType[]) => events.filter((event) => types.includes(event.type)).map((event) => event.id);

    it("reads only events of the types named", async () => {
      const { events: read } = await readAll(token, 100, undefined, "user.created,group.deleted");
      expect(read.map((event) => event.id)).toStrictEqual(idsOf("user.created", "group.deleted"));
    });

    it("takes the types repeated as well as comma-separated, in any order", async () => {
      const { data } = page(await get("?types=group.deleted&types=user.created", token));
      expect(data.map((event) => event.id)).toStrictEqual(idsOf("user.created", "group.deleted"));
    });

    it("moves the cursor past the events it leaves out, so a quiet type is not read again", async () => {
      const { data, nextCursor } = page(await get("?types=user.reactivated&limit=5", token));
      expect(data.map((event) => event.id)).toStrictEqual(idsOf("user.reactivated"));
      await appendEvents(app.server, "typed", created(1));
      const next = page(await get(`?types=user.reactivated&after=${nextCursor}`, token));
      expect(next.data).toStrictEqual([]);
      const all = page(await get(`?after=${nextCursor}`, token));
      expect(all.data.map((event) => event.type)).toStrictEqual(["user.created"]);
    });

    it("stops a full page at its last event, even when the rest are of other types", async () => {
      const { data, nextCursor } = page(await get("?types=user.created&limit=1", token));
      expect(data.map((event) => event.id)).toStrictEqual(idsOf("user.created").slice(0, 1));
      const next = page(await get(`?types=user.created&limit=1&after=${nextCursor}`, token));
      expect(next.data.map((event) => event.id)).toStrictEqual(idsOf("user.created").slice(1, 2));
    });

    it.each([["user.exploded"], ["user.created,"], ["USER.CREATED"], [""]])("refuses %j with 400 invalidValue", async (types) => {
      expectScimError(await get(`?types=${encodeURIComponent(types)}`, token), 400, "invalidValue");
    });
  });

  it.each([["0"], ["1001"], ["-1"], ["1.5"], ["ten"], [""], ["1e2"]])("refuses limit=%j with 400 invalidValue", async (limit) => {
    expectScimError(await get(`?limit=${encodeURIComponent(limit)}`), 400, "invalidValue");
  });

  it.each([
    ["text that is no cursor", "garbage"],
    ["an empty cursor", ""],
    ["a number", "3"],
    ["a negative position", Buffer.from("e-1").toString("base64url")],
    ["a position with a leading zero", Buffer.from("e01").toString("base64url")],
    ["the cursor with padding", `${Buffer.from("e0").toString("base64url")}=`],
  ])("refuses %s as a cursor with 400 invalidCursor", async (_name, cursor) => {
    expectScimError(await get(`?after=${encodeURIComponent(cursor)}`), 400, "invalidCursor");
  });

  describe("tenants", () => {
    it("sees its own events only, and refuses a cursor past them (another tenant's)", async () => {
      const mine = created(2);
      const theirs = created(5);
      await appendEvents(app.server, "isolated-a", mine);
      await appendEvents(app.server, "isolated-b", theirs);
      const a = await app.token("isolated-a", ["scim:read"]);
      const b = await app.token("isolated-b", ["scim:read"]);
      const readA = await readAll(a, 100);
      const readB = await readAll(b, 100);
      expect(readA.events.map((event) => event.id)).toStrictEqual(mine.map((event) => event.id));
      expect(readB.events.map((event) => event.id)).toStrictEqual(theirs.map((event) => event.id));
      expect(new Set(readA.events.map((event) => event.tenant))).toStrictEqual(new Set(["isolated-a"]));
      expectScimError(await get(`?after=${readB.cursor}`, a), 400, "invalidCursor");
    });
  });

  describe("credentials", () => {
    it("answers 401 with WWW-Authenticate without a bearer token", async () => {
      const response = await app.http().get("/events");
      expectScimError(response, 401);
      expect(response.headers["www-authenticate"]).toBe('Bearer realm="scim"');
    });

    it("answers 401 to a token that is not valid", async () => {
      expectScimError(await get("", `${reader}x`), 401);
    });

    it("takes a token with scim:read, or scim:write, alike", async () => {
      const readOnly = page(await get("", await app.token("scopes", ["scim:read"])));
      const writeOnly = page(await get("", await app.token("scopes", ["scim:write"])));
      expect(writeOnly).toStrictEqual(readOnly);
    });

    it("answers 403 to a token without SCIM scopes", async () => {
      expectScimError(await get("", await app.token("scopes", [])), 403);
    });
  });

  it("answers 405 with Allow to other methods", async () => {
    const response = await app.http().delete("/events").set("Authorization", `Bearer ${reader}`);
    expectScimError(response, 405);
    expect(response.headers.allow).toBe("GET");
  });
});
