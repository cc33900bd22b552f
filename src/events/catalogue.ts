// The change events of docs/events.md: their types and their JSON form. Shared by the core, which
// describes changes (scim/change-events.ts), storage, which keeps them (store/events.ts), and
// delivery (events/).

export const eventTypes = [
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.reactivated",
  "user.deleted",
  "group.created",
  "group.updated",
  "group.deleted",
  "group.member_added",
  "group.member_removed",
] as const;

export type EventType = (typeof eventTypes)[number];

export function isEventType(value: string): value is EventType {
  return (eventTypes as readonly string[]).includes(value);
}

export interface EventResource {
  readonly type: "User" | "Group";
  readonly id: string;
  readonly externalId: string | null;
  // The resource's version after the change (its ETag is W/"<version>"); for a deletion, the
  // version it had.
  readonly version: number;
}

// An event as delivered and listed.
export interface ChangeEvent {
  readonly id: string;
  readonly type: EventType;
  // The tenant's name.
  readonly tenant: string;
  // Per tenant, strictly increasing in commit order.
  readonly sequence: number;
  readonly occurredAt: string;
  readonly resource: EventResource;
  // The resource as a default GET returns it (a group without its members); for a deletion, as
  // it last was.
  readonly data: Record<string, unknown>;
  // Updates: the attribute paths that changed, and their former values (a path absent from
  // `previous` had no value; a password is named but never shown).
  readonly changed?: readonly string[];
  readonly previous?: Record<string, unknown>;
  // Member events: the member added or removed.
  readonly member?: { readonly value: string; readonly type: "User" | "Group" };
}

// An event before storage numbers it: everything but `tenant` and `sequence`, with the rest of
// its JSON already serialised (the columns repeat what delivery and listing filter on).
export interface NewEvent {
  readonly id: string;
  readonly type: EventType;
  readonly resourceType: "User" | "Group";
  readonly resourceId: string;
  readonly occurredAt: Date;
  // The JSON object of the event's other members: occurredAt, resource, data, changed, previous,
  // member.
  readonly payload: string;
}

// The event's JSON text from its stored parts, without parsing the payload.
export function eventText(row: { readonly id: string; readonly type: string; readonly sequence: number; readonly payload: string }, tenant: string): string {
  return `{"id":${JSON.stringify(row.id)},"type":${JSON.stringify(row.type)},"tenant":${JSON.stringify(tenant)},"sequence":${row.sequence},${row.payload.slice(1)}`;
}
