import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dispatcher, type DispatcherOptions } from "../../src/events/delivery.ts";
import { webhookFormat } from "../../src/events/webhook.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { SqlSubscriptionStore } from "../../src/store/subscriptions.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { appendEvents, changeEvent } from "../support/events.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// Events, and the record of attempts to deliver them, are kept for the retention period
// (EVENTS_RETENTION_DAYS): older ones are deleted, with what still waited for them, by a running
// dispatcher on its own.

let testDatabase: TestDatabase;
let database: Database;
let store: SqlSubscriptionStore;
let receiver: Receiver;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url);
  store = new SqlSubscriptionStore(database.sql);
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await database?.close();
  await testDatabase?.drop();
});

const day = 86_400_000;

function dispatcher(options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher({ store, formats: [webhookFormat], retentionDays: 30, leaseSeconds: 30, logger: pino({ level: "silent" }), userAgent: "scim-server/test", ...options });
}

const count = async (table: string, subscriptionOrTenant: { column: string; value: string }) =>
  Number((await database.sql.query<{ n: unknown }>(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE "${subscriptionOrTenant.column}" = ?`, [subscriptionOrTenant.value]))[0]!.n);

// A tenant with events 40 days old (one given up after failing, one delivered) and recent ones
// (delivered); the old attempts were made 40 days ago.
async function tenantWithHistory(name: string) {
  const now = new Date();
  const tenantId = (await new SqlTenantStore(database.sql).ensure(name)).id;
  const { subscription, secret } = await store.create({ tenantId, format: "webhook", url: receiver.url(`/${name}`), types: [], audience: null, retryForSeconds: 60 });
  receiver.expect(`/${name}`, secret);
  const longAgo = new Date(now.getTime() - 40 * day);
  const [failing, delivered] = [changeEvent("user.created", `${name}-old-1`, longAgo), changeEvent("user.created", `${name}-old-2`, longAgo)];
  await appendEvents(database.sql, tenantId, [failing, delivered]);
  receiver.answer((event) => (event.id === failing.id ? 500 : 200));
  let clock = longAgo;
  const then = dispatcher({ now: () => clock });
  await then.runOnce();
  clock = new Date(longAgo.getTime() + 61_000);
  await then.runOnce();
  const recent = [changeEvent("user.created", `${name}-new-1`, now), changeEvent("user.updated", `${name}-new-1`, now)];
  await appendEvents(database.sql, tenantId, recent);
  clock = now;
  await then.runOnce();
  const bySubscription = { column: "subscriptionId", value: subscription.id };
  expect(await count("Event", { column: "tenantId", value: tenantId })).toBe(4);
  expect(await count("DeliveryAttempt", bySubscription)).toBe(5);
  expect((await store.get(subscription.id))!.pending).toStrictEqual({ retry: 0, dead: 1, failed: 0 });
  return { tenantId, subscription, bySubscription };
}

describe(`retention (${testDatabaseKind})`, () => {
  it("deletes events and attempts older than the retention period, and the given-up deliveries of deleted events", async () => {
    const { tenantId, subscription, bySubscription } = await tenantWithHistory("kept-30-days");
    const pruned = await dispatcher().prune();
    expect(pruned).toMatchObject({ pending: 1 });
    expect(pruned.events).toBeGreaterThanOrEqual(2);
    expect(pruned.attempts).toBeGreaterThanOrEqual(3);
    const left = await database.sql.query<{ resourceId: string }>(`SELECT "resourceId" FROM "Event" WHERE "tenantId" = ? ORDER BY "sequence"`, [tenantId]);
    expect(left.map((row) => row.resourceId)).toStrictEqual(["kept-30-days-new-1", "kept-30-days-new-1"]);
    expect(await count("DeliveryAttempt", bySubscription)).toBe(2);
    expect((await store.get(subscription.id))!.pending).toStrictEqual({ retry: 0, dead: 0, failed: 0 });
    // A longer period keeps everything.
    const { tenantId: other } = await tenantWithHistory("kept-50-days");
    await dispatcher({ retentionDays: 50 }).prune();
    expect(await count("Event", { column: "tenantId", value: other })).toBe(4);
  });

  it("a running dispatcher prunes on its own", async () => {
    const { tenantId } = await tenantWithHistory("pruned-while-running");
    const running = dispatcher();
    running.start();
    try {
      const deadline = performance.now() + 5000;
      while ((await count("Event", { column: "tenantId", value: tenantId })) > 2) {
        if (performance.now() > deadline) throw new Error("the old events are still there");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await running.stop();
    }
  });
});
