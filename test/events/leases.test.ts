import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dispatcher, type DispatcherOptions } from "../../src/events/delivery.ts";
import { webhookFormat } from "../../src/events/webhook.ts";
import { httpSender, type Sender } from "../../src/events/sender.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { SqlSubscriptionStore } from "../../src/store/subscriptions.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { appendEvents, spreadEvents } from "../support/events.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// A subscription is worked by one process at a time: a pass whose lease was taken from it writes
// nothing, a lease left by a process that died is taken over once it expires, and on PostgreSQL
// dispatchers of several processes share the subscriptions without losing or repeating an event,
// also when one of them stops and another starts.

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

const quiet = pino({ level: "silent" });

function dispatcher(options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher({ store, formats: [webhookFormat], retentionDays: 30, leaseSeconds: 30, logger: quiet, userAgent: "scim-server/test", ...options });
}

async function subscribe(tenantName: string, path: string, on: SqlSubscriptionStore = store) {
  const tenantId = (await new SqlTenantStore(database.sql).ensure(tenantName)).id;
  const { subscription, secret } = await on.create({ tenantId, format: "webhook", url: receiver.url(path), types: [], audience: null, retryForSeconds: 3600 });
  receiver.expect(path, secret);
  return { subscription, tenantId };
}

const at = (path: string) => receiver.received.filter((entry) => entry.path === path);

describe(`leases (${testDatabaseKind})`, () => {
  it("a lease left by a process that died is taken over once it expires", async () => {
    let clock = new Date();
    const { subscription, tenantId } = await subscribe("orphaned", "/orphaned");
    const events = spreadEvents(5, 2, "orphaned");
    await appendEvents(database.sql, tenantId, events);
    const taken = await store.lease("died", ["webhook"], clock, new Date(clock.getTime() + 30_000), 100);
    expect(taken.map((leased) => leased.id)).toContain(subscription.id);

    const survivor = dispatcher({ now: () => clock, owner: "survivor" });
    await survivor.runOnce();
    expect(at("/orphaned")).toStrictEqual([]);
    clock = new Date(clock.getTime() + 29_999);
    await survivor.runOnce();
    expect(at("/orphaned")).toStrictEqual([]);
    clock = new Date(clock.getTime() + 2);
    await survivor.runOnce();
    expect(at("/orphaned").map((entry) => entry.eventId).sort()).toStrictEqual(events.map((event) => event.id).sort());
    // Released once there was nothing more to send.
    expect(await store.renew("survivor", clock)).toStrictEqual(new Set());
  });

  it("a pass whose lease was taken from it while it sent writes nothing, and the new holder sends the events again", async () => {
    const { subscription, tenantId } = await subscribe("stolen", "/stolen");
    const events = spreadEvents(4, 4, "stolen");
    await appendEvents(database.sql, tenantId, events);
    const http = httpSender({ userAgent: "scim-server/test", socketsPerReceiver: 4 });
    let stolen = false;
    const send: Sender = async (request, options) => {
      if (!stolen) {
        stolen = true;
        await database.sql.execute(`UPDATE "Subscription" SET "leaseOwner" = 'thief' WHERE "id" = ?`, [subscription.id]);
      }
      return http.send(request, options);
    };
    try {
      await dispatcher({ send, owner: "robbed" }).runOnce();
      expect(at("/stolen")).toHaveLength(4);
      expect(await database.sql.query(`SELECT "leaseOwner" FROM "Subscription" WHERE "id" = ?`, [subscription.id])).toStrictEqual([{ leaseOwner: "thief" }]);
      expect(await store.attempts(subscription.id, { givenUp: false, limit: 10 })).toStrictEqual([]);
      expect((await store.get(subscription.id))!.cursor).toBe(subscription.cursor);
      // The thief's lease is left alone, then expires.
      await database.sql.execute(`UPDATE "Subscription" SET "leaseUntil" = ? WHERE "id" = ?`, [new Date(Date.now() - 1), subscription.id]);
      await dispatcher({ owner: "next" }).runOnce();
      expect(at("/stolen")).toHaveLength(8);
      expect(await store.attempts(subscription.id, { givenUp: false, limit: 10 })).toHaveLength(4);
    } finally {
      http.close();
    }
  });

  it("a replay during a pass: the pass records nothing over it, and the next pass starts from the replayed point at once", async () => {
    const { subscription, tenantId } = await subscribe("replayed-meanwhile", "/replayed-meanwhile");
    const events = spreadEvents(3, 3, "meanwhile");
    await appendEvents(database.sql, tenantId, events);
    const http = httpSender({ userAgent: "scim-server/test", socketsPerReceiver: 4 });
    let replayed = false;
    const send: Sender = async (request, options) => {
      if (!replayed) {
        replayed = true;
        await store.replay(subscription.id, subscription.cursor + 1);
      }
      return http.send(request, options);
    };
    try {
      const delivery = dispatcher({ send, owner: "replayed" });
      await delivery.runOnce();
      expect(at("/replayed-meanwhile")).toHaveLength(3);
      expect(await store.attempts(subscription.id, { givenUp: false, limit: 10 })).toStrictEqual([]);
      expect(await database.sql.query(`SELECT "leaseOwner", "cursor" FROM "Subscription" WHERE "id" = ?`, [subscription.id])).toStrictEqual([
        { leaseOwner: null, cursor: subscription.cursor },
      ]);
      await delivery.runOnce();
      expect(at("/replayed-meanwhile").map((entry) => entry.eventId).sort()).toStrictEqual([...events, ...events].map((event) => event.id).sort());
      expect(await store.attempts(subscription.id, { givenUp: false, limit: 10 })).toHaveLength(3);
    } finally {
      http.close();
    }
  });
});

// Two connections to one SQLite file in one process would wait on each other's locks
// synchronously (store/database.ts); on SQLite one process delivers.
describe.runIf(testDatabaseKind === "postgresql")("dispatchers of several processes on one PostgreSQL", { timeout: 60_000 }, () => {
  it("share the subscriptions: every event delivered, none twice, also across a stop and a start", async () => {
    const tenants = ["shared-a", "shared-b", "shared-c", "shared-d"];
    const subscriptions: { subscription: { id: string }; tenantId: string; path: string }[] = [];
    for (const name of tenants) for (const copy of [1, 2]) subscriptions.push({ ...(await subscribe(name, `/${name}/${copy}`)), path: `/${name}/${copy}` });

    const processes: { database: Database; dispatcher: Dispatcher; sent: number; close: () => void }[] = [];
    const startProcess = async (owner: string) => {
      const own = await openDatabase(testDatabase.url);
      const http = httpSender({ userAgent: "scim-server/test", socketsPerReceiver: 32 });
      const entry = { database: own, sent: 0, close: () => http.close() } as (typeof processes)[number];
      entry.dispatcher = new Dispatcher({
        store: new SqlSubscriptionStore(own.sql),
        formats: [webhookFormat],
        retentionDays: 30,
        leaseSeconds: 30,
        logger: quiet,
        userAgent: "scim-server/test",
        owner,
        // A few at a time, so that each process gets some of them.
        tuning: { leasesPerPass: 2 },
        send: (request, options) => {
          entry.sent++;
          return http.send(request, options);
        },
      });
      entry.dispatcher.start();
      processes.push(entry);
      return entry;
    };
    const stopProcess = async (entry: (typeof processes)[number]) => {
      await entry.dispatcher.stop();
      entry.close();
      await entry.database.close();
    };

    const first = await startProcess("process-1");
    await startProcess("process-2");
    const appended = new Map<string, string[]>(tenants.map((name) => [name, []]));
    try {
      for (let wave = 0; wave < 12; wave++) {
        if (wave === 6) {
          await stopProcess(first);
          await startProcess("process-3");
        }
        await Promise.all(
          tenants.map(async (name, index) => {
            const tenantId = subscriptions[index * 2]!.tenantId;
            const events = spreadEvents(60, 12, `${name}-${wave}`);
            await appendEvents(database.sql, tenantId, events);
            appended.get(name)!.push(...events.map((event) => event.id));
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 80));
      }
      const expected = [...appended.values()].reduce((sum, ids) => sum + ids.length, 0) * 2;
      await receiver.waitFor(expected + receiver.received.filter((entry) => !entry.path.startsWith("/shared-")).length, { timeoutMs: 30_000 });
    } finally {
      for (const entry of processes.slice(1)) await stopProcess(entry);
    }

    for (const { path } of subscriptions) {
      const ids = at(path).map((entry) => entry.eventId);
      const name = path.split("/")[1] as string;
      expect(new Set(ids).size, `${path} received an event twice`).toBe(ids.length);
      expect(ids.sort(), path).toStrictEqual([...appended.get(name)!].sort());
    }
    expect(processes.filter((entry) => entry.sent > 0).length, JSON.stringify(processes.map((entry) => entry.sent))).toBeGreaterThanOrEqual(2);
    expect(receiver.refused).toStrictEqual([]);
  });
});
