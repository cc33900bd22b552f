import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventText } from "../../src/events/catalogue.ts";
import { Dispatcher, type DispatcherOptions } from "../../src/events/delivery.ts";
import { webhookFormat } from "../../src/events/webhook.ts";
import type { SubscriptionRequest } from "../../src/events/ports.ts";
import { SqlSubscriptionStore } from "../../src/store/subscriptions.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";
import { appendEvents, changeEvent, spreadEvents } from "../support/events.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// Webhook delivery to a real receiver on 127.0.0.1 that checks every signature itself: events
// arrive signed, once each, in order per resource; a receiver that cannot verify the signature
// gets the event again once it can; type filters and pausing hold; a running dispatcher delivers
// well within a second of the commit.

let app: TestApp;
let store: SqlSubscriptionStore;
let receiver: Receiver;
let tenantId: string;

beforeAll(async () => {
  app = await startTestApp();
  store = new SqlSubscriptionStore(app.server.database.sql);
  tenantId = (await app.server.tenants.ensure("webhooks")).id;
  receiver = await startReceiver({ maxAgeSeconds: 300 });
});

afterAll(async () => {
  await receiver?.close();
  await app?.close();
});

const quiet = pino({ level: "silent" });

function dispatcher(options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher({ store, formats: [webhookFormat], retentionDays: 30, leaseSeconds: 30, logger: quiet, userAgent: "scim-server/test", ...options });
}

async function subscribe(path: string, request: Partial<SubscriptionRequest> = {}, registerSecret = true) {
  const { subscription, secret } = await store.create({
    tenantId,
    format: "webhook",
    url: receiver.url(path),
    types: [],
    audience: null,
    retryForSeconds: 3600,
    ...request,
  });
  if (registerSecret) receiver.expect(path, secret);
  return { subscription, secret };
}

const at = (path: string) => receiver.received.filter((entry) => entry.path === path);

describe(`webhook delivery (${testDatabaseKind})`, () => {
  it("delivers each event once, signed, with its id and JSON, in order per resource", async () => {
    const { subscription } = await subscribe("/signed");
    const events = spreadEvents(60, 7);
    await appendEvents(app.server.database.sql, tenantId, events);
    await dispatcher().runOnce();

    const got = at("/signed");
    expect(got.map((entry) => entry.eventId).sort()).toStrictEqual(events.map((event) => event.id).sort());
    expect(receiver.refused.filter((entry) => entry.path === "/signed")).toStrictEqual([]);
    for (const resource of new Set(events.map((event) => event.resourceId))) {
      const sequences = got.filter((entry) => entry.event.resource.id === resource).map((entry) => entry.event.sequence);
      expect(sequences).toStrictEqual([...sequences].sort((a, b) => a - b));
    }
    const first = got.find((entry) => entry.eventId === events[0]!.id)!;
    expect(first.headers["content-type"]).toBe("application/json");
    expect(first.headers["user-agent"]).toBe("scim-server/test");
    expect(first.event).toStrictEqual(JSON.parse(eventText({ ...events[0]!, sequence: first.event.sequence }, "webhooks")));
    expect(first.event).toMatchObject({ id: events[0]!.id, type: "user.updated", tenant: "webhooks" });

    const after = (await store.get(subscription.id))!;
    expect(after.cursor).toBe(Math.max(...got.map((entry) => entry.event.sequence)));
    const attempts = await store.attempts(subscription.id, { givenUp: false, limit: 1000 });
    expect(attempts).toHaveLength(60);
    expect(new Set(attempts.map((attempt) => attempt.outcome))).toStrictEqual(new Set(["delivered"]));
    expect(attempts.every((attempt) => attempt.status === 200)).toBe(true);

    // Nothing new: another pass sends nothing.
    await dispatcher().runOnce();
    expect(at("/signed")).toHaveLength(60);
  });

  it("a subscription starts at the tenant's last event: what happened before it is not sent", async () => {
    await appendEvents(app.server.database.sql, tenantId, [changeEvent("user.created", "before-subscribing")]);
    await subscribe("/late");
    const later = changeEvent("user.created", "after-subscribing");
    await appendEvents(app.server.database.sql, tenantId, [later]);
    await dispatcher().runOnce();
    expect(at("/late").map((entry) => entry.eventId)).toStrictEqual([later.id]);
  });

  it("a receiver that cannot verify the signature refuses it, and gets the event again once it can", async () => {
    let clock = new Date();
    const { subscription, secret } = await subscribe("/wrong-secret", {}, false);
    receiver.expect("/wrong-secret", `${secret}x`);
    const event = changeEvent("user.created", "signature-check");
    await appendEvents(app.server.database.sql, tenantId, [event]);
    const delivery = dispatcher({ now: () => clock });
    await delivery.runOnce();
    expect(receiver.refused.filter((entry) => entry.path === "/wrong-secret").map((entry) => entry.reason)).toStrictEqual(["signature does not match"]);
    expect(at("/wrong-secret")).toStrictEqual([]);
    const [refused] = await store.attempts(subscription.id, { givenUp: false, limit: 10 });
    expect(refused).toMatchObject({ status: 401, outcome: "retry", error: "HTTP 401", eventId: event.id });

    receiver.expect("/wrong-secret", secret);
    clock = new Date(clock.getTime() + 1000);
    await delivery.runOnce();
    expect(at("/wrong-secret").map((entry) => entry.eventId)).toStrictEqual([event.id]);
    expect((await store.get(subscription.id))!.pending).toStrictEqual({ retry: 0, dead: 0, failed: 0 });
  });

  it("delivers only the types subscribed to, and moves past the others", async () => {
    const { subscription } = await subscribe("/typed", { types: ["user.created", "group.deleted"] });
    const events = [
      changeEvent("user.created", "typed-1"),
      changeEvent("user.updated", "typed-1"),
      changeEvent("group.created", "typed-group"),
      changeEvent("group.deleted", "typed-group"),
      changeEvent("user.deleted", "typed-1"),
    ];
    await appendEvents(app.server.database.sql, tenantId, events);
    await dispatcher().runOnce();
    expect(at("/typed").map((entry) => entry.event.type)).toStrictEqual(["user.created", "group.deleted"]);
    const [last] = (await app.server.database.sql.query<{ last: number }>(`SELECT "last" FROM "Sequence" WHERE "tenantId" = ? AND "name" = '~events'`, [tenantId]));
    expect((await store.get(subscription.id))!.cursor).toBe(Number(last!.last));
  });

  it("a subscription removed or paused while a dispatcher works it is sent nothing more", async () => {
    // Passes 400 ms apart: the subscription is removed or paused once the first has been
    // recorded, before the second starts.
    const running = dispatcher({ tuning: { passSpacingMs: 400, spacedFrom: 1 } });
    running.start();
    try {
      for (const [path, stop] of [
        ["/removed", (id: string) => store.remove(id)],
        ["/paused-running", (id: string) => store.setPaused(id, true)],
      ] as const) {
        const { subscription } = await subscribe(path);
        const first = spreadEvents(5, 5, `${path.slice(1)}-a`);
        await appendEvents(app.server.database.sql, tenantId, first);
        running.wake();
        await receiver.waitFor(5, { path, timeoutMs: 5000 });
        await new Promise((resolve) => setTimeout(resolve, 150));
        await stop(subscription.id);
        await appendEvents(app.server.database.sql, tenantId, spreadEvents(5, 5, `${path.slice(1)}-b`));
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(at(path).map((entry) => entry.eventId).sort()).toStrictEqual(first.map((event) => event.id).sort());
      }
    } finally {
      await running.stop();
    }
  });

  it("a paused subscription receives nothing until it is resumed, then everything it missed", async () => {
    const { subscription } = await subscribe("/paused");
    await store.setPaused(subscription.id, true);
    const events = spreadEvents(12, 3, "paused");
    await appendEvents(app.server.database.sql, tenantId, events);
    await dispatcher().runOnce();
    expect(at("/paused")).toStrictEqual([]);
    expect((await store.get(subscription.id))!).toMatchObject({ paused: true, cursor: subscription.cursor });

    await store.setPaused(subscription.id, false);
    await dispatcher().runOnce();
    expect(at("/paused").map((entry) => entry.eventId).sort()).toStrictEqual(events.map((event) => event.id).sort());
  });

  it("a running dispatcher delivers within a second of the commit, by polling and sooner when woken", async () => {
    await subscribe("/latency");
    const running = dispatcher();
    running.start();
    try {
      const delays: number[] = [];
      for (const wake of [false, true]) {
        for (let i = 0; i < 15; i++) {
          const event = changeEvent("user.updated", `latency-${i % 3}`);
          const committed = performance.now();
          await appendEvents(app.server.database.sql, tenantId, [event]);
          if (wake) running.wake();
          await receiver.waitFor(delays.length + 1, { path: "/latency", timeoutMs: 5000 });
          const arrival = at("/latency").find((entry) => entry.eventId === event.id)!;
          delays.push(arrival.at - committed);
        }
      }
      expect(Math.max(...delays)).toBeLessThan(1000);
      // Woken, it does not wait for the poll.
      const woken = delays.slice(15).sort((a, b) => a - b);
      expect(woken[Math.floor(woken.length / 2)]).toBeLessThan(150);
    } finally {
      await running.stop();
    }
  });
});
