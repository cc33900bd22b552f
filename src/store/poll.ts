import type { PollExchange, PollStore, PollSubscription, SetError } from "../events/poll.ts";
import { sqlDate, type Sql, type SqlValue } from "./driver/sql.ts";
import { eventsAfter, lastEventSequence, type EventRow } from "./events.ts";
import { placeholders } from "./query/condition.ts";
import type { ReadRow } from "./tables.ts";

// The RFC 8936 side of the outbox (events/poll.ts): what a poll subscription has handed out and
// what became of it. A SET handed out and not yet acknowledged is a PendingDelivery row in state
// "unacked" (nextAttemptAt: when it was last handed out); acknowledged, the row goes; reported
// invalid, it stays as "failed" with the error; outstanding past the retry period, as "dead".
// DeliveryAttempt rows tell the story, one per step and none changed afterwards, all without a
// status (no request is sent): each hand-out ("unacked", durationMs 0), then the answer
// ("delivered", "failed" with the error, or "dead"), durationMs being the time since the SET was
// last handed out.

type SubscriptionRow = ReadRow<"Subscription", "id" | "tenantId" | "audience" | "url" | "paused">;
type HandOutRow = ReadRow<"Subscription", "cursor" | "types" | "paused" | "retryForSeconds">;

// Statements name at most this many values in one IN list or one multi-row INSERT.
const chunkSize = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += chunkSize) result.push(items.slice(start, start + chunkSize));
  return result;
}

// Booleans come back as 0 or 1 from SQLite.
const isTrue = (value: unknown) => value === true || value === 1;

export class SqlPollStore implements PollStore {
  constructor(private readonly sql: Sql) {}

  async subscription(tenantId: string, id: string | undefined): Promise<PollSubscription | "none" | "several"> {
    const rows = await this.sql.query<SubscriptionRow>(
      `SELECT "id", "tenantId", "audience", "url", "paused" FROM "Subscription"
       WHERE "tenantId" = ? AND "format" = 'poll'${id === undefined ? "" : ' AND "id" = ?'} ORDER BY "id" LIMIT 2`,
      id === undefined ? [tenantId] : [tenantId, id],
    );
    const [row] = rows;
    if (row === undefined) return "none";
    if (rows.length > 1) return "several";
    return { id: row.id, tenantId: row.tenantId, audience: row.audience, url: row.url, paused: isTrue(row.paused) };
  }

  lastSequence(tenantId: string): Promise<number> {
    return lastEventSequence(this.sql, tenantId);
  }

  // One transaction, holding the subscription's row (PostgreSQL; SQLite writes one transaction at
  // a time), so that two polls at once hand out each new event once.
  exchange(subscription: PollSubscription, exchange: PollExchange, now: Date): Promise<{ rows: EventRow[]; moreAvailable: boolean }> {
    return this.sql.transaction(async (tx) => {
      const lock = tx.dialect === "postgresql" ? " FOR UPDATE" : "";
      const [row] = await tx.query<HandOutRow>(
        `SELECT "cursor", "types", "paused", "retryForSeconds" FROM "Subscription" WHERE "id" = ? AND "tenantId" = ?${lock}`,
        [subscription.id, subscription.tenantId],
      );
      if (row === undefined) return { rows: [], moreAvailable: false };
      const poll = new SubscriptionPoll(tx, subscription, now);
      await poll.acknowledge(exchange.ack);
      await poll.refuse(exchange.setErrs);
      await poll.giveUp(Number(row.retryForSeconds));
      if (isTrue(row.paused)) return { rows: [], moreAvailable: false };
      return poll.handOut(exchange.maxEvents, Number(row.cursor), typesOf(row.types));
    });
  }
}

// The subscription's event types, comma-separated; none is every type.
function typesOf(column: string): string[] | undefined {
  const types = column.split(",").map((type) => type.trim()).filter(Boolean);
  return types.length === 0 ? undefined : types;
}

// The statements of one poll, inside its transaction.
class SubscriptionPoll {
  constructor(
    private readonly tx: Sql,
    private readonly subscription: PollSubscription,
    private readonly now: Date,
  ) {}

  async acknowledge(jtis: readonly string[]): Promise<void> {
    for (const chunk of chunks(jtis)) {
      const answered = await this.outstandingAmong(chunk);
      if (answered.length === 0) continue;
      await this.record(answered.map((handedOut) => ({ ...handedOut, outcome: "delivered", error: null })));
      const sequences = answered.map((handedOut) => handedOut.sequence);
      await this.tx.execute(
        `DELETE FROM "PendingDelivery" WHERE "subscriptionId" = ? AND "sequence" IN (${placeholders(sequences.length)})`,
        [this.subscription.id, ...sequences],
      );
    }
  }

  async refuse(errors: ReadonlyMap<string, SetError>): Promise<void> {
    for (const chunk of chunks([...errors.keys()])) {
      const answered = await this.outstandingAmong(chunk);
      const refusals = answered.map((handedOut) => {
        const error = errors.get(handedOut.eventId) as SetError;
        return { ...handedOut, outcome: "failed" as const, error: error.description === undefined ? error.err : `${error.err}: ${error.description}` };
      });
      await this.record(refusals);
      for (const refusal of refusals) {
        await this.tx.execute(`UPDATE "PendingDelivery" SET "state" = 'failed', "lastError" = ? WHERE "subscriptionId" = ? AND "sequence" = ?`, [
          refusal.error,
          this.subscription.id,
          refusal.sequence,
        ]);
      }
    }
  }

  // SETs outstanding since before the retry period are given up ("dead").
  async giveUp(retryForSeconds: number): Promise<void> {
    if (retryForSeconds <= 0) return;
    const before = new Date(this.now.getTime() - retryForSeconds * 1000);
    const error = `not acknowledged within ${retryForSeconds} seconds`;
    const expired = await this.handedOut(`p."firstAttemptAt" < ?`, [before]);
    await this.record(expired.map((handedOut) => ({ ...handedOut, outcome: "dead", error })));
    await this.tx.execute(
      `UPDATE "PendingDelivery" SET "state" = 'dead', "lastError" = ? WHERE "subscriptionId" = ? AND "state" = 'unacked' AND "firstAttemptAt" < ?`,
      [error, this.subscription.id, before],
    );
  }

  // Outstanding SETs first, then events after the cursor; the cursor moves past what is handed
  // out, and, when every event committed so far was looked at, past those the types leave out.
  async handOut(maxEvents: number, cursor: number, types: readonly string[] | undefined): Promise<{ rows: EventRow[]; moreAvailable: boolean }> {
    const outstanding = await this.outstanding(maxEvents + 1);
    const again = outstanding.slice(0, maxEvents);
    const room = maxEvents - again.length;
    const last = await lastEventSequence(this.tx, this.subscription.tenantId);
    const found = await eventsAfter(this.tx, this.subscription.tenantId, cursor, room + 1, types);
    const fresh = found.slice(0, room);
    const moreNew = found.length > room;
    const lastFresh = fresh.at(-1)?.sequence ?? cursor;
    const nextCursor = moreNew ? lastFresh : Math.max(lastFresh, last, cursor);

    for (const chunk of chunks(again.map((row) => row.sequence))) {
      await this.tx.execute(
        `UPDATE "PendingDelivery" SET "attempts" = "attempts" + 1, "nextAttemptAt" = ? WHERE "subscriptionId" = ? AND "sequence" IN (${placeholders(chunk.length)})`,
        [this.now, this.subscription.id, ...chunk],
      );
    }
    for (const chunk of chunks(fresh)) {
      const args: SqlValue[] = [];
      for (const row of chunk) args.push(this.subscription.tenantId, this.subscription.id, row.sequence, row.resourceId, this.now, this.now);
      await this.tx.execute(
        `INSERT INTO "PendingDelivery" ("tenantId", "subscriptionId", "sequence", "resourceId", "state", "attempts", "firstAttemptAt", "nextAttemptAt")
         VALUES ${chunk.map(() => "(?, ?, ?, ?, 'unacked', 1, ?, ?)").join(", ")}`,
        args,
      );
    }
    const handedOut = [...again, ...fresh];
    await this.record(handedOut.map((row) => ({ sequence: row.sequence, eventId: row.id, handedOutAt: this.now, outcome: "unacked", error: null })));
    if (nextCursor !== cursor) {
      await this.tx.execute('UPDATE "Subscription" SET "cursor" = ? WHERE "id" = ?', [nextCursor, this.subscription.id]);
    }
    return { rows: handedOut, moreAvailable: outstanding.length > again.length || moreNew };
  }

  // The events handed out and not yet acknowledged, in sequence order (an event removed by
  // retention meanwhile can no longer be sent).
  private async outstanding(limit: number): Promise<EventRow[]> {
    const rows = await this.tx.query<Omit<EventRow, "occurredAt"> & { occurredAt: unknown }>(
      `SELECT e."sequence", e."id", e."type", e."resourceType", e."resourceId", e."occurredAt", e."payload"
       FROM "PendingDelivery" p JOIN "Event" e ON e."tenantId" = p."tenantId" AND e."sequence" = p."sequence"
       WHERE p."subscriptionId" = ? AND p."state" = 'unacked' ORDER BY p."sequence" LIMIT ?`,
      [this.subscription.id, limit],
    );
    return rows.map((row) => ({ ...row, sequence: Number(row.sequence), occurredAt: sqlDate(row.occurredAt) }));
  }

  // The outstanding SETs among those with the ids `jtis` (a SET's jti is its event's id).
  private outstandingAmong(jtis: readonly string[]): Promise<HandedOut[]> {
    return this.handedOut(`e."id" IN (${placeholders(jtis.length)})`, jtis);
  }

  private async handedOut(condition: string, args: readonly SqlValue[]): Promise<HandedOut[]> {
    const rows = await this.tx.query<{ sequence: number; eventId: string; handedOutAt: unknown }>(
      `SELECT p."sequence", e."id" AS "eventId", p."nextAttemptAt" AS "handedOutAt"
       FROM "PendingDelivery" p JOIN "Event" e ON e."tenantId" = p."tenantId" AND e."sequence" = p."sequence"
       WHERE p."subscriptionId" = ? AND p."state" = 'unacked' AND ${condition} ORDER BY p."sequence"`,
      [this.subscription.id, ...args],
    );
    return rows.map((row) => ({ sequence: Number(row.sequence), eventId: row.eventId, handedOutAt: sqlDate(row.handedOutAt) }));
  }

  private async record(steps: readonly (HandedOut & { readonly outcome: Outcome; readonly error: string | null })[]): Promise<void> {
    for (const chunk of chunks(steps)) {
      const args: SqlValue[] = [];
      for (const step of chunk) {
        const durationMs = Math.max(0, this.now.getTime() - step.handedOutAt.getTime());
        args.push(this.subscription.tenantId, this.subscription.id, step.sequence, step.eventId, this.now, durationMs, step.error, step.outcome);
      }
      await this.tx.execute(
        `INSERT INTO "DeliveryAttempt" ("tenantId", "subscriptionId", "sequence", "eventId", "attemptedAt", "durationMs", "error", "outcome")
         VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
        args,
      );
    }
  }
}

// An outstanding SET: its event, and when it was last handed out.
interface HandedOut {
  readonly sequence: number;
  readonly eventId: string;
  readonly handedOutAt: Date;
}

type Outcome = "unacked" | "delivered" | "failed" | "dead";
