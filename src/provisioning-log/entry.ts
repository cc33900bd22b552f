// The provisioning log (docs/provisioning-log.md): what an identity provider sent to /scim/v2 or a
// compat API and what it was answered, per tenant, so that an administrator can see why a
// provisioning run failed. Recorded off the request path (recorder.ts), kept by storage
// (store/provisioning-log.ts), read through the admin API.

export type Client = "okta" | "entra" | "other";

export const clients: readonly Client[] = ["okta", "entra", "other"];

export interface LoggedRequest {
  readonly tenantId: string;
  readonly at: Date;
  // "scim" or the compat API's name.
  readonly surface: string;
  readonly client: Client;
  readonly userAgent: string | null;
  readonly method: string;
  // With the query string.
  readonly path: string;
  readonly status: number;
  readonly scimType: string | null;
  readonly detail: string | null;
  readonly durationMs: number;
  // "User" or "Group", and its id, when the request named or created one.
  readonly resourceType: string | null;
  readonly resourceId: string | null;
  // Redacted and cut to the configured size; the response's only when the request failed.
  readonly requestBody: string | null;
  readonly responseBody: string | null;
}

export interface LogEntry extends Omit<LoggedRequest, "requestBody" | "responseBody"> {
  readonly id: number;
}

export interface LogEntryDetail extends LogEntry {
  readonly requestBody: string | null;
  readonly responseBody: string | null;
}

// `status`: one code, a class ("4xx"), or every failure ("error", 400 and above). Newest first,
// from before `cursor` (an entry id) when given.
export interface LogQuery {
  readonly status?: { readonly from: number; readonly to: number };
  readonly client?: Client;
  readonly resourceId?: string;
  readonly since?: Date;
  readonly until?: Date;
  readonly cursor?: number;
  readonly limit: number;
}

export type ActivityBucket = "minute" | "hour";

export interface ActivityPoint {
  readonly at: Date;
  readonly client: Client;
  readonly requests: number;
  readonly errors: number;
}

export interface Pruned {
  readonly expired: number;
  readonly overSize: number;
}

export interface ProvisioningLogStore {
  append(entries: readonly LoggedRequest[]): Promise<void>;
  list(tenantId: string, query: LogQuery): Promise<LogEntry[]>;
  get(tenantId: string, id: number): Promise<LogEntryDetail | undefined>;
  // Requests and failures per client in each bucket from `since`, oldest first.
  activity(tenantId: string, since: Date, bucket: ActivityBucket): Promise<ActivityPoint[]>;
  // Deletes entries older than `before`, then the oldest until the rest take at most `maxBytes`.
  prune(before: Date, maxBytes: number): Promise<Pruned>;
}

// The identity provider behind a request: Okta's provisioning names itself "Okta SCIM Client" in
// its User-Agent; Entra's names Azure Active Directory or Entra there, and a tenant URL set up for
// Entra's SCIM behaviour carries its `aadOptscim...` flag.
export function clientOf(userAgent: string | undefined, path: string): Client {
  if (userAgent !== undefined && /\bokta\b/i.test(userAgent)) return "okta";
  if (userAgent !== undefined && /azure active directory|\bentra\b|\bAzureAD\b|Microsoft\.Identity/i.test(userAgent)) return "entra";
  if (/[?&]aadOptscim/i.test(path)) return "entra";
  return "other";
}

// A status filter as the admin API names it: "409", "4xx", "error".
export function statusRange(text: string): { from: number; to: number } | undefined {
  const value = text.trim().toLowerCase();
  if (value === "error" || value === "errors") return { from: 400, to: 599 };
  const range = /^([1-5])xx$/.exec(value);
  if (range) return { from: Number(range[1]) * 100, to: Number(range[1]) * 100 + 99 };
  if (/^[1-5]\d\d$/.test(value)) return { from: Number(value), to: Number(value) };
  return undefined;
}

export const redacted = "[redacted]";

// Names of members whose values are secrets, wherever they appear in a body: SCIM's password,
// the compat APIs' passwords, tokens and keys, and anything named like one.
const secretName = /pass(word|wd|phrase)?$|secret|token|(^|_|-)key$|apikey|api_key|credential|authorization|^pwd$/i;

// The body as JSON with every secret's value replaced, including in PATCH operations whose path
// names a secret ({"op": "replace", "path": "password", "value": "..."}): one pass of
// JSON.stringify, whose replacer sees each member's name and the object holding it.
export function redactedJson(body: unknown): string {
  return JSON.stringify(body, function (this: unknown, name: string, value: unknown) {
    if (name === "" || typeof value === "undefined") return value;
    if (secretName.test(name)) return redacted;
    if (name === "value" && pathNamesSecret((this as { path?: unknown }).path)) return redacted;
    return value;
  });
}

function pathNamesSecret(path: unknown): boolean {
  return typeof path === "string" && secretName.test(path.replace(/\[.*$/, "").split(/[.:]/).pop() ?? "");
}

// At most `limit` bytes of UTF-8, marked when cut.
export function capped(text: string, limit: number): string {
  if (text.length <= limit / 3 || Buffer.byteLength(text) <= limit) return text;
  const cut = Buffer.from(text).subarray(0, limit).toString("utf8").replace(/\uFFFD$/, "");
  return `${cut}… [cut at ${limit} bytes]`;
}
