import { randomUUID } from "node:crypto";
import type { EventType, NewEvent } from "../../src/events/catalogue.ts";
import type { Sql } from "../../src/store/driver/sql.ts";
import { eventStatements } from "../../src/store/events.ts";

// Change events written to the outbox as a write of the core appends them (store/events.ts), for
// tests of delivery that need events without going through SCIM writes.

export function changeEvent(type: EventType, resourceId: string, occurredAt = new Date()): NewEvent {
  const resourceType = type.startsWith("group.") ? "Group" : "User";
  return {
    id: randomUUID(),
    type,
    resourceType,
    resourceId,
    occurredAt,
    payload: JSON.stringify({
      occurredAt: occurredAt.toISOString(),
      resource: { type: resourceType, id: resourceId, externalId: null, version: 1 },
      data: { id: resourceId },
    }),
  };
}

// Appends the events, numbered in order, in one transaction.
export async function appendEvents(sql: Sql, tenantId: string, events: readonly NewEvent[]): Promise<void> {
  await sql.batch(eventStatements(tenantId, events));
}

// `count` user.updated events spread over `resources` users, resource i % resources for event i.
export function spreadEvents(count: number, resources: number, prefix = "user"): NewEvent[] {
  return Array.from({ length: count }, (_, i) => changeEvent("user.updated", `${prefix}-${i % resources}`));
}
