import { replayRequest, subscriptionChange, subscriptionRequest, tenantChange, tenantCreation, tokenRequest } from "../../admin/contract.ts";
import { eventTypes } from "../../events/catalogue.ts";
import { subscriptionFormats } from "../../events/ports.ts";
import { clients } from "../../provisioning-log/entry.ts";
import type { JsonSchema } from "./spec.ts";
import { errorsOf, fromZod, operationsOf, pathParameter, queryParameter, ref, reply, requestBody, type ApiDescription } from "./spec.ts";

// The /admin/v1 route table (admin/api.ts, docs/admin-api.md).

const operation = operationsOf("admin", [{ "admin.bearer": [] }]);

const errors = errorsOf(ref("scim.Error"), "application/scim+json", {
  400: "The request is not valid: scimType invalidValue (a body or parameter), invalidSyntax (not JSON) or invalidFilter.",
  401: "No admin credential, or one that is not valid or was revoked; with WWW-Authenticate.",
  404: "No such tenant, or no such token, log entry or subscription of the tenant.",
  409: "A tenant with that name exists (scimType uniqueness).",
});

const tenant = pathParameter("tenant", "The tenant's name.");
const id = pathParameter("id", "The id, as listed.");
const string = { type: "string" } as const;
const time = { type: "string", format: "date-time" } as const;
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: "null" }] });
const list = (item: string): JsonSchema => ({ type: "object", required: ["data"], properties: { data: { type: "array", items: ref(item) } } });

const tenantProperties = {
  id: string,
  name: string,
  createdAt: time,
  patchReturn: { type: "string", enum: ["representation", "minimal"] },
  compatApis: { type: "array", items: string },
  options: { type: "object", additionalProperties: string },
};

const tokenProperties = {
  id: string,
  api: string,
  scope: { type: "string", enum: ["read", "write"] },
  createdAt: time,
  expiresAt: nullable(time),
  revokedAt: nullable(time),
};

const entryProperties = {
  id: string,
  at: time,
  surface: { type: "string", description: "scim, or the compat API's name." },
  client: { type: "string", enum: [...clients] },
  userAgent: nullable(string),
  method: string,
  path: { type: "string", description: "With the query string." },
  status: { type: "integer" },
  scimType: nullable(string),
  detail: nullable(string),
  durationMs: { type: "number" },
  resourceType: nullable({ type: "string", enum: ["User", "Group"] }),
  resourceId: nullable(string),
};

export const adminApi: ApiDescription = {
  tag: {
    name: "Admin",
    description: "The operator's API behind the console at /admin: tenants, their tokens, users and groups, the provisioning log, event subscriptions and deliveries. An admin credential only (npm run token -- --admin).",
  },
  securitySchemes: {
    "admin.bearer": {
      type: "http",
      scheme: "bearer",
      description: "An admin credential from `npm run token -- --admin` (scimadm_...). It belongs to no tenant and works on /admin/v1 only.",
    },
  },
  schemas: {
    "admin.Tenant": { type: "object", required: Object.keys(tenantProperties), properties: tenantProperties },
    "admin.TenantDetail": {
      type: "object",
      required: [...Object.keys(tenantProperties), "scimBaseUrl", "counts"],
      properties: {
        ...tenantProperties,
        scimBaseUrl: { type: "string", description: "The tenant URL to give Okta or Entra." },
        counts: { type: "object", required: ["users", "groups"], properties: { users: { type: "integer" }, groups: { type: "integer" } } },
      },
    },
    "admin.TenantCreation": fromZod(tenantCreation, "input"),
    "admin.TenantChange": fromZod(tenantChange, "input"),
    "admin.Token": { type: "object", required: Object.keys(tokenProperties), properties: tokenProperties },
    "admin.IssuedToken": {
      type: "object",
      required: [...Object.keys(tokenProperties), "credential"],
      properties: { ...tokenProperties, credential: { type: "string", description: "Shown this once." } },
    },
    "admin.TokenRequest": fromZod(tokenRequest, "input"),
    "admin.LogEntry": { type: "object", required: Object.keys(entryProperties), properties: entryProperties },
    "admin.LogEntryDetail": {
      type: "object",
      required: [...Object.keys(entryProperties), "requestBody", "responseBody"],
      properties: {
        ...entryProperties,
        requestBody: { ...nullable(string), description: "As sent, with secrets replaced by [redacted], cut at PROVISIONING_LOG_BODY_BYTES." },
        responseBody: { ...nullable(string), description: "Failures only." },
      },
    },
    "admin.LogPage": {
      type: "object",
      required: ["data", "nextCursor"],
      properties: { data: { type: "array", items: ref("admin.LogEntry") }, nextCursor: nullable(string) },
    },
    "admin.Activity": {
      type: "object",
      required: ["bucket", "since", "data"],
      properties: {
        bucket: { type: "string", enum: ["minute", "hour"] },
        since: time,
        data: {
          type: "array",
          items: {
            type: "object",
            required: ["at", "client", "requests", "errors"],
            properties: { at: time, client: { type: "string", enum: [...clients] }, requests: { type: "integer" }, errors: { type: "integer" } },
          },
        },
      },
    },
    "admin.Subscription": {
      type: "object",
      required: ["id", "format", "url", "types", "audience", "paused", "cursor", "retryForSeconds", "createdAt", "pending"],
      properties: {
        id: string,
        format: { type: "string", enum: [...subscriptionFormats] },
        url: nullable(string),
        types: { type: "array", items: { type: "string", enum: [...eventTypes] } },
        audience: nullable(string),
        paused: { type: "boolean" },
        cursor: { type: "integer" },
        retryForSeconds: { type: "integer" },
        createdAt: time,
        pending: {
          type: "object",
          required: ["retry", "dead", "failed"],
          properties: { retry: { type: "integer" }, dead: { type: "integer" }, failed: { type: "integer" } },
        },
      },
    },
    "admin.SubscriptionRequest": fromZod(subscriptionRequest, "input"),
    "admin.SubscriptionChange": fromZod(subscriptionChange, "input"),
    "admin.NewSubscription": {
      type: "object",
      required: ["subscription", "secret"],
      properties: { subscription: ref("admin.Subscription"), secret: { type: "string", description: "Signs the webhooks; shown this once." } },
    },
    "admin.DeliveryAttempt": {
      type: "object",
      required: ["id", "subscriptionId", "sequence", "eventId", "attemptedAt", "status", "durationMs", "error", "outcome"],
      properties: {
        id: { type: "integer" },
        subscriptionId: string,
        sequence: { type: "integer" },
        eventId: string,
        attemptedAt: time,
        status: nullable({ type: "integer" }),
        durationMs: { type: "integer" },
        error: nullable(string),
        outcome: { type: "string", enum: ["delivered", "retry", "dead", "failed"] },
      },
    },
    "admin.ReplayRequest": fromZod(replayRequest, "input"),
    "admin.Replay": { type: "object", required: ["subscription", "kind"], properties: { subscription: string, kind: { type: "string", enum: ["from", "given-up"] } } },
  },
  paths: {
    "/admin/v1/session": {
      get: operation("session", "Check an admin credential", {
        responses: { 200: reply("The credential works.", { type: "object", required: ["credentialId"], properties: { credentialId: string } }), ...errors(401) },
      }),
    },
    "/admin/v1/tenants": {
      get: operation("listTenants", "List the tenants", { responses: { 200: reply("Every tenant.", list("admin.Tenant")), ...errors(401) } }),
      post: operation("createTenant", "Create a tenant", {
        requestBody: requestBody(ref("admin.TenantCreation")),
        responses: { 201: reply("The tenant.", ref("admin.Tenant")), ...errors(400, 401, 409) },
      }),
    },
    "/admin/v1/tenants/{tenant}": {
      get: operation("showTenant", "Show a tenant, its SCIM base URL and its counts", {
        parameters: [tenant],
        responses: { 200: reply("The tenant.", ref("admin.TenantDetail")), ...errors(401, 404) },
      }),
      patch: operation("changeTenant", "Change a tenant's PATCH default, options and compat APIs", {
        parameters: [tenant],
        requestBody: requestBody(ref("admin.TenantChange")),
        responses: { 200: reply("The tenant.", ref("admin.Tenant")), ...errors(400, 401, 404) },
      }),
    },
    "/admin/v1/tenants/{tenant}/tokens": {
      get: operation("listTokens", "List a tenant's tokens and keys (never a secret)", {
        parameters: [tenant],
        responses: { 200: reply("Newest first.", list("admin.Token")), ...errors(401, 404) },
      }),
      post: operation("issueToken", "Issue a token for the SCIM API or a compat API", {
        parameters: [tenant],
        requestBody: requestBody(ref("admin.TokenRequest")),
        responses: { 201: reply("The token, with its credential shown this once.", ref("admin.IssuedToken")), ...errors(400, 401, 404) },
      }),
    },
    "/admin/v1/tenants/{tenant}/tokens/{id}": {
      delete: operation("revokeToken", "Revoke a token", { parameters: [tenant, id], responses: { 204: reply("Revoked."), ...errors(401, 404) } }),
    },
    "/admin/v1/tenants/{tenant}/Users": {
      get: operation("browseUsers", "Browse a tenant's users as its SCIM clients see them", {
        parameters: [tenant, queryParameter("filter", "A SCIM filter (RFC 7644 §3.4.2.2)."), queryParameter("startIndex", "1-based.", { type: "integer" }), queryParameter("count", "Page size.", { type: "integer" })],
        responses: { 200: reply("A SCIM ListResponse.", ref("scim.ListResponse")), ...errors(400, 401, 404) },
      }),
    },
    "/admin/v1/tenants/{tenant}/Groups": {
      get: operation("browseGroups", "Browse a tenant's groups (without members)", {
        parameters: [tenant, queryParameter("filter", "A SCIM filter (RFC 7644 §3.4.2.2)."), queryParameter("startIndex", "1-based.", { type: "integer" }), queryParameter("count", "Page size.", { type: "integer" })],
        responses: { 200: reply("A SCIM ListResponse.", ref("scim.ListResponse")), ...errors(400, 401, 404) },
      }),
    },
    "/admin/v1/tenants/{tenant}/log": {
      get: operation("listLog", "Read a tenant's provisioning log, newest first", {
        parameters: [
          tenant,
          queryParameter("status", "A code (409), a class (4xx), or error (400 and above)."),
          queryParameter("client", "The identity provider.", { type: "string", enum: [...clients] }),
          queryParameter("resource", "A resource id."),
          queryParameter("since", "An ISO 8601 time.", time),
          queryParameter("until", "An ISO 8601 time.", time),
          queryParameter("limit", "Entries per page, 1 to 500 (default 50).", { type: "integer", minimum: 1, maximum: 500 }),
          queryParameter("cursor", "The nextCursor of the previous page."),
        ],
        responses: { 200: reply("A page of entries.", ref("admin.LogPage")), ...errors(400, 401, 404) },
      }),
    },
    "/admin/v1/tenants/{tenant}/log/{id}": {
      get: operation("showLogEntry", "Read one entry with its request and response bodies", {
        parameters: [tenant, id],
        responses: { 200: reply("The entry.", ref("admin.LogEntryDetail")), ...errors(401, 404) },
      }),
    },
    "/admin/v1/tenants/{tenant}/activity": {
      get: operation("activity", "Count requests and errors per client over time", {
        parameters: [
          tenant,
          queryParameter("bucket", "minute or hour (default).", { type: "string", enum: ["minute", "hour"] }),
          queryParameter("since", "An ISO 8601 time; the last hour (minute buckets) or day (hour buckets) by default.", time),
        ],
        responses: { 200: reply("Counts per bucket and client, oldest first.", ref("admin.Activity")), ...errors(400, 401, 404) },
      }),
    },
    "/admin/v1/tenants/{tenant}/subscriptions": {
      get: operation("listSubscriptions", "List a tenant's event subscriptions", {
        parameters: [tenant],
        responses: { 200: reply("Oldest first.", list("admin.Subscription")), ...errors(401, 404) },
      }),
      post: operation("subscribe", "Subscribe a receiver to the tenant's change events", {
        parameters: [tenant],
        requestBody: requestBody(ref("admin.SubscriptionRequest")),
        responses: { 201: reply("The subscription and its secret, shown this once.", ref("admin.NewSubscription")), ...errors(400, 401, 404) },
      }),
    },
    "/admin/v1/tenants/{tenant}/subscriptions/{id}": {
      patch: operation("pauseSubscription", "Pause or resume a subscription", {
        parameters: [tenant, id],
        requestBody: requestBody(ref("admin.SubscriptionChange")),
        responses: { 200: reply("The subscription.", ref("admin.Subscription")), ...errors(400, 401, 404) },
      }),
      delete: operation("removeSubscription", "Remove a subscription", { parameters: [tenant, id], responses: { 204: reply("Removed."), ...errors(401, 404) } }),
    },
    "/admin/v1/tenants/{tenant}/subscriptions/{id}/deliveries": {
      get: operation("deliveries", "List a subscription's delivery attempts, newest first", {
        parameters: [
          tenant,
          id,
          queryParameter("failed", "true: only the attempts after which an event was given up.", { type: "string", enum: ["true", "false"] }),
          queryParameter("limit", "1 to 1000 (default 100).", { type: "integer", minimum: 1, maximum: 1000 }),
        ],
        responses: { 200: reply("The attempts.", list("admin.DeliveryAttempt")), ...errors(400, 401, 404) },
      }),
    },
    "/admin/v1/tenants/{tenant}/subscriptions/{id}/replay": {
      post: operation("replay", "Send a subscription's events again from a sequence or time, or those given up", {
        parameters: [tenant, id],
        requestBody: requestBody(ref("admin.ReplayRequest")),
        responses: { 200: reply("What was replayed.", ref("admin.Replay")), ...errors(400, 401, 404) },
      }),
    },
  },
};
