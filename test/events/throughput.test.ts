import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/events/delivery.ts";
import { webhookFormat } from "../../src/events/webhook.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { SqlSubscriptionStore } from "../../src/store/subscriptions.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { appendEvents, spreadEvents } from "../support/events.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// A backlog drains to a receiver, each event once. Its rate is measured by `npm run bench --
// --events` (docs/benchmarks.md, "Change events"), not asserted here, where the machine may be
// busy with other tests; it is printed. DRAIN_EVENTS sets the backlog's size.

const backlog = Number(process.env.DRAIN_EVENTS ?? 10_000);

let testDatabase: TestDatabase;
let database: Database;
let receiver: Receiver;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url);
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await database?.close();
  await testDatabase?.drop();
});

describe(`draining a backlog (${testDatabaseKind})`, { timeout: 300_000 }, () => {
  it(`delivers a backlog of ${backlog} events, each once`, async () => {
    const store = new SqlSubscriptionStore(database.sql);
    const tenantId = (await new SqlTenantStore(database.sql).ensure("backlog")).id;
    const { secret } = await store.create({ tenantId, format: "webhook", url: receiver.url("/backlog"), types: [], audience: null, retryForSeconds: 3600 });
    receiver.expect("/backlog", secret);
    const events = spreadEvents(backlog, 2000, "backlog");
    for (let start = 0; start < events.length; start += 10_000) await appendEvents(database.sql, tenantId, events.slice(start, start + 10_000));

    const dispatcher = new Dispatcher({ store, formats: [webhookFormat], retentionDays: 30, leaseSeconds: 30, logger: pino({ level: "silent" }), userAgent: "scim-server/test" });
    const started = performance.now();
    dispatcher.start();
    try {
      await receiver.waitFor(backlog, { timeoutMs: 240_000 });
    } finally {
      await dispatcher.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const rate = backlog / seconds;
    console.log(`drained ${backlog} events in ${seconds.toFixed(1)} s: ${Math.round(rate)} events/s (${testDatabaseKind})`);
    expect(new Set(receiver.received.map((entry) => entry.eventId)).size).toBe(backlog);
  });
});
