import { capped, clientOf, type LoggedRequest } from "./entry.ts";

// What the serving thread records of an answered request: its fields as they were, with nothing
// worked out from them but the redacted request body. Everything an entry says beyond that (the
// API, the client, the resource, a failure's scimType and detail) is worked out by loggedRequestOf
// where the entries are written, on the delivery thread, so that a request pays only for keeping
// these (recorder.ts).
export interface AnsweredRequest {
  readonly tenantId: string;
  // When it arrived, in milliseconds since the epoch.
  readonly at: number;
  readonly durationMs: number;
  readonly status: number;
  readonly method: string;
  // With the query string.
  readonly path: string;
  readonly userAgent: string | null;
  // The Location header of the answer, which names a created resource.
  readonly location: string | null;
  // Redacted and capped (redactedJson, capped).
  readonly requestBody: string | null;
  // The body of a failure's answer, capped.
  readonly failureBody: string | null;
}

export function loggedRequestOf(answered: AnsweredRequest): LoggedRequest {
  const error = answered.failureBody === null ? undefined : errorOf(answered.failureBody);
  const resource = resourceOf(answered.path, answered.location);
  return {
    tenantId: answered.tenantId,
    at: new Date(answered.at),
    surface: surfaceOf(answered.path),
    client: clientOf(answered.userAgent ?? undefined, answered.path),
    userAgent: answered.userAgent === null ? null : answered.userAgent.slice(0, 300),
    method: answered.method,
    path: capped(answered.path, 2048),
    status: answered.status,
    scimType: error?.scimType ?? null,
    detail: error?.detail ?? null,
    durationMs: Math.round(answered.durationMs * 100) / 100,
    resourceType: resource?.type ?? null,
    resourceId: resource?.id ?? null,
    requestBody: answered.requestBody,
    responseBody: answered.failureBody,
  };
}

// "scim", or the compat API's name from /compat/<name>/...
function surfaceOf(path: string): string {
  const compat = /^\/compat\/([^/?]+)/i.exec(path);
  return compat ? (compat[1] as string).toLowerCase() : "scim";
}

// scimType and detail of a SCIM error body; the message of a compat API's envelope.
function errorOf(text: string): { scimType: string | null; detail: string | null } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== "object") return undefined;
  const fields = body as Record<string, unknown>;
  const nested = typeof fields.error === "object" && fields.error !== null ? (fields.error as Record<string, unknown>) : {};
  const detail = [fields.detail, fields.message, nested.message, fields.error, fields.errorMessage].find((value) => typeof value === "string");
  return {
    scimType: typeof fields.scimType === "string" ? fields.scimType : null,
    detail: typeof detail === "string" ? capped(detail, 1024) : null,
  };
}

const resourceSegments: Record<string, string> = { users: "User", user: "User", groups: "Group", group: "Group" };

// The resource a request named in its path (/Users/{id}) or created (its Location).
function resourceOf(path: string, location: string | null): { type: string; id: string | undefined } | undefined {
  const from = (url: string) => {
    const segments = url.split("?", 1)[0]!.split("/").filter((segment) => segment !== "");
    for (let index = segments.length - 1; index >= 0; index -= 1) {
      const type = resourceSegments[segments[index]!.toLowerCase()];
      if (type === undefined) continue;
      const id = segments[index + 1];
      return { type, id: id === undefined || id.startsWith(".") ? undefined : decoded(id) };
    }
    return undefined;
  };
  const created = location === null ? undefined : from(location);
  if (created?.id !== undefined) return created;
  return from(path);
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
