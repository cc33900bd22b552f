import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { EventType, NewEvent } from "../../src/events/catalogue.ts";
import { createHttpServer } from "../../src/http/listener.ts";
import { enterpriseUserUrn, groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import type { Server } from "../../src/server.ts";
import { eventStatements } from "../../src/store/events.ts";

// Change events as the outbox stores them (store/events.ts eventStatements), with the payloads the
// core gives them (catalogue.ts): users and groups as a GET returns them, updates with the paths
// that changed, member events with the member.

export const publicBaseUrl = "https://scim.example.com";

interface Resource {
  readonly type: "User" | "Group";
  readonly id: string;
  readonly externalId: string | null;
  readonly version: number;
}

function meta(resource: Resource, at: Date) {
  const endpoint = resource.type === "User" ? "Users" : "Groups";
  return {
    resourceType: resource.type,
    created: at.toISOString(),
    lastModified: at.toISOString(),
    location: `${publicBaseUrl}/scim/v2/${endpoint}/${resource.id}`,
    version: `W/"${resource.version}"`,
  };
}

export function userData(resource: Resource, userName: string, at: Date, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const [givenName, familyName] = userName.split("@")[0]?.split(".") ?? [];
  return {
    schemas: [userUrn, enterpriseUserUrn],
    id: resource.id,
    ...(resource.externalId === null ? {} : { externalId: resource.externalId }),
    userName,
    name: { givenName, familyName, formatted: `${givenName} ${familyName}` },
    displayName: `${givenName} ${familyName}`,
    emails: [{ value: userName, type: "work", primary: true }],
    active: true,
    [enterpriseUserUrn]: { employeeNumber: "1042", department: "Research" },
    meta: meta(resource, at),
    ...overrides,
  };
}

export function groupData(resource: Resource, displayName: string, at: Date): Record<string, unknown> {
  return {
    schemas: [groupUrn],
    id: resource.id,
    ...(resource.externalId === null ? {} : { externalId: resource.externalId }),
    displayName,
    meta: meta(resource, at),
  };
}

// One event of `type` about `resource`: the rest of its JSON as the core writes it.
export function changeEvent(
  type: EventType,
  resource: Resource,
  data: Record<string, unknown>,
  extra: { changed?: string[]; previous?: Record<string, unknown>; member?: { value: string; type: "User" | "Group" } } = {},
  occurredAt = new Date(),
): NewEvent {
  return {
    id: randomUUID(),
    type,
    resourceType: resource.type,
    resourceId: resource.id,
    occurredAt,
    payload: JSON.stringify({ occurredAt: occurredAt.toISOString(), resource, data, ...extra }),
  };
}

// The life of a user and a group, one event of each type.
export function lifeEvents(): NewEvent[] {
  const at = new Date();
  const ada = { type: "User" as const, id: randomUUID(), externalId: "ada-7", version: 1 };
  const adaAt = (version: number) => ({ ...ada, version });
  const team = { type: "Group" as const, id: randomUUID(), externalId: null, version: 1 };
  const teamAt = (version: number) => ({ ...team, version });
  const user = (version: number, overrides: Record<string, unknown> = {}) => userData(adaAt(version), "ada.lovelace@example.com", at, overrides);
  const member = { value: ada.id, type: "User" as const };
  return [
    changeEvent("user.created", ada, user(1)),
    changeEvent("user.updated", adaAt(2), user(2, { displayName: "Countess Lovelace", title: "Analyst" }), {
      changed: ["displayName", "title"],
      previous: { displayName: "ada lovelace" },
    }),
    changeEvent("group.created", team, groupData(team, "Engines", at)),
    changeEvent("group.member_added", teamAt(2), groupData(teamAt(2), "Engines", at), { member }),
    changeEvent("group.updated", teamAt(3), groupData(teamAt(3), "Analytical Engines", at), {
      changed: ["displayName", "externalId"],
      previous: { displayName: "Engines" },
    }),
    changeEvent("user.deactivated", adaAt(3), user(3, { active: false }), { changed: ["active"], previous: { active: true } }),
    changeEvent("user.reactivated", adaAt(4), user(4), { changed: ["active"], previous: { active: false } }),
    changeEvent("group.member_removed", teamAt(4), groupData(teamAt(4), "Analytical Engines", at), { member }),
    changeEvent("group.deleted", teamAt(4), groupData(teamAt(4), "Analytical Engines", at)),
    changeEvent("user.deleted", adaAt(4), user(4)),
  ];
}

// Appends events to a tenant's outbox, numbered after its last; the tenant's id.
export async function appendEvents(server: Server, tenant: string, events: readonly NewEvent[]): Promise<string> {
  const { id } = await server.tenants.ensure(tenant);
  await server.database.sql.batch(eventStatements(id, events));
  return id;
}

// A subscription row, as `npm run events -- subscribe` writes one; its id.
export async function subscribe(
  server: Server,
  tenant: string,
  fields: { format: "poll" | "set" | "webhook"; url?: string; audience?: string; types?: string; cursor?: number; retryForSeconds?: number; paused?: boolean },
): Promise<string> {
  const { id: tenantId } = await server.tenants.ensure(tenant);
  const id = randomUUID();
  await server.database.sql.execute(
    `INSERT INTO "Subscription" ("id", "tenantId", "format", "url", "types", "secret", "audience", "paused", "cursor", "retryForSeconds", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [id, tenantId, fields.format, fields.url ?? null, fields.types ?? "", randomUUID(), fields.audience ?? null, fields.paused ?? false, fields.cursor ?? 0, fields.retryForSeconds ?? 86_400, new Date()],
  );
  return id;
}

// The app listening on a loopback port, as a receiver reaches it; its base URL.
export async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  const http = createHttpServer(server.app);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => http.close((error) => (error ? reject(error) : resolve()))),
  };
}
