import { credential, signOut } from "./session.ts";

// The admin API (docs/admin-api.md), the console's only source: every answer it reads and every
// change it makes goes through `call`.

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly patchReturn: "representation" | "minimal";
  readonly compatApis: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  readonly counts?: { readonly users: number; readonly groups: number };
  readonly scimBaseUrl?: string;
}

export interface Token {
  readonly id: string;
  readonly api: string;
  readonly scope: "read" | "write";
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly credential?: string;
}

export type Client = "okta" | "entra" | "other";

export interface LogEntry {
  readonly id: string;
  readonly at: string;
  readonly surface: string;
  readonly client: Client;
  readonly userAgent: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly scimType: string | null;
  readonly detail: string | null;
  readonly durationMs: number;
  readonly resourceType: string | null;
  readonly resourceId: string | null;
  readonly requestBody?: unknown;
  readonly responseBody?: unknown;
}

export const subscriptionFormats = ["webhook", "set", "poll"] as const;

export interface Subscription {
  readonly id: string;
  readonly format: (typeof subscriptionFormats)[number];
  readonly url: string | null;
  readonly types: readonly string[];
  readonly paused: boolean;
  readonly cursor: number;
  readonly retryForSeconds: number;
  readonly createdAt: string;
  readonly pending?: { readonly retry: number; readonly dead: number; readonly failed: number };
}

export interface DeliveryAttempt {
  readonly id: number;
  readonly sequence: number;
  readonly eventId: string;
  readonly attemptedAt: string;
  readonly status: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly outcome: "delivered" | "retry" | "dead" | "failed";
}

export type Replay =
  | { readonly kind: "from"; readonly from: number; readonly cursorBefore: number; readonly cursorAfter: number; readonly cleared: number }
  | { readonly kind: "given-up"; readonly requeued: number };

export interface Activity {
  readonly bucket: "minute" | "hour";
  readonly data: readonly { readonly at: string; readonly client: Client; readonly requests: number; readonly errors: number }[];
}

// RFC 7644 §3.4.2 ListResponse, as the tenant's Users and Groups are answered.
export interface ListResponse<T> {
  readonly totalResults: number;
  readonly startIndex?: number;
  readonly itemsPerPage?: number;
  readonly Resources?: readonly T[];
}

export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor?: string | null;
}

// An answer of 400 or more, read from its RFC 7644 §3.12 error body.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType: string | undefined,
  ) {
    super(detail);
  }
}

const base = "/admin/v1";

export function tenantPath(tenant: string, rest = ""): string {
  return `/tenants/${encodeURIComponent(tenant)}${rest}`;
}

// `path` is relative to /admin/v1. A 401 ends the session: the credential was revoked or mistyped.
export async function call<T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, credential() ?? "", body);
  if (response.status === 401) signOut("The server refused the credential. Sign in again.");
  return read<T>(response);
}

// The credential works: GET /admin/v1/session with it, before it is kept.
export async function checkCredential(candidate: string): Promise<void> {
  await read(await send("GET", "/session", candidate));
}

export function query(parameters: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== "") search.set(name, String(value));
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

function send(method: string, path: string, bearer: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", Authorization: `Bearer ${bearer}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
}

async function read<T>(response: Response): Promise<T> {
  const text = await response.text();
  const parsed: unknown = text === "" ? undefined : parseJson(text);
  if (response.ok) return parsed as T;
  const error = (typeof parsed === "object" && parsed !== null ? parsed : {}) as { detail?: unknown; scimType?: unknown };
  const detail = typeof error.detail === "string" && error.detail !== "" ? error.detail : `The server answered ${response.status} ${response.statusText}`.trim();
  throw new ApiError(response.status, detail, typeof error.scimType === "string" ? error.scimType : undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
