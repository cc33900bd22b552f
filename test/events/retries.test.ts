import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dispatcher, type DispatcherOptions } from "../../src/events/delivery.ts";
import { webhookFormat } from "../../src/events/webhook.ts";
import type { DeliveryAttempt, DeliveryStore, SubscriptionRequest } from "../../src/events/ports.ts";
import { SqlSubscriptionStore } from "../../src/store/subscriptions.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";
import { appendEvents, changeEvent, spreadEvents } from "../support/events.ts";
import { buildBundle, runBundledTool } from "../support/process.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// When the receiver fails: each event is tried again after doubling delays (driven here by a
// clock the test moves), the events of a resource stay in order behind the one that failed, an
// event is given up at the end of its retry period and listed by `events deliveries --failed`,
// and `events replay` sends it again. A receiver that does not answer holds up only its own
// subscription.

let app: TestApp;
let store: SqlSubscriptionStore;
let receiver: Receiver;
let bundle: string;

beforeAll(async () => {
  [app, bundle] = await Promise.all([startTestApp(), buildBundle("events-retries")]);
  store = new SqlSubscriptionStore(app.server.database.sql);
  receiver = await startReceiver();
}, 120_000);

afterAll(async () => {
  await receiver?.close();
  await app?.close();
});

const quiet = pino({ level: "silent" });

function dispatcher(options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher({ store, formats: [webhookFormat], retentionDays: 30, leaseSeconds: 30, logger: quiet, userAgent: "scim-server/test", ...options });
}

// Each test has a tenant of its own, so that it sees only its own subscriptions' events.
const tenant = async (name: string) => (await app.server.tenants.ensure(name)).id;

async function subscribe(tenantId: string, url: string, request: Partial<SubscriptionRequest> = {}) {
  const created = await store.create({ tenantId, format: "webhook", url, types: [], audience: null, retryForSeconds: 3600, ...request });
  receiver.expect(new URL(url).pathname, created.secret);
  return created;
}

const at = (path: string) => receiver.received.filter((entry) => entry.path === path);

async function pendingRows(subscriptionId: string) {
  const rows = await app.server.database.sql.query<{ sequence: unknown; state: string; attempts: unknown; nextAttemptAt: unknown }>(
    `SELECT "sequence", "state", "attempts", "nextAttemptAt" FROM "PendingDelivery" WHERE "subscriptionId" = ? ORDER BY "sequence"`,
    [subscriptionId],
  );
  return rows.map((row) => ({ sequence: Number(row.sequence), state: row.state, attempts: Number(row.attempts), nextAttemptAt: new Date(row.nextAttemptAt as string | Date) }));
}

async function attemptsOldestFirst(subscriptionId: string): Promise<DeliveryAttempt[]> {
  return (await store.attempts(subscriptionId, { givenUp: false, limit: 10_000 })).reverse();
}

const cli = (...args: string[]) => runBundledTool(bundle, "events", args, app.database.url);

describe(`retries (${testDatabaseKind})`, { timeout: 60_000 }, () => {
  it("a receiver answering 500 is retried after doubling delays until the retry period ends; given up, listed, and sent again by replay", async () => {
    const start = new Date();
    let clock = start;
    const delivery = dispatcher({ now: () => clock });
    let failing = true;
    receiver.answer((_event, path) => (path === "/failing" && failing ? 500 : 200));
    const tenantId = await tenant("failing");
    const { subscription } = await subscribe(tenantId, receiver.url("/failing"), { retryForSeconds: 600 });
    const [a1, a2, b1] = [changeEvent("user.created", "res-a"), changeEvent("user.updated", "res-a"), changeEvent("user.created", "res-b")];
    await appendEvents(app.server.database.sql, tenantId, [a1!, a2!, b1!]);

    await delivery.runOnce();
    // The second event of res-a waits behind the first, unsent.
    expect((await attemptsOldestFirst(subscription.id)).map((attempt) => attempt.eventId).sort()).toStrictEqual([a1!.id, b1!.id].sort());
    expect((await pendingRows(subscription.id)).map((row) => [row.state, row.attempts])).toStrictEqual([["retry", 1], ["retry", 0], ["retry", 1]]);

    for (let round = 0; round < 40; round++) {
      const due = (await pendingRows(subscription.id)).filter((row) => row.state === "retry" && row.attempts > 0);
      if (due.length === 0) break;
      const next = Math.min(...due.map((row) => row.nextAttemptAt.getTime()));
      const made = (await attemptsOldestFirst(subscription.id)).length;
      // Not a moment before it is due.
      clock = new Date(next - 1);
      await delivery.runOnce();
      expect((await attemptsOldestFirst(subscription.id)).length).toBe(made);
      clock = new Date(next);
      await delivery.runOnce();
      expect((await attemptsOldestFirst(subscription.id)).length).toBeGreaterThan(made);
    }

    const attempts = await attemptsOldestFirst(subscription.id);
    for (const event of [a1!, b1!]) {
      const mine = attempts.filter((attempt) => attempt.eventId === event.id);
      expect(mine.every((attempt) => attempt.status === 500 && attempt.error === "HTTP 500")).toBe(true);
      expect(mine.map((attempt) => attempt.outcome)).toStrictEqual([...mine.slice(1).map(() => "retry"), "dead"]);
      const times = mine.map((attempt) => attempt.attemptedAt.getTime() - start.getTime());
      expect(times[0]).toBe(0);
      // The delay after attempt k is between half and all of 2^(k-1) seconds, until the last
      // attempt, which is made when the retry period ends.
      for (let k = 1; k < times.length - 1; k++) {
        const delay = times[k]! - times[k - 1]!;
        expect(delay, `delay after attempt ${k}`).toBeGreaterThanOrEqual(2 ** (k - 1) * 500);
        expect(delay, `delay after attempt ${k}`).toBeLessThanOrEqual(2 ** (k - 1) * 1000);
      }
      expect(times.at(-1)).toBe(600_000);
      expect(times.length).toBeGreaterThanOrEqual(10);
    }
    // res-a's second event was tried only after its first was given up, and once: its period had
    // run since it was held back.
    const second = attempts.filter((attempt) => attempt.eventId === a2!.id);
    expect(second.map((attempt) => attempt.outcome)).toStrictEqual(["dead"]);
    expect(attempts.findIndex((attempt) => attempt.eventId === a2!.id)).toBeGreaterThan(attempts.map((attempt) => attempt.eventId).lastIndexOf(a1!.id));
    expect((await store.get(subscription.id))!.pending).toStrictEqual({ retry: 0, dead: 3, failed: 0 });
    expect(at("/failing")).toStrictEqual([]);

    const failed = await cli("deliveries", "--subscription", subscription.id, "--failed");
    expect(failed.code, failed.stderr).toBe(0);
    const listed = failed.stdout.trim().split("\n").map((line) => JSON.parse(line) as { eventId: string; outcome: string; status: number });
    expect(listed.map((line) => line.eventId).sort()).toStrictEqual([a1!.id, a2!.id, b1!.id].sort());
    expect(listed.every((line) => line.outcome === "dead" && line.status === 500)).toBe(true);
    const newest = await cli("deliveries", "--subscription", subscription.id, "--limit", "2");
    expect(newest.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { id: number }).id)).toStrictEqual(attempts.slice(-2).reverse().map((attempt) => attempt.id));

    failing = false;
    const replayed = await cli("replay", "--subscription", subscription.id);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(JSON.parse(replayed.stdout)).toStrictEqual({ subscription: subscription.id, kind: "given-up", requeued: 3 });
    await delivery.runOnce();
    expect(at("/failing").map((entry) => entry.eventId)).toStrictEqual(expect.arrayContaining([a1!.id, a2!.id, b1!.id]));
    const resA = at("/failing").filter((entry) => entry.event.resource.id === "res-a").map((entry) => entry.eventId);
    expect(resA).toStrictEqual([a1!.id, a2!.id]);
    expect((await store.get(subscription.id))!.pending).toStrictEqual({ retry: 0, dead: 0, failed: 0 });
  });

  it("replay --from a sequence or a time sends the events from there again", async () => {
    const delivery = dispatcher();
    const tenantId = await tenant("replayed");
    const { subscription } = await subscribe(tenantId, receiver.url("/replayed"));
    const early = spreadEvents(5, 2, "replayed");
    await appendEvents(app.server.database.sql, tenantId, early);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const midpoint = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const late = spreadEvents(4, 2, "replayed").map((event) => ({ ...event, occurredAt: new Date() }));
    await appendEvents(app.server.database.sql, tenantId, late);
    await delivery.runOnce();
    expect(at("/replayed")).toHaveLength(9);
    const sequences = at("/replayed").map((entry) => entry.event.sequence).sort((a, b) => a - b);
    const cursor = (await store.get(subscription.id))!.cursor;

    const bySequence = await cli("replay", "--subscription", subscription.id, "--from", String(sequences[2]));
    expect(JSON.parse(bySequence.stdout)).toStrictEqual({ subscription: subscription.id, kind: "from", from: sequences[2], cursorBefore: cursor, cursorAfter: sequences[2]! - 1, cleared: 0 });
    await delivery.runOnce();
    expect(at("/replayed")).toHaveLength(9 + 7);

    const byTime = await cli("replay", "--subscription", subscription.id, "--from", midpoint.toISOString());
    expect(JSON.parse(byTime.stdout)).toMatchObject({ kind: "from", from: sequences[5], cursorAfter: sequences[5]! - 1 });
    await delivery.runOnce();
    const again = at("/replayed").slice(16).map((entry) => entry.eventId).sort();
    expect(again).toStrictEqual(late.map((event) => event.id).sort());
  });

  it("a receiver that refuses connections for a while gets everything once it is back, each once, in order per resource", async () => {
    let clock = new Date();
    const delivery = dispatcher({ now: () => clock });
    const reserved = await startReceiver();
    const port = reserved.port;
    await reserved.close();
    const tenantId = await tenant("down");
    const { subscription, secret } = await subscribe(tenantId, `http://127.0.0.1:${port}/down`, { retryForSeconds: 86_400 });

    const before = spreadEvents(40, 4, "down");
    await appendEvents(app.server.database.sql, tenantId, before);
    await delivery.runOnce();
    const refused = await attemptsOldestFirst(subscription.id);
    expect(refused).toHaveLength(4);
    expect(refused.every((attempt) => attempt.status === null && /ECONNREFUSED/.test(attempt.error ?? "") && attempt.outcome === "retry")).toBe(true);

    const during = spreadEvents(20, 5, "down");
    await appendEvents(app.server.database.sql, tenantId, during);
    clock = new Date(clock.getTime() + 2000);
    await delivery.runOnce();
    // The four that failed were tried again; the new events of their resources wait behind them,
    // and those of the fifth resource go out (and fail) on their own.
    const pending = await pendingRows(subscription.id);
    expect(pending).toHaveLength(60);
    expect(pending.filter((row) => row.attempts === 2)).toHaveLength(4);
    expect(pending.filter((row) => row.attempts === 1)).toHaveLength(1);

    const back = await startReceiver({ port });
    try {
      back.expect("/down", secret);
      clock = new Date(clock.getTime() + 3_600_000);
      await delivery.runOnce();
      const got = back.received;
      expect(got.map((entry) => entry.eventId).sort()).toStrictEqual([...before, ...during].map((event) => event.id).sort());
      for (const resource of new Set([...before, ...during].map((event) => event.resourceId))) {
        const sequences = got.filter((entry) => entry.event.resource.id === resource).map((entry) => entry.event.sequence);
        expect(sequences, resource).toStrictEqual([...sequences].sort((a, b) => a - b));
      }
      expect(await pendingRows(subscription.id)).toStrictEqual([]);
    } finally {
      await back.close();
    }
  });

  it("events waiting behind a retry that is not yet due do not make the subscription worked over and over", async () => {
    const tenantId = await tenant("waiting");
    const { subscription } = await subscribe(tenantId, receiver.url("/waiting"), { retryForSeconds: 3600 });
    receiver.answer((_event, path) => (path === "/waiting" ? 500 : 200));
    let leases = 0;
    const counting: DeliveryStore = {
      lease: async (...args) => {
        const leased = await store.lease(...args);
        leases += leased.filter((entry) => entry.id === subscription.id).length;
        return leased;
      },
      renew: (...args) => store.renew(...args),
      release: (...args) => store.release(...args),
      holds: (...args) => store.holds(...args),
      dueEvents: (...args) => store.dueEvents(...args),
      newEvents: (...args) => store.newEvents(...args),
      record: (...args) => store.record(...args),
      prune: (...args) => store.prune(...args),
    };
    const running = dispatcher({ store: counting });
    running.start();
    try {
      await appendEvents(app.server.database.sql, tenantId, [changeEvent("user.created", "waiting-1"), changeEvent("user.updated", "waiting-1")]);
      running.wake();
      await waitUntil(async () => (await store.attempts(subscription.id, { givenUp: false, limit: 10 })).length === 1, 5000);
      // The first retry is at least half a second away: nothing is due until then.
      await new Promise((resolve) => setTimeout(resolve, 100));
      leases = 0;
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(leases).toBe(0);
    } finally {
      await running.stop();
    }
  });

  it("a receiver's refusal for good gives the event up at once, and the resource's next event goes on", async () => {
    const refusing = { ...webhookFormat, classify: (status: number) => (status === 410 ? { kind: "final" as const, error: "gone" } : webhookFormat.classify(status, "")) };
    const delivery = dispatcher({ formats: [refusing] });
    const [first, second] = [changeEvent("user.created", "gone"), changeEvent("user.updated", "gone")];
    receiver.answer((event, path) => (path === "/gone" && event.id === first.id ? 410 : 200));
    const tenantId = await tenant("gone");
    const { subscription } = await subscribe(tenantId, receiver.url("/gone"));
    await appendEvents(app.server.database.sql, tenantId, [first, second]);
    await delivery.runOnce();
    expect(at("/gone").map((entry) => entry.eventId)).toStrictEqual([second.id]);
    expect((await store.attempts(subscription.id, { givenUp: true, limit: 10 })).map((attempt) => [attempt.eventId, attempt.outcome, attempt.error])).toStrictEqual([
      [first.id, "failed", "gone"],
    ]);
    expect((await store.get(subscription.id))!.pending).toStrictEqual({ retry: 0, dead: 0, failed: 1 });
  });

  it("a receiver that does not answer times out, and holds up only its own subscription", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const tenantId = await tenant("hanging");
      const { subscription: hanging } = await subscribe(tenantId, `http://127.0.0.1:${(silent.address() as AddressInfo).port}/silent`);
      await subscribe(tenantId, receiver.url("/alongside"));
      const timeoutMs = 2500;
      const running = dispatcher({ tuning: { requestTimeoutMs: timeoutMs } });
      running.start();
      try {
        const events = spreadEvents(30, 30, "hang");
        const sent = performance.now();
        await appendEvents(app.server.database.sql, tenantId, events);
        running.wake();
        await receiver.waitFor(30, { path: "/alongside", timeoutMs: 5000 });
        // All of them before the silent receiver's requests have even timed out.
        expect(Math.max(...at("/alongside").map((entry) => entry.at - sent))).toBeLessThan(timeoutMs);
        await waitUntil(async () => (await store.attempts(hanging.id, { givenUp: false, limit: 100 })).length >= 30, 10_000);
        const timedOut = await store.attempts(hanging.id, { givenUp: false, limit: 100 });
        expect(timedOut.every((attempt) => attempt.status === null && attempt.error === "no answer within 2.5 s" && attempt.durationMs >= timeoutMs - 100)).toBe(true);
      } finally {
        await running.stop();
      }
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

async function waitUntil(test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await test())) {
    if (performance.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
