import type { NewEvent } from "../events/catalogue.ts";
import type { Sql, SqlRow, SqlStatement, SqlValue } from "./driver/sql.ts";
import { placeholders } from "./query/condition.ts";

// The outbox (schema.prisma, model Event): the statements that append a change's events to the
// transaction of the change, and the reads of delivery and of the events API.

// The Sequence row whose `last` is the tenant's last event sequence.
export const eventSequenceName = "~events";

// Rows per INSERT of events: 8 values each, within SQLite's 32766 bind parameters.
const eventsPerInsert = 2000;

// The statements that number `events` (in order) after the tenant's last event and insert them;
// none for no event. They are to be the last statements of the change's transaction: the
// counter's row stays locked from its update until the transaction ends (PostgreSQL), so
// transactions that write events of one tenant commit in the order of their numbers, and a
// reader that has seen number n will never later find a number below n appear. Nothing is read
// back, so they can go in a batch (driver/sql.ts).
export function eventStatements(tenantId: string, events: readonly NewEvent[]): SqlStatement[] {
  if (events.length === 0) return [];
  const statements: SqlStatement[] = [
    {
      text: `INSERT INTO "Sequence" ("tenantId", "name", "last") VALUES (?, ?, ?)
             ON CONFLICT ("tenantId", "name") DO UPDATE SET "last" = "Sequence"."last" + excluded."last"`,
      args: [tenantId, eventSequenceName, events.length],
      lockKey: tenantId,
    },
  ];
  // Event i of n gets last - (n - 1 - i): the numbers the update above reserved, in order.
  const sequence = `(SELECT "last" FROM "Sequence" WHERE "tenantId" = ? AND "name" = '${eventSequenceName}') - ?`;
  for (let start = 0; start < events.length; start += eventsPerInsert) {
    const chunk = events.slice(start, start + eventsPerInsert);
    const tuples: string[] = [];
    const args: SqlValue[] = [];
    chunk.forEach((event, i) => {
      tuples.push(`(?, ${sequence}, ?, ?, ?, ?, ?, ?)`);
      args.push(tenantId, tenantId, events.length - 1 - (start + i), event.id, event.type, event.resourceType, event.resourceId, event.occurredAt, event.payload);
    });
    statements.push({
      text: `INSERT INTO "Event" ("tenantId", "sequence", "id", "type", "resourceType", "resourceId", "occurredAt", "payload") VALUES ${tuples.join(", ")}`,
      args,
    });
  }
  return statements;
}

export interface EventRow {
  readonly sequence: number;
  readonly id: string;
  readonly type: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly occurredAt: Date;
  readonly payload: string;
}

// A tenant's events after `after`, in sequence order, at most `limit`, of `types` when given.
export async function eventsAfter(sql: Sql, tenantId: string, after: number, limit: number, types?: readonly string[]): Promise<EventRow[]> {
  const typed = types !== undefined && types.length > 0;
  const rows = await sql.query<SqlRow & Omit<EventRow, "occurredAt"> & { occurredAt: unknown }>(
    `SELECT "sequence", "id", "type", "resourceType", "resourceId", "occurredAt", "payload" FROM "Event"
     WHERE "tenantId" = ? AND "sequence" > ?${typed ? ` AND "type" IN (${placeholders(types.length)})` : ""}
     ORDER BY "sequence" LIMIT ?`,
    [tenantId, after, ...(typed ? types : []), limit],
  );
  return rows.map((row) => ({ ...row, sequence: Number(row.sequence), occurredAt: row.occurredAt instanceof Date ? row.occurredAt : new Date(row.occurredAt as string) }));
}

// The tenant's last event sequence (0 before its first event).
export async function lastEventSequence(sql: Sql, tenantId: string): Promise<number> {
  const [row] = await sql.query<{ last: number }>(`SELECT "last" FROM "Sequence" WHERE "tenantId" = ? AND "name" = ?`, [tenantId, eventSequenceName]);
  return row === undefined ? 0 : Number(row.last);
}

// Deletes events that occurred before `before`; the number deleted.
export function pruneEvents(sql: Sql, before: Date): Promise<number> {
  return sql.execute(`DELETE FROM "Event" WHERE "occurredAt" < ?`, [before]);
}
