import jwt from "jsonwebtoken";
import { z } from "zod";
import { etagOf } from "../scim/render.ts";
import { patchOpUrn } from "../scim/schema/urns.ts";
import type { ChangeEvent, EventType } from "./catalogue.ts";
import type { PushFormat, Verdict } from "./push-format.ts";
import { eventText } from "./catalogue.ts";
import type { SigningKey } from "./signing-key.ts";

// Change events as security event tokens: RFC 8417 SETs carrying the SCIM events of RFC 9967,
// signed with ES256, pushed to a receiver as RFC 8935 says (setPushFormat) or handed out on an
// RFC 8936 poll (events/poll.ts). docs/events-api.md lists how each change event is told.

// RFC 9967 §2.4: the provisioning events, "full" with the resource in "data", "notice" with the
// names of the attributes in "attributes".
const prov = "urn:ietf:params:scim:event:prov";
export const scimEventUris = {
  create: { full: `${prov}:create:full`, notice: `${prov}:create:notice` },
  patch: { full: `${prov}:patch:full`, notice: `${prov}:patch:notice` },
  put: { full: `${prov}:put:full`, notice: `${prov}:put:notice` },
  delete: `${prov}:delete`,
  activate: `${prov}:activate`,
  deactivate: `${prov}:deactivate`,
} as const;

export type SetMode = "full" | "notice";

// RFC 9967 §4: the event URIs this server's SETs carry in `mode`, for ServiceProviderConfig's
// securityEvents.eventUris. A group update that leaves nothing to send in a PATCH (only its
// members changed) is a patch notice in either mode.
export function emittedEventUris(mode: SetMode): readonly string[] {
  const { create, patch, put } = scimEventUris;
  const provisioning = mode === "full" ? [create.full, put.full, patch.full, patch.notice] : [create.notice, put.notice, patch.notice];
  return [...provisioning, scimEventUris.delete, scimEventUris.activate, scimEventUris.deactivate];
}

// Who signs, and how much of a resource the tokens carry.
export interface SetIssuer {
  // RFC 8417 §2.2 "iss": the server's public base URL, under which /events/jwks.json is served.
  readonly issuer: string;
  readonly key: SigningKey;
  readonly mode: SetMode;
}

// RFC 9967 §2.1: the subject is the resource, by its path under the SCIM base URL.
interface ScimSubject {
  readonly format: "scim";
  readonly uri: string;
  readonly externalId?: string;
}

export interface SetClaims {
  readonly iss: string;
  readonly iat: number;
  readonly jti: string;
  readonly aud?: string;
  readonly txn: string;
  readonly toe: number;
  readonly sub_id: ScimSubject;
  readonly events: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

// RFC 8417 §2.2 and RFC 9967 §2: the claims of the token for one event. "jti" is the event's id,
// and so is "txn": the event is the transaction, the same in every token sent for it (again, or
// to another receiver). "iat" is when this token is made, "toe" when the change happened.
export function setClaims(event: ChangeEvent, mode: SetMode, issuer: string, audience: string | undefined, now: Date): SetClaims {
  const endpoint = event.resource.type === "User" ? "Users" : "Groups";
  return {
    iss: issuer,
    iat: seconds(now),
    jti: event.id,
    ...(audience === undefined ? {} : { aud: audience }),
    txn: event.id,
    toe: seconds(new Date(event.occurredAt)),
    sub_id: {
      format: "scim",
      uri: `/${endpoint}/${event.resource.id}`,
      ...(event.resource.externalId === null ? {} : { externalId: event.resource.externalId }),
    },
    events: scimEvent(event, mode),
  };
}

// The "events" claim, one RFC 9967 event per change event. "version" is the resource's ETag
// after the change (RFC 9967 §2.2); a deletion, activation or deactivation carries nothing
// (§2.4.4 to §2.4.6).
function scimEvent(event: ChangeEvent, mode: SetMode): Record<string, Record<string, unknown>> {
  const version = etagOf(event.resource);
  const { create, patch, put } = scimEventUris;
  const type: EventType = event.type;
  switch (type) {
    case "user.created":
    case "group.created":
      return mode === "full"
        ? { [create.full]: { data: event.data, version } }
        : { [create.notice]: { attributes: attributeNames(event.data), version } };
    // §2.4.3: the user as a PUT would send it, which the event's data is (the whole resource).
    case "user.updated":
      return mode === "full" ? { [put.full]: { data: event.data, version } } : { [put.notice]: { attributes: event.changed ?? [], version } };
    // §2.4.2: a group's data leaves its members out, so a PUT of it would remove them; the
    // changed attributes are sent as the PATCH that makes the same change.
    case "group.updated": {
      const changed = (event.changed ?? []).filter((path) => !isMembersPath(path));
      if (mode === "full" && changed.length > 0) return { [patch.full]: { data: patchOp(changed.map((path) => patchOperation(event.data, path))), version } };
      return { [patch.notice]: { attributes: event.changed ?? [], version } };
    }
    case "group.member_added":
    case "group.member_removed":
      return mode === "full"
        ? { [patch.full]: { data: patchOp([memberOperation(event)]), version } }
        : { [patch.notice]: { attributes: ["members"], version } };
    case "user.deleted":
    case "group.deleted":
      return { [scimEventUris.delete]: {} };
    case "user.deactivated":
      return { [scimEventUris.deactivate]: {} };
    case "user.reactivated":
      return { [scimEventUris.activate]: {} };
    default:
      return assertNever(type);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled event type ${String(value)}`);
}

// RFC 9967 §2.4.1 (Figure 5): the attributes a created resource has.
function attributeNames(data: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(data).filter((name) => name !== "schemas" && name !== "meta");
}

type PatchOperation = { readonly op: "add" | "replace" | "remove"; readonly path: string; readonly value?: unknown };

// RFC 7644 §3.5.2.
function patchOp(operations: readonly PatchOperation[]) {
  return { schemas: [patchOpUrn], Operations: operations };
}

// RFC 9967 §2.4.2 (Figure 6): a member added or removed, as the PATCH of the group.
function memberOperation(event: ChangeEvent): PatchOperation {
  const member = event.member;
  if (member === undefined) throw new Error(`${event.type} event ${event.id} names no member`);
  if (event.type === "group.member_removed") return { op: "remove", path: `members[value eq ${JSON.stringify(member.value)}]` };
  const ref = `/${member.type === "User" ? "Users" : "Groups"}/${member.value}`;
  return { op: "add", path: "members", value: [{ value: member.value, $ref: ref, type: member.type }] };
}

function isMembersPath(path: string): boolean {
  return /^members(\W|$)/i.test(path);
}

// The PATCH operation that gives the attribute at `path` the value `resource` has: replace, or
// remove when it has none. A path into a multi-valued attribute (emails[type eq "work"].value)
// replaces the whole attribute, which the resource has in full.
function patchOperation(resource: Readonly<Record<string, unknown>>, path: string): PatchOperation {
  const attribute = path.includes("[") ? path.slice(0, path.indexOf("[")) : path;
  const value = valueAt(resource, attribute);
  return value === undefined ? { op: "remove", path: attribute } : { op: "replace", path: attribute, value };
}

// RFC 7644 §3.10: an attribute path, optionally after a schema URN, with sub-attributes after
// dots; names compare without regard to case.
function valueAt(resource: Readonly<Record<string, unknown>>, path: string): unknown {
  let container: unknown = resource;
  let rest = path;
  if (/^urn:/i.test(path)) {
    const schema = Object.keys(resource).find((key) => path.toLowerCase() === key.toLowerCase() || path.toLowerCase().startsWith(`${key.toLowerCase()}:`));
    if (schema === undefined) return undefined;
    container = resource[schema];
    rest = path.slice(schema.length + 1);
    if (rest === "") return container;
  }
  for (const name of rest.split(".")) {
    if (container === null || typeof container !== "object" || Array.isArray(container)) return undefined;
    const key = Object.keys(container).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (key === undefined) return undefined;
    container = (container as Record<string, unknown>)[key];
  }
  return container;
}

// RFC 8417 §2.3: a JWS with "typ" secevent+jwt; the key's id lets a receiver pick the key from
// the JWK Set.
export function signSet(claims: SetClaims, key: SigningKey): string {
  return jwt.sign(claims, key.privateKey, { algorithm: "ES256", header: { alg: "ES256", typ: "secevent+jwt", kid: key.kid } });
}

export function securityEventToken(issuer: SetIssuer, event: ChangeEvent, audience: string | undefined, now: Date): string {
  return signSet(setClaims(event, issuer.mode, issuer.issuer, audience, now), issuer.key);
}

// RFC 8935 §2.3: how a receiver refuses a SET.
const setError = z.object({ err: z.string().min(1), description: z.string().optional() });

// RFC 8935: the SET is the body of a POST; a 2xx (202 Accepted, §2.2) is delivered, a 400 with
// an error object (§2.3) a refusal not to be retried, anything else worth trying again. The
// audience is the subscription's, or else its URL.
export function setPushFormat(issuer: SetIssuer): PushFormat {
  return {
    name: "set",
    request: (event, target, now) => ({
      url: target.url,
      headers: { "Content-Type": "application/secevent+jwt", Accept: "application/json" },
      body: securityEventToken(issuer, JSON.parse(eventText(event, event.tenant)) as ChangeEvent, target.audience ?? target.url, now),
    }),
    classify: (status: number, bodyText: string): Verdict => {
      if (status >= 200 && status < 300) return { kind: "delivered" };
      const refusal = status === 400 ? setRefusal(bodyText) : undefined;
      return refusal === undefined ? { kind: "retry", error: `HTTP ${status}` } : { kind: "final", error: refusal };
    },
  };
}

function setRefusal(bodyText: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const parsed = setError.safeParse(body);
  if (!parsed.success) return undefined;
  return parsed.data.description === undefined ? parsed.data.err : `${parsed.data.err}: ${parsed.data.description}`;
}
