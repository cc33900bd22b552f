import { randomUUID } from "node:crypto";
import { createLocalJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewEvent } from "../../src/events/catalogue.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { appendEvents, changeEvent, lifeEvents, publicBaseUrl, subscribe, userData } from "./fixture.ts";

// POST /events/poll: RFC 8936 polling of a subscription's SETs. SETs handed out stay outstanding
// until acknowledged (ack) or reported invalid (setErrs); every step is recorded.

const waitSeconds = 3;
const receiver = "https://receiver.example.com/poll";

let app: TestApp;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl, EVENTS_POLL_WAIT_SECONDS: String(waitSeconds) });
  keys = createLocalJWKSet((await app.http().get("/events/jwks.json").expect(200)).body);
});
afterAll(() => app.close());

function created(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => {
    const user = { type: "User" as const, id: randomUUID(), externalId: null, version: 1 };
    return changeEvent("user.created", user, userData(user, `poll.${index}@example.com`, new Date()));
  });
}

// A tenant with a poll subscription and a token that reads; `events` appended after it.
async function tenantWith(events: readonly NewEvent[], fields: Parameters<typeof subscribe>[2] = { format: "poll", audience: receiver }) {
  const tenant = `poll-${randomUUID().slice(0, 8)}`;
  const subscription = await subscribe(app.server, tenant, fields);
  const tenantId = await appendEvents(app.server, tenant, events);
  const token = await app.token(tenant, ["scim:read"]);
  const poll = (body: object, query = `?subscription=${subscription}`, bearer = token) =>
    app.http().post(`/events/poll${query}`).set("Authorization", `Bearer ${bearer}`).send(body);
  return { tenant, tenantId, subscription, token, poll };
}

interface PollAnswer {
  readonly sets: Record<string, string>;
  readonly moreAvailable: boolean;
}

function answer(response: Response): PollAnswer {
  expect(response.status, response.text).toBe(200);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  expect(Object.keys(response.body).sort()).toStrictEqual(["moreAvailable", "sets"]);
  return response.body as PollAnswer;
}

function expectSetError(response: Response, status: number, err: string): void {
  expect({ status: response.status, body: response.body }).toStrictEqual({ status, body: { err, description: expect.any(String) } });
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
}

const ids = (events: readonly NewEvent[]) => events.map((event) => event.id);

async function rows<T>(text: string, args: (string | number)[]): Promise<T[]> {
  return app.server.database.sql.query(text, args) as Promise<T[]>;
}

const pending = (subscription: string) =>
  rows<{ sequence: number; state: string; attempts: number; lastError: string | null }>(
    `SELECT "sequence", "state", "attempts", "lastError" FROM "PendingDelivery" WHERE "subscriptionId" = ? ORDER BY "sequence"`,
    [subscription],
  ).then((found) => found.map((row) => ({ ...row, sequence: Number(row.sequence), attempts: Number(row.attempts) })));

const attempts = (subscription: string) =>
  rows<{ eventId: string; outcome: string; status: number | null; error: string | null }>(
    `SELECT "eventId", "outcome", "status", "error" FROM "DeliveryAttempt" WHERE "subscriptionId" = ? ORDER BY "id"`,
    [subscription],
  );

describe("POST /events/poll", () => {
  it("hands out the events as SETs under their jti, verified with the published keys", async () => {
    const events = lifeEvents();
    const { poll, subscription } = await tenantWith(events);
    const { sets, moreAvailable } = answer(await poll({ returnImmediately: true }));
    expect(Object.keys(sets)).toStrictEqual(ids(events));
    expect(moreAvailable).toBe(false);
    for (const [jti, token] of Object.entries(sets)) {
      const { payload, protectedHeader } = await jwtVerify<JWTPayload & { sub_id: unknown; events: object }>(token, keys, {
        issuer: publicBaseUrl,
        audience: receiver,
        typ: "secevent+jwt",
        algorithms: ["ES256"],
      });
      expect(protectedHeader.kid).toBe(app.server.securityEvents.key.kid);
      expect(payload.jti).toBe(jti);
      const event = events.find((candidate) => candidate.id === jti) as NewEvent;
      expect(payload.sub_id).toMatchObject({ format: "scim", uri: `/${event.resourceType}s/${event.resourceId}` });
      expect(Object.keys(payload.events)).toHaveLength(1);
    }
    expect(await pending(subscription)).toStrictEqual(events.map((_, index) => ({ sequence: index + 1, state: "unacked", attempts: 1, lastError: null })));
    expect(await attempts(subscription)).toStrictEqual(events.map((event) => ({ eventId: event.id, outcome: "unacked", status: null, error: null })));
  });

  it("hands out at most maxEvents, says more are available, and hands out again those not acknowledged", async () => {
    const events = created(10);
    const { poll } = await tenantWith(events);
    const first = answer(await poll({ maxEvents: 4, returnImmediately: true }));
    expect(first).toStrictEqual({ sets: expect.any(Object), moreAvailable: true });
    expect(Object.keys(first.sets)).toStrictEqual(ids(events.slice(0, 4)));
    const again = answer(await poll({ maxEvents: 4, returnImmediately: true }));
    expect(Object.keys(again.sets)).toStrictEqual(ids(events.slice(0, 4)));
    expect(again.moreAvailable).toBe(true);
  });

  it("forgets what is acknowledged and hands out what follows, until nothing is left", async () => {
    const events = created(10);
    const { poll, subscription } = await tenantWith(events);
    const seen: string[] = [];
    let ack: string[] = [];
    for (let round = 0; round < 10; round += 1) {
      const { sets, moreAvailable } = answer(await poll({ maxEvents: 4, returnImmediately: true, ack }));
      seen.push(...Object.keys(sets));
      ack = Object.keys(sets);
      if (!moreAvailable) break;
    }
    expect(seen).toStrictEqual(ids(events));
    expect(answer(await poll({ returnImmediately: true, ack }))).toStrictEqual({ sets: {}, moreAvailable: false });
    expect(await pending(subscription)).toStrictEqual([]);
    const log = await attempts(subscription);
    for (const event of events) {
      expect(log.filter((row) => row.eventId === event.id).map((row) => row.outcome)).toStrictEqual(["unacked", "delivered"]);
    }
  });

  it("acknowledges without handing out when maxEvents is 0, and says what is left", async () => {
    const events = created(3);
    const { poll, subscription } = await tenantWith(events);
    const { sets } = answer(await poll({ maxEvents: 2, returnImmediately: true }));
    expect(answer(await poll({ maxEvents: 0, ack: Object.keys(sets) }))).toStrictEqual({ sets: {}, moreAvailable: true });
    expect(await pending(subscription)).toStrictEqual([]);
    expect(Object.keys(answer(await poll({ returnImmediately: true })).sets)).toStrictEqual(ids(events.slice(2)));
    expect(answer(await poll({ maxEvents: 0, ack: ids(events.slice(2)) }))).toStrictEqual({ sets: {}, moreAvailable: false });
  });

  it("keeps SETs reported invalid as failed, with the receiver's error, and does not hand them out again", async () => {
    const events = created(3);
    const { poll, subscription } = await tenantWith(events);
    answer(await poll({ returnImmediately: true }));
    const [bad, good, other] = ids(events) as [string, string, string];
    const next = answer(
      await poll({ returnImmediately: true, ack: [good], setErrs: { [bad]: { err: "invalid_request", description: "unknown schema" }, [other]: { err: "invalid_key" } } }),
    );
    expect(next).toStrictEqual({ sets: {}, moreAvailable: false });
    expect(await pending(subscription)).toStrictEqual([
      { sequence: 1, state: "failed", attempts: 1, lastError: "invalid_request: unknown schema" },
      { sequence: 3, state: "failed", attempts: 1, lastError: "invalid_key" },
    ]);
    const answers = (await attempts(subscription)).filter((row) => row.outcome !== "unacked");
    expect(answers).toStrictEqual([
      { eventId: good, outcome: "delivered", status: null, error: null },
      { eventId: bad, outcome: "failed", status: null, error: "invalid_request: unknown schema" },
      { eventId: other, outcome: "failed", status: null, error: "invalid_key" },
    ]);
  });

  it("ignores acknowledgements of SETs it did not hand out, or another tenant's", async () => {
    const mine = created(2);
    const theirs = await tenantWith(created(1));
    const { poll, subscription } = await tenantWith(mine);
    const [theirEvent] = Object.keys(answer(await theirs.poll({ returnImmediately: true })).sets);
    answer(await poll({ returnImmediately: true, maxEvents: 1 }));
    answer(await poll({ maxEvents: 0, ack: [theirEvent as string, mine[1]?.id as string, randomUUID()] }));
    expect((await pending(subscription)).map((row) => row.sequence)).toStrictEqual([1]);
    expect((await pending(theirs.subscription)).map((row) => row.sequence)).toStrictEqual([1]);
  });

  it("hands out only the subscription's event types", async () => {
    const events = lifeEvents();
    const { poll } = await tenantWith(events, { format: "poll", types: "user.deleted,group.created" });
    const { sets } = answer(await poll({ returnImmediately: true }));
    expect(Object.keys(sets)).toStrictEqual(events.filter((event) => ["user.deleted", "group.created"].includes(event.type)).map((event) => event.id));
  });

  it("hands out nothing while the subscription is paused, at once, and still takes acknowledgements", async () => {
    const { poll, subscription } = await tenantWith(created(2));
    const { sets } = answer(await poll({ returnImmediately: true, maxEvents: 1 }));
    await app.server.database.sql.execute(`UPDATE "Subscription" SET "paused" = ? WHERE "id" = ?`, [true, subscription]);
    const started = Date.now();
    expect(answer(await poll({ ack: Object.keys(sets) }))).toStrictEqual({ sets: {}, moreAvailable: false });
    expect(Date.now() - started).toBeLessThan(waitSeconds * 1000);
    expect(await pending(subscription)).toStrictEqual([]);
  });

  it("gives up SETs not acknowledged within the retry period", async () => {
    const events = created(2);
    const { poll, subscription } = await tenantWith(events, { format: "poll", retryForSeconds: 60 });
    answer(await poll({ returnImmediately: true, maxEvents: 1 }));
    await app.server.database.sql.execute(`UPDATE "PendingDelivery" SET "firstAttemptAt" = ? WHERE "subscriptionId" = ?`, [new Date(Date.now() - 61_000), subscription]);
    const { sets } = answer(await poll({ returnImmediately: true }));
    expect(Object.keys(sets)).toStrictEqual(ids(events.slice(1)));
    expect((await pending(subscription))[0]).toStrictEqual({ sequence: 1, state: "dead", attempts: 1, lastError: "not acknowledged within 60 seconds" });
    expect((await attempts(subscription)).map((row) => [row.eventId, row.outcome])).toStrictEqual([
      [events[0]?.id, "unacked"],
      [events[0]?.id, "dead"],
      [events[1]?.id, "unacked"],
    ]);
  });

  it("serves two polls made at once one after the other: the second gets the first's SETs, still outstanding", async () => {
    const events = created(6);
    const { poll, subscription } = await tenantWith(events);
    const both = await Promise.all([poll({ returnImmediately: true, maxEvents: 3 }), poll({ returnImmediately: true, maxEvents: 3 })]);
    for (const response of both) expect(answer(response)).toStrictEqual({ sets: expect.any(Object), moreAvailable: true });
    for (const response of both) expect(Object.keys(answer(response).sets)).toStrictEqual(ids(events.slice(0, 3)));
    expect(await pending(subscription)).toStrictEqual([1, 2, 3].map((sequence) => ({ sequence, state: "unacked", attempts: 2, lastError: null })));
  });

  describe("without returnImmediately", () => {
    it("waits for an event and answers when one arrives", async () => {
      const { poll, tenant } = await tenantWith([]);
      const started = Date.now();
      const waiting = poll({});
      await new Promise((resolve) => setTimeout(resolve, 400));
      const arrived = created(1);
      await appendEvents(app.server, tenant, arrived);
      const { sets } = answer(await waiting);
      expect(Object.keys(sets)).toStrictEqual(ids(arrived));
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(Date.now() - started).toBeLessThan(waitSeconds * 1000);
    });

    it("keeps waiting past events of types the subscription leaves out", async () => {
      const { poll, tenant } = await tenantWith([], { format: "poll", types: "user.deleted" });
      const waiting = poll({});
      await new Promise((resolve) => setTimeout(resolve, 300));
      await appendEvents(app.server, tenant, created(1));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const user = { type: "User" as const, id: randomUUID(), externalId: null, version: 2 };
      const deleted = changeEvent("user.deleted", user, userData(user, "gone@example.com", new Date()));
      await appendEvents(app.server, tenant, [deleted]);
      expect(Object.keys(answer(await waiting).sets)).toStrictEqual([deleted.id]);
    });

    it("answers no SETs when none arrives within EVENTS_POLL_WAIT_SECONDS", async () => {
      const { poll } = await tenantWith([]);
      const started = Date.now();
      expect(answer(await poll({}))).toStrictEqual({ sets: {}, moreAvailable: false });
      expect(Date.now() - started).toBeGreaterThanOrEqual(waitSeconds * 1000 - 50);
    });

    it("answers at once when there are SETs to hand out", async () => {
      const { poll } = await tenantWith(created(1));
      const started = Date.now();
      expect(Object.keys(answer(await poll({})).sets)).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(waitSeconds * 1000);
    });
  });

  describe("the subscription", () => {
    it("may be left out when the tenant has one poll subscription", async () => {
      const events = created(1);
      const { poll } = await tenantWith(events);
      expect(Object.keys(answer(await poll({ returnImmediately: true }, "")).sets)).toStrictEqual(ids(events));
    });

    it("must be named when the tenant has several", async () => {
      const { poll, tenant } = await tenantWith(created(1));
      await subscribe(app.server, tenant, { format: "poll" });
      expectSetError(await poll({ returnImmediately: true }, ""), 400, "invalid_request");
    });

    it("answers 404 when the tenant has none, or names another tenant's, or one that is not polled", async () => {
      const other = await tenantWith(created(1));
      const { poll, tenant } = await tenantWith(created(1));
      const pushed = await subscribe(app.server, tenant, { format: "set", url: "https://receiver.example.com/set" });
      expectSetError(await poll({ returnImmediately: true }, `?subscription=${other.subscription}`), 404, "invalid_request");
      expectSetError(await poll({ returnImmediately: true }, `?subscription=${pushed}`), 404, "invalid_request");
      expectSetError(await poll({ returnImmediately: true }, `?subscription=${randomUUID()}`), 404, "invalid_request");
      const bare = await app.token(`bare-${randomUUID().slice(0, 8)}`, ["scim:read"]);
      expectSetError(await poll({ returnImmediately: true }, "", bare), 404, "invalid_request");
      expect(await pending(other.subscription)).toStrictEqual([]);
    });

    it("without an audience or a URL, gives SETs no aud", async () => {
      const { poll } = await tenantWith(created(1), { format: "poll" });
      const [token] = Object.values(answer(await poll({ returnImmediately: true })).sets);
      const { payload } = await jwtVerify(token as string, keys, { issuer: publicBaseUrl, typ: "secevent+jwt" });
      expect(payload.aud).toBeUndefined();
    });
  });

  describe("errors (RFC 8936 §2.4, RFC 8935 §2.3)", () => {
    it.each([
      ["maxEvents below 0", { maxEvents: -1 }],
      ["maxEvents not a whole number", { maxEvents: 1.5 }],
      ["maxEvents as text", { maxEvents: "10" }],
      ["returnImmediately as text", { returnImmediately: "true" }],
      ["ack not a list", { ack: "abc" }],
      ["ack of numbers", { ack: [1, 2] }],
      ["setErrs without err", { setErrs: { abc: { description: "bad" } } }],
      ["setErrs as a list", { setErrs: [{ err: "invalid_request" }] }],
      ["a list", [1, 2]],
    ])("answers 400 invalid_request to %s", async (_name, body) => {
      const { poll } = await tenantWith(created(1));
      expectSetError(await poll(body), 400, "invalid_request");
    });

    it("answers 400 invalid_request to a body that is no JSON, and 415 to one that is not JSON at all", async () => {
      const { subscription, token } = await tenantWith([]);
      const send = (type: string, body: string) =>
        app.http().post(`/events/poll?subscription=${subscription}`).set("Authorization", `Bearer ${token}`).set("Content-Type", type).send(body);
      expectSetError(await send("application/json", "{not json"), 400, "invalid_request");
      expectSetError(await send("text/plain", "{}"), 415, "invalid_request");
    });

    it("answers 401 authentication_failed with WWW-Authenticate without a valid token", async () => {
      const { subscription } = await tenantWith([]);
      const response = await app.http().post(`/events/poll?subscription=${subscription}`).send({});
      expectSetError(response, 401, "authentication_failed");
      expect(response.headers["www-authenticate"]).toBe('Bearer realm="scim"');
      expectSetError(await app.http().post(`/events/poll?subscription=${subscription}`).set("Authorization", "Bearer nope").send({}), 401, "authentication_failed");
    });

    it("answers 403 access_denied to a token without SCIM scopes, and takes scim:write like scim:read", async () => {
      const { poll, tenant } = await tenantWith(created(1));
      expectSetError(await poll({ returnImmediately: true }, "", await app.token(tenant, [])), 403, "access_denied");
      expect(Object.keys(answer(await poll({ returnImmediately: true }, "", await app.token(tenant, ["scim:write"]))).sets)).toHaveLength(1);
    });
  });
});
