import { randomUUID } from "node:crypto";
import type { NewEvent, EventType } from "../../src/events/catalogue.ts";
import { openDatabase } from "../../src/store/database.ts";
import type { Sql } from "../../src/store/driver/sql.ts";
import { openSqlite } from "../../src/store/driver/sqlite.ts";
import { databaseKind, sqlitePath } from "../../src/store/driver/url.ts";
import { eventsAfter, eventStatements, lastEventSequence, type EventRow } from "../../src/store/events.ts";
import { SqlSubscriptionStore } from "../../src/store/subscriptions.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";

// The runner's own hand on the outbox and the subscriptions of the bench tenant, for
// `--events`: it subscribes the receiver and removes the subscription between turns, reads the
// tenant's last sequence to count the events a turn wrote, and appends a backlog of events as a
// write of the server appends them (store/events.ts). Our server is idle whenever it is used: on
// SQLite it is a second connection to the server's file.

export interface BenchOutbox {
  // The tenant's last event sequence.
  lastSequence(): Promise<number>;
  // A webhook subscription to `url`, of every event type, from the tenant's last event on (its
  // `cursor`).
  subscribe(url: string): Promise<{ readonly id: string; readonly cursor: number }>;
  // Removes the tenant's subscriptions.
  unsubscribeAll(): Promise<void>;
  // The events after `after` of one resource (a write of the server just made them).
  eventsOf(resourceId: string, after: number): Promise<EventRow[]>;
  // Appends `count` copies of `template`, each with an event id and a resource id of its own and
  // the time of its batch, in transactions of `perBatch`; the sequences of the first and last.
  appendCopies(template: EventRow, count: number, onProgress: (appended: number) => void): Promise<{ readonly first: number; readonly last: number }>;
  // Moves the subscription's cursor back to just before `from` (store.replay).
  replay(id: string, from: number): Promise<void>;
  close(): Promise<void>;
}

const perBatch = 10_000;

export async function openOutbox(url: string, tenantName: string): Promise<BenchOutbox> {
  const { sql, close } = await connect(url);
  const tenantId = (await new SqlTenantStore(sql).ensure(tenantName)).id;
  const store = new SqlSubscriptionStore(sql);
  return {
    lastSequence: () => lastEventSequence(sql, tenantId),
    async subscribe(receiverUrl) {
      const { subscription } = await store.create({ tenantId, format: "webhook", url: receiverUrl, types: [], audience: null, retryForSeconds: 3600 });
      return { id: subscription.id, cursor: subscription.cursor };
    },
    async unsubscribeAll() {
      for (const subscription of await store.list(tenantId)) await store.remove(subscription.id);
    },
    async eventsOf(resourceId, after) {
      return (await eventsAfter(sql, tenantId, after, 100)).filter((event) => event.resourceId === resourceId);
    },
    async appendCopies(template, count, onProgress) {
      const before = await lastEventSequence(sql, tenantId);
      const templateTime = template.occurredAt.toISOString();
      for (let start = 0; start < count; start += perBatch) {
        const occurredAt = new Date();
        const time = occurredAt.toISOString();
        const events: NewEvent[] = [];
        for (let i = start; i < Math.min(count, start + perBatch); i++) {
          const resourceId = randomUUID();
          events.push({
            id: randomUUID(),
            type: template.type as EventType,
            resourceType: template.resourceType as NewEvent["resourceType"],
            resourceId,
            occurredAt,
            payload: template.payload.replaceAll(template.resourceId, resourceId).replaceAll(templateTime, time),
          });
        }
        await sql.batch(eventStatements(tenantId, events));
        onProgress(start + events.length);
      }
      return { first: before + 1, last: await lastEventSequence(sql, tenantId) };
    },
    async replay(id, from) {
      if ((await store.replay(id, from)) === undefined) throw new Error(`no subscription ${id} to replay`);
    },
    close,
  };
}

// On SQLite, the serving connection of the driver without a checkpoint worker of its own: the
// server's worker checkpoints the file, and a second one would only contend with it.
async function connect(url: string): Promise<{ readonly sql: Sql; close(): Promise<void> }> {
  if (databaseKind(url) === "sqlite") {
    const driver = openSqlite(sqlitePath(url));
    return { sql: driver.sql, close: async () => driver.close() };
  }
  const database = await openDatabase(url);
  return { sql: database.sql, close: () => database.close() };
}

// When events were committed, as another connection sees it: the tenant's last sequence, read
// every `everyMs` until stopped. An event was committed after the start of the last read that
// did not find its sequence, so its arrival minus that time bounds its delay from commit to
// arrival from above (by a read's interval and duration at most).
export interface CommitWatch {
  // Resolves once the first read has answered: events committed from then on are timed.
  readonly ready: Promise<void>;
  // The time (Date.now()) that bounds each sequence's commit from below; undefined for a
  // sequence committed before the first read.
  stop(): Promise<(sequence: number) => number | undefined>;
}

export function watchCommits(outbox: BenchOutbox, everyMs: number): CommitWatch {
  const reads: { readonly started: number; readonly last: number }[] = [];
  let running = true;
  let answered: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (answered = resolve));
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      reads.push({ started, last: await outbox.lastSequence() });
      answered();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    ready,
    async stop() {
      running = false;
      await loop;
      return (sequence) => {
        // The first read that found it; the reads' last sequences never decrease.
        let low = 0;
        let high = reads.length;
        while (low < high) {
          const middle = (low + high) >> 1;
          if ((reads[middle] as { last: number }).last >= sequence) high = middle;
          else low = middle + 1;
        }
        return low === 0 ? undefined : (reads[low - 1] as { started: number }).started;
      };
    },
  };
}
