import { randomBytes, randomUUID } from "node:crypto";
import { isEventType, type EventType } from "../events/catalogue.ts";
import type {
  AttemptOutcome, DeliveryAttempt, DeliveryStore, DueEvent, LeasedSubscription, NextEvents, PassRecord, Pruned, Replay, Subscription,
  SubscriptionFormat, SubscriptionRequest, SubscriptionStore,
} from "../events/ports.ts";
import { sqlDate, type Sql, type SqlStatement } from "./driver/sql.ts";
import { eventSequenceName, lastEventSequence, pruneEvents } from "./events.ts";
import { placeholders } from "./query/condition.ts";
import { inChunks, insertSql } from "./query/statements.ts";
import type { ReadRow, RowValues } from "./tables.ts";

// Subscriptions to a tenant's change events (schema.prisma, Subscription, PendingDelivery and
// DeliveryAttempt): what `npm run events` manages and what delivery (events/delivery.ts) leases,
// reads and records.

type SubscriptionColumn = "id" | "tenantId" | "format" | "url" | "types" | "audience" | "paused" | "cursor" | "retryForSeconds" | "createdAt";

type ListedRow = ReadRow<"Subscription", SubscriptionColumn> & { readonly tenantName: string; readonly retry: unknown; readonly dead: unknown; readonly failed: unknown };

type LeasedRow = ReadRow<"Subscription", Exclude<SubscriptionColumn, "paused" | "createdAt"> | "secret">;

const selectListed = `SELECT s."id", s."tenantId", s."format", s."url", s."types", s."audience", s."paused", s."cursor", s."retryForSeconds",
  s."createdAt", t."name" AS "tenantName",
  (SELECT COUNT(*) FROM "PendingDelivery" p WHERE p."subscriptionId" = s."id" AND p."state" = 'retry') AS "retry",
  (SELECT COUNT(*) FROM "PendingDelivery" p WHERE p."subscriptionId" = s."id" AND p."state" = 'dead') AS "dead",
  (SELECT COUNT(*) FROM "PendingDelivery" p WHERE p."subscriptionId" = s."id" AND p."state" = 'failed') AS "failed"
  FROM "Subscription" s JOIN "Tenant" t ON t."id" = s."tenantId"`;

function typesOf(column: string): EventType[] {
  return column === "" ? [] : column.split(",").filter(isEventType);
}

function flag(value: unknown): boolean {
  return value === true || value === 1 || value === "1";
}

function toSubscription(row: ListedRow): Subscription {
  return {
    id: row.id,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    format: row.format as SubscriptionFormat,
    url: row.url,
    types: typesOf(row.types),
    audience: row.audience,
    paused: flag(row.paused),
    cursor: Number(row.cursor),
    retryForSeconds: Number(row.retryForSeconds),
    createdAt: sqlDate(row.createdAt),
    pending: { retry: Number(row.retry), dead: Number(row.dead), failed: Number(row.failed) },
  };
}

const upsertPending = ` ON CONFLICT ("subscriptionId", "sequence") DO UPDATE SET "state" = excluded."state", "attempts" = excluded."attempts",
  "firstAttemptAt" = excluded."firstAttemptAt", "nextAttemptAt" = excluded."nextAttemptAt", "lastError" = excluded."lastError"`;

export class SqlSubscriptionStore implements SubscriptionStore, DeliveryStore {
  readonly #tenantNames = new Map<string, string>();

  constructor(private readonly sql: Sql) {}

  async create(request: SubscriptionRequest): Promise<{ subscription: Subscription; secret: string }> {
    const id = randomUUID();
    const secret = randomBytes(32).toString("base64url");
    const row: RowValues<"Subscription"> = {
      id,
      tenantId: request.tenantId,
      format: request.format,
      url: request.url,
      types: request.types.join(","),
      secret,
      audience: request.audience,
      paused: false,
      cursor: await lastEventSequence(this.sql, request.tenantId),
      retryForSeconds: request.retryForSeconds,
      createdAt: new Date(),
    };
    const insert = insertSql("Subscription", [row]);
    await this.sql.execute(insert.text, insert.args);
    return { subscription: (await this.get(id)) as Subscription, secret };
  }

  async list(tenantId?: string): Promise<Subscription[]> {
    const where = tenantId === undefined ? "" : ` WHERE s."tenantId" = ?`;
    const rows = await this.sql.query<ListedRow>(`${selectListed}${where} ORDER BY s."createdAt", s."id"`, tenantId === undefined ? [] : [tenantId]);
    return rows.map(toSubscription);
  }

  async get(id: string): Promise<Subscription | undefined> {
    const [row] = await this.sql.query<ListedRow>(`${selectListed} WHERE s."id" = ?`, [id]);
    return row === undefined ? undefined : toSubscription(row);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.sql.execute(`DELETE FROM "Subscription" WHERE "id" = ?`, [id])) > 0;
  }

  async setPaused(id: string, paused: boolean): Promise<Subscription | undefined> {
    await this.sql.execute(`UPDATE "Subscription" SET "paused" = ? WHERE "id" = ?`, [paused, id]);
    return this.get(id);
  }

  // The subscription row is written first, as record() does, so that the two never wait for each
  // other's rows in opposite orders. The lease is cleared: the pass in flight cannot record its
  // outcome over the replay, and the next pass starts from the new cursor at once.
  async replay(id: string, from?: number | Date): Promise<Replay | undefined> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query<ReadRow<"Subscription", "tenantId" | "cursor" | "retryForSeconds">>(
        `SELECT "tenantId", "cursor", "retryForSeconds" FROM "Subscription" WHERE "id" = ?${tx.dialect === "postgresql" ? " FOR UPDATE" : ""}`,
        [id],
      );
      if (row === undefined) return undefined;
      if (from === undefined) {
        await tx.execute(`UPDATE "Subscription" SET "leaseOwner" = NULL, "leaseUntil" = NULL WHERE "id" = ?`, [id]);
        // With a fresh retry period. Each resource's first is due now; the others are held back
        // behind it (events/ports.ts, PendingRecord), as are those behind an earlier retry.
        const now = new Date();
        const requeued = await tx.execute(
          `UPDATE "PendingDelivery" SET "state" = 'retry', "attempts" = 0, "firstAttemptAt" = NULL, "lastError" = NULL, "nextAttemptAt" = ?
           WHERE "subscriptionId" = ? AND "state" IN ('dead', 'failed')`,
          [new Date(now.getTime() + Number(row.retryForSeconds) * 1000), id],
        );
        await tx.execute(
          `UPDATE "PendingDelivery" SET "nextAttemptAt" = ? WHERE "subscriptionId" = ? AND "state" = 'retry' AND "attempts" = 0 AND "firstAttemptAt" IS NULL
             AND NOT EXISTS (SELECT 1 FROM "PendingDelivery" q WHERE q."subscriptionId" = "PendingDelivery"."subscriptionId"
               AND q."resourceId" = "PendingDelivery"."resourceId" AND q."state" = 'retry' AND q."sequence" < "PendingDelivery"."sequence")`,
          [now, id],
        );
        return { kind: "given-up", requeued };
      }
      const first = typeof from === "number" ? from : await firstSequenceAt(tx, row.tenantId, from);
      const cursorBefore = Number(row.cursor);
      const cursorAfter = Math.max(0, Math.min(cursorBefore, first - 1));
      await tx.execute(`UPDATE "Subscription" SET "cursor" = ?, "leaseOwner" = NULL, "leaseUntil" = NULL WHERE "id" = ?`, [cursorAfter, id]);
      const cleared = await tx.execute(`DELETE FROM "PendingDelivery" WHERE "subscriptionId" = ? AND "sequence" > ?`, [id, cursorAfter]);
      return { kind: "from", from: first, cursorBefore, cursorAfter, cleared };
    });
  }

  async attempts(id: string, options: { readonly givenUp: boolean; readonly limit: number }): Promise<DeliveryAttempt[]> {
    type Row = ReadRow<"DeliveryAttempt", "id" | "subscriptionId" | "sequence" | "eventId" | "attemptedAt" | "status" | "durationMs" | "error" | "outcome">;
    const rows = await this.sql.query<Row>(
      `SELECT "id", "subscriptionId", "sequence", "eventId", "attemptedAt", "status", "durationMs", "error", "outcome" FROM "DeliveryAttempt"
       WHERE "subscriptionId" = ?${options.givenUp ? ` AND "outcome" IN ('dead', 'failed')` : ""} ORDER BY "id" DESC LIMIT ?`,
      [id, options.limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      subscriptionId: row.subscriptionId,
      sequence: Number(row.sequence),
      eventId: row.eventId,
      attemptedAt: sqlDate(row.attemptedAt),
      status: row.status === null ? null : Number(row.status),
      durationMs: Number(row.durationMs),
      error: row.error,
      outcome: row.outcome as AttemptOutcome,
    }));
  }

  // The candidates are first looked for by a read, as the dispatcher asks after every burst of
  // writes and most questions find nothing: on SQLite an UPDATE takes the file's write lock even when it
  // changes nothing, and the serving connection would wait for it; on PostgreSQL it would write
  // to the log. Then on PostgreSQL rows another process is leasing at the same moment are skipped
  // rather than waited for, and rows it has just leased are checked again after its commit;
  // SQLite runs one write at a time.
  async lease(owner: string, formats: readonly string[], now: Date, until: Date, limit: number): Promise<LeasedSubscription[]> {
    const candidates = `SELECT s."id" FROM "Subscription" s
         WHERE s."paused" = ? AND s."format" IN (${placeholders(formats.length)})
           AND (s."leaseUntil" IS NULL OR s."leaseUntil" < ?)
           AND (s."cursor" < COALESCE((SELECT q."last" FROM "Sequence" q WHERE q."tenantId" = s."tenantId" AND q."name" = ?), 0)
             OR EXISTS (SELECT 1 FROM "PendingDelivery" p WHERE p."subscriptionId" = s."id" AND p."state" = 'retry' AND p."nextAttemptAt" <= ?))
         LIMIT ?`;
    const args = [false, ...formats, now, eventSequenceName, now, limit];
    if ((await this.sql.query(candidates, args)).length === 0) return [];
    const rows = await this.sql.query<LeasedRow>(
      `UPDATE "Subscription" SET "leaseOwner" = ?, "leaseUntil" = ? WHERE "id" IN (
         ${candidates}${this.sql.dialect === "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""})
       RETURNING "id", "tenantId", "format", "url", "types", "secret", "audience", "cursor", "retryForSeconds"`,
      [owner, until, ...args],
    );
    const leased: LeasedSubscription[] = [];
    for (const row of rows) {
      leased.push({
        id: row.id,
        tenantId: row.tenantId,
        tenantName: await this.#tenantName(row.tenantId),
        format: row.format as SubscriptionFormat,
        url: row.url ?? "",
        secret: row.secret,
        audience: row.audience,
        types: typesOf(row.types),
        cursor: Number(row.cursor),
        retryForSeconds: Number(row.retryForSeconds),
      });
    }
    return leased;
  }

  async renew(owner: string, until: Date): Promise<ReadonlySet<string>> {
    const rows = await this.sql.query<{ id: string }>(`UPDATE "Subscription" SET "leaseUntil" = ? WHERE "leaseOwner" = ? RETURNING "id"`, [until, owner]);
    return new Set(rows.map((row) => row.id));
  }

  async holds(owner: string, id: string): Promise<boolean> {
    const rows = await this.sql.query(`SELECT "id" FROM "Subscription" WHERE "id" = ? AND "leaseOwner" = ? AND "paused" = ?`, [id, owner, false]);
    return rows.length > 0;
  }

  async release(owner: string, id: string): Promise<void> {
    await this.sql.execute(`UPDATE "Subscription" SET "leaseOwner" = NULL, "leaseUntil" = NULL WHERE "id" = ? AND "leaseOwner" = ?`, [id, owner]);
  }

  async dueEvents(subscription: LeasedSubscription, now: Date, limit: number): Promise<DueEvent[]> {
    type Row = { sequence: unknown; id: string; type: string; resourceId: string; payload: string; attempts: unknown; firstAttemptAt: unknown; lastError: string | null };
    const rows = await this.sql.query<Row>(
      `SELECT p."sequence", e."id", e."type", p."resourceId", e."payload", p."attempts", p."firstAttemptAt", p."lastError"
       FROM "PendingDelivery" p JOIN "Event" e ON e."tenantId" = p."tenantId" AND e."sequence" = p."sequence"
       WHERE p."subscriptionId" = ? AND p."state" = 'retry' AND p."nextAttemptAt" <= ?
         AND NOT EXISTS (SELECT 1 FROM "PendingDelivery" q WHERE q."subscriptionId" = p."subscriptionId" AND q."resourceId" = p."resourceId"
           AND q."state" = 'retry' AND q."sequence" < p."sequence" AND q."nextAttemptAt" > ?)
       ORDER BY p."sequence" LIMIT ?`,
      [subscription.id, now, now, limit],
    );
    return rows.map((row) => ({
      sequence: Number(row.sequence),
      id: row.id,
      type: row.type,
      resourceId: row.resourceId,
      payload: row.payload,
      attempts: Number(row.attempts),
      firstAttemptAt: row.firstAttemptAt === null ? null : sqlDate(row.firstAttemptAt),
      lastError: row.lastError,
    }));
  }

  // The tenant's last sequence is read first: every event up to it has been committed by then
  // (store/events.ts), so when fewer than `limit` events come back the cursor may move past the
  // events of other types up to it.
  async newEvents(subscription: LeasedSubscription, cursor: number, limit: number): Promise<NextEvents> {
    const last = await lastEventSequence(this.sql, subscription.tenantId);
    if (last <= cursor) return { events: [], through: cursor };
    const types = subscription.types;
    type Row = { sequence: unknown; id: string; type: string; resourceId: string; payload: string; waiting: unknown };
    const rows = await this.sql.query<Row>(
      `SELECT e."sequence", e."id", e."type", e."resourceId", e."payload",
         EXISTS (SELECT 1 FROM "PendingDelivery" p WHERE p."subscriptionId" = ? AND p."resourceId" = e."resourceId" AND p."state" = 'retry') AS "waiting"
       FROM "Event" e WHERE e."tenantId" = ? AND e."sequence" > ?${types.length > 0 ? ` AND e."type" IN (${placeholders(types.length)})` : ""}
       ORDER BY e."sequence" LIMIT ?`,
      [subscription.id, subscription.tenantId, cursor, ...types, limit],
    );
    const events = rows.map((row) => ({
      sequence: Number(row.sequence),
      id: row.id,
      type: row.type,
      resourceId: row.resourceId,
      payload: row.payload,
      waiting: flag(row.waiting),
    }));
    const lastRead = events.at(-1)?.sequence ?? cursor;
    return { events, through: events.length < limit ? Math.max(last, lastRead) : lastRead };
  }

  async record(subscription: LeasedSubscription, owner: string, until: Date, record: PassRecord): Promise<"held" | "paused" | "lost"> {
    const { id, tenantId } = subscription;
    const statements: SqlStatement[] = [
      ...inChunks(record.attempts, (chunk) =>
        insertSql(
          "DeliveryAttempt",
          chunk.map((attempt) => ({
            tenantId,
            subscriptionId: id,
            sequence: attempt.sequence,
            eventId: attempt.eventId,
            attemptedAt: attempt.attemptedAt,
            status: attempt.status,
            durationMs: attempt.durationMs,
            error: attempt.error,
            outcome: attempt.outcome,
          })),
        ),
      ),
      ...inChunks(record.pending, (chunk) => {
        const insert = insertSql(
          "PendingDelivery",
          chunk.map((row) => ({
            tenantId,
            subscriptionId: id,
            sequence: row.sequence,
            resourceId: row.resourceId,
            state: row.state,
            attempts: row.attempts,
            firstAttemptAt: row.firstAttemptAt,
            nextAttemptAt: row.nextAttemptAt,
            lastError: row.lastError,
          })),
        );
        return { text: insert.text + upsertPending, args: insert.args };
      }),
      ...inChunks(record.delivered, (chunk) => ({
        text: `DELETE FROM "PendingDelivery" WHERE "subscriptionId" = ? AND "sequence" IN (${placeholders(chunk.length)})`,
        args: [id, ...chunk],
      })),
      // The event held back next behind each settled one becomes due.
      ...record.settled.map(({ resourceId, after }) => ({
        text: `UPDATE "PendingDelivery" SET "nextAttemptAt" = ? WHERE "subscriptionId" = ? AND "sequence" = (SELECT MIN(q."sequence") FROM "PendingDelivery" q
               WHERE q."subscriptionId" = ? AND q."resourceId" = ? AND q."state" = 'retry' AND q."sequence" > ?)`,
        args: [record.now, id, id, resourceId, after],
      })),
    ];
    const guard: SqlStatement = {
      text: `UPDATE "Subscription" SET "cursor" = ?, "leaseUntil" = ? WHERE "id" = ? AND "leaseOwner" = ? AND "cursor" = ? RETURNING "paused"`,
      args: [record.cursor, until, id, owner, record.from],
    };
    const row = await this.sql.guardedBatch(guard, statements);
    if (row === undefined) return "lost";
    return flag(row.paused) ? "paused" : "held";
  }

  async prune(before: Date): Promise<Pruned> {
    const events = await pruneEvents(this.sql, before);
    const attempts = await this.sql.execute(`DELETE FROM "DeliveryAttempt" WHERE "attemptedAt" < ?`, [before]);
    const pending = await this.sql.execute(
      `DELETE FROM "PendingDelivery" WHERE NOT EXISTS
         (SELECT 1 FROM "Event" e WHERE e."tenantId" = "PendingDelivery"."tenantId" AND e."sequence" = "PendingDelivery"."sequence")`,
      [],
    );
    return { events, attempts, pending };
  }

  async #tenantName(tenantId: string): Promise<string> {
    let name = this.#tenantNames.get(tenantId);
    if (name === undefined) {
      const [row] = await this.sql.query<{ name: string }>(`SELECT "name" FROM "Tenant" WHERE "id" = ?`, [tenantId]);
      name = row?.name ?? "";
      if (this.#tenantNames.size >= 10_000) this.#tenantNames.clear();
      this.#tenantNames.set(tenantId, name);
    }
    return name;
  }
}

// The first of the tenant's events that occurred at or after `time`; past the last one when none did.
async function firstSequenceAt(sql: Sql, tenantId: string, time: Date): Promise<number> {
  const [row] = await sql.query<{ first: unknown }>(`SELECT MIN("sequence") AS "first" FROM "Event" WHERE "tenantId" = ? AND "occurredAt" >= ?`, [tenantId, time]);
  if (row?.first !== null && row?.first !== undefined) return Number(row.first);
  return (await lastEventSequence(sql, tenantId)) + 1;
}
