import { ScimError } from "../scim/errors.ts";
import type { EventRow } from "../store/events.ts";
import { eventText, isEventType, type EventType } from "./catalogue.ts";

// The events API (GET /events, docs/events-api.md): a tenant reads its change events in sequence
// order, a page at a time, each page ending in a cursor to read on from. Events are kept for the
// retention period only; a cursor older than that reads on from the oldest event kept.

// A tenant's events as storage keeps them (store/events.ts).
export interface EventLog {
  // The events after sequence `after`, in order, at most `limit`, of `types` when given.
  after(tenantId: string, after: number, limit: number, types?: readonly EventType[]): Promise<EventRow[]>;
  // The tenant's last sequence: every event up to it is committed and readable.
  last(tenantId: string): Promise<number>;
}

export const pageLimits = { default: 100, max: 1000 } as const;

export interface PageQuery {
  readonly after?: string;
  readonly limit?: string;
  readonly types?: string;
}

// The page as JSON text, {"data": [events], "nextCursor": "..."}: the events are written from
// their stored text (catalogue.ts eventText), not parsed and printed again.
export async function eventPage(log: EventLog, tenant: { readonly id: string; readonly name: string }, query: PageQuery): Promise<string> {
  const after = query.after === undefined ? 0 : sequenceOf(query.after);
  const limit = limitOf(query.limit);
  const types = query.types === undefined ? undefined : typesOf(query.types);
  const last = await log.last(tenant.id);
  if (after > last) throw ScimError.invalidCursor("The cursor is not one of this tenant's");
  const rows = await log.after(tenant.id, after, limit, types);
  const next = nextSequence(after, rows, limit, last);
  return `{"data":[${rows.map((row) => eventText(row, tenant.name)).join(",")}],"nextCursor":${JSON.stringify(cursorOf(next))}}`;
}

// Where the next read starts. A full page ends at its last event; a shorter one read everything
// committed up to `last`, so the cursor moves there even when `types` left those events out.
export function nextSequence(after: number, rows: readonly EventRow[], limit: number, last: number): number {
  const lastRead = rows.at(-1)?.sequence ?? after;
  return rows.length === limit ? lastRead : Math.max(lastRead, last);
}

// Cursors are opaque to clients: the sequence to read after, base64url-encoded. Only the
// encoding of a whole number reads back.
export function cursorOf(sequence: number): string {
  return Buffer.from(`e${sequence}`).toString("base64url");
}

function sequenceOf(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString();
  const sequence = /^e(0|[1-9]\d{0,14})$/.test(text) ? Number(text.slice(1)) : undefined;
  if (sequence === undefined || cursorOf(sequence) !== cursor) throw ScimError.invalidCursor("The cursor is not one this server gave");
  return sequence;
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return pageLimits.default;
  const limit = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= pageLimits.max)) throw ScimError.invalidValue(`limit must be a whole number from 1 to ${pageLimits.max}`);
  return limit;
}

// A comma-separated list of event types (catalogue.ts).
export function typesOf(text: string): EventType[] {
  const names = text.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !isEventType(name));
  if (unknown.length > 0) throw ScimError.invalidValue(`Unknown event type${unknown.length > 1 ? "s" : ""}: ${unknown.map((name) => JSON.stringify(name)).join(", ")}`);
  return [...new Set(names as EventType[])];
}
