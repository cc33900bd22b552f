import express, { Router, type Request, type RequestHandler } from "express";
import { z } from "zod";
import type { AdminCredentialService } from "../auth/admin-credentials.ts";
import type { CredentialStore, Scope, StoredCredential, Tenant, TenantStore } from "../auth/ports.ts";
import { allScopes, apiOfKind } from "../auth/tokens.ts";
import { compatApiNames, isCompatApiName } from "../compat/apis.ts";
import { optionProblem, tenantOptions } from "../compat/options.ts";
import { eventTypes, isEventType, type EventType } from "../events/catalogue.ts";
import { type DeliveryAttempt, type Subscription, type SubscriptionStore } from "../events/ports.ts";
import { scimErrorRenderer, methodNotAllowed } from "../http/errors.ts";
import { queryParameters, stringParam } from "../http/request.ts";
import type { HandlerSettings, ResourceEndpoint } from "../http/resources.ts";
import type { Logger } from "pino";
import { durationSecondsOf } from "../duration.ts";
import { clients, statusRange, type ActivityBucket, type Client, type LogEntry, type LogQuery, type ProvisioningLogStore } from "../provisioning-log/entry.ts";
import type { RequestContext } from "../scim/context.ts";
import { ScimError } from "../scim/errors.ts";
import type { StoredGroup, StoredUser, Versioned } from "../scim/ports.ts";
import { readListQuery } from "../scim/query.ts";
import { listResponse } from "../scim/render.ts";
import { replayRequest, subscriptionChange, subscriptionRequest, tenantChange, tenantCreation, tokenRequest } from "./contract.ts";

// The admin API (docs/admin-api.md): tenants, their credentials, a read-only view of their users
// and groups through the core, the provisioning log, subscriptions and deliveries. Authenticated
// by an admin credential only; errors are SCIM error bodies.

export interface AdminDeps {
  readonly adminCredentials: AdminCredentialService;
  readonly tenants: TenantStore;
  readonly credentials: CredentialStore;
  // Issues a tenant's credential for one API (a bearer token for "scim"), in the form its clients send.
  readonly issueCredential: (request: { tenantId: string; surface: string; scopes: readonly Scope[]; ttlSeconds?: number }) => Promise<{ credential: string; id: string }>;
  readonly revokeCredential: (id: string) => Promise<boolean>;
  readonly users: ResourceEndpoint<StoredUser>;
  readonly groups: ResourceEndpoint<StoredGroup>;
  readonly settings: HandlerSettings;
  // The provisioning log as the admin reads it.
  readonly log: Pick<ProvisioningLogStore, "list" | "get" | "activity">;
  readonly subscriptions: SubscriptionStore;
  readonly retryForSeconds: number;
  readonly logger: Logger;
}

// The route table.
export function adminRouter(deps: AdminDeps): Router {
  const router = Router({ caseSensitive: true });
  router.use(adminAuth(deps.adminCredentials));
  router.use(express.json({ limit: "64kb" }));
  const tenant = "/tenants/:tenant";
  const subscription = `${tenant}/subscriptions/:id`;
  router.route("/session").get(session).all(methodNotAllowed("GET"));
  router.route("/tenants").get(listTenants(deps)).post(createTenant(deps)).all(methodNotAllowed("GET, POST"));
  router.route(tenant).get(showTenant(deps)).patch(changeTenant(deps)).all(methodNotAllowed("GET, PATCH"));
  router.route(`${tenant}/tokens`).get(listTokens(deps)).post(issueToken(deps)).all(methodNotAllowed("GET, POST"));
  router.route(`${tenant}/tokens/:id`).delete(revokeToken(deps)).all(methodNotAllowed("DELETE"));
  router.route(`${tenant}/Users`).get(browse(deps, deps.users)).all(methodNotAllowed("GET"));
  router.route(`${tenant}/Groups`).get(browse(deps, deps.groups)).all(methodNotAllowed("GET"));
  router.route(`${tenant}/log`).get(listLog(deps)).all(methodNotAllowed("GET"));
  router.route(`${tenant}/log/:id`).get(showLogEntry(deps)).all(methodNotAllowed("GET"));
  router.route(`${tenant}/activity`).get(activity(deps)).all(methodNotAllowed("GET"));
  router.route(`${tenant}/subscriptions`).get(listSubscriptions(deps)).post(subscribe(deps)).all(methodNotAllowed("GET, POST"));
  router.route(subscription).patch(pauseSubscription(deps)).delete(removeSubscription(deps)).all(methodNotAllowed("PATCH, DELETE"));
  router.route(`${subscription}/deliveries`).get(deliveries(deps)).all(methodNotAllowed("GET"));
  router.route(`${subscription}/replay`).post(replay(deps)).all(methodNotAllowed("POST"));
  router.use(notFound);
  router.use(scimErrorRenderer(deps.logger, "admin"));
  return router;
}

function adminAuth(credentials: AdminCredentialService): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    if (!match) throw ScimError.unauthorized("An admin credential is required (npm run token -- --admin)");
    res.locals.admin = await credentials.verify(match[1] as string);
    res.setHeader("Cache-Control", "no-store");
    next();
  };
}

const notFound: RequestHandler = (req) => {
  throw ScimError.notFound(`No resource at ${req.method} ${req.originalUrl.split("?")[0]}`);
};

const session: RequestHandler = (_req, res) => {
  res.json({ credentialId: (res.locals.admin as { credentialId: string }).credentialId });
};

// --- tenants


async function tenantOf(deps: AdminDeps, req: Request): Promise<Tenant> {
  const name = String(req.params.tenant);
  const found = await deps.tenants.find(name);
  if (!found) throw ScimError.notFound(`No tenant named ${name}`);
  return found;
}

async function shownTenant(deps: AdminDeps, tenant: Tenant) {
  const options: Record<string, string> = {};
  for (const option of tenantOptions) {
    const value = await deps.tenants.option(tenant.id, option.name);
    if (value !== undefined) options[option.name] = value;
  }
  return {
    id: tenant.id,
    name: tenant.name,
    createdAt: tenant.createdAt.toISOString(),
    patchReturn: tenant.patchReturn,
    compatApis: tenant.compatApis,
    options,
  };
}

function listTenants(deps: AdminDeps): RequestHandler {
  return async (_req, res) => {
    const tenants = await deps.tenants.list();
    res.json({ data: await Promise.all(tenants.map((tenant) => shownTenant(deps, tenant))) });
  };
}

function createTenant(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const { name } = parse(tenantCreation, req.body);
    if (await deps.tenants.find(name)) throw ScimError.uniqueness(`A tenant named ${name} exists`);
    const tenant = await deps.tenants.ensure(name);
    res.status(201).json(await shownTenant(deps, tenant));
  };
}

function showTenant(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    const context = contextFor(req, deps, tenant);
    const countOf = async <T extends Versioned>(endpoint: ResourceEndpoint<T>) => {
      const registry = await deps.settings.registryOf(tenant.id);
      const query = readListQuery({ count: 0 }, endpoint.resourceType, registry, deps.settings);
      return (await endpoint.list(context, query, false)).totalResults;
    };
    res.json({
      ...(await shownTenant(deps, tenant)),
      scimBaseUrl: context.baseUrl,
      counts: { users: await countOf(deps.users), groups: await countOf(deps.groups) },
    });
  };
}


function changeTenant(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    const change = parse(tenantChange, req.body);
    const options = Object.entries(change.options ?? {});
    for (const [name, value] of options) {
      const problem = optionProblem(name, value ?? undefined);
      if (problem !== undefined) throw ScimError.invalidValue(problem);
    }
    for (const api of change.enableApis ?? []) {
      if (!isCompatApiName(api)) throw ScimError.invalidValue(`enableApis: no API "${api}" (the APIs: ${compatApiNames.join(", ")})`);
    }
    if (change.patchReturn) await deps.tenants.setPatchReturn(tenant.name, change.patchReturn);
    for (const [name, value] of options) await deps.tenants.setOption(tenant.name, name, value ?? undefined);
    for (const api of change.enableApis ?? []) await deps.tenants.enableApi(tenant.id, api);
    res.json(await shownTenant(deps, (await deps.tenants.byId(tenant.id)) as Tenant));
  };
}

// --- tokens

function shownToken(credential: StoredCredential) {
  return {
    id: credential.id,
    api: apiOfKind(credential.kind),
    scope: credential.scopes.includes("scim:write") ? "write" : "read",
    createdAt: credential.createdAt.toISOString(),
    expiresAt: credential.expiresAt?.toISOString() ?? null,
    revokedAt: credential.revokedAt?.toISOString() ?? null,
  };
}

function listTokens(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    res.json({ data: (await deps.credentials.list(tenant.id)).map(shownToken) });
  };
}


function issueToken(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    const request = parse(tokenRequest, req.body ?? {});
    const api = request.api.toLowerCase();
    if (api !== "scim" && !isCompatApiName(api)) throw ScimError.invalidValue(`api must be scim or one of ${compatApiNames.join(", ")}`);
    const scopes: Scope[] = request.scope === "read" ? ["scim:read"] : [...allScopes];
    const ttlSeconds = request.ttl === undefined ? undefined : durationOf("ttl", request.ttl);
    const { credential, id } = await deps.issueCredential({ tenantId: tenant.id, surface: api, scopes, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) });
    const stored = (await deps.credentials.find(id)) as StoredCredential;
    res.status(201).json({ ...shownToken(stored), credential });
  };
}

function revokeToken(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    const id = String(req.params.id);
    const credential = await deps.credentials.find(id);
    if (!credential || credential.tenantId !== tenant.id) throw ScimError.notFound(`Tenant ${tenant.name} has no token ${id}`);
    if (credential.revokedAt === undefined) await deps.revokeCredential(id);
    res.status(204).end();
  };
}

// --- users and groups, read through the core as the tenant's SCIM clients read them

function contextFor(req: Request, deps: AdminDeps, tenant: Tenant): RequestContext {
  const root = deps.settings.publicBaseUrl ? deps.settings.publicBaseUrl.replace(/\/$/, "") : `${req.protocol}://${req.get("host")}`;
  return { tenantId: tenant.id, baseUrl: `${root}/scim/v2` };
}

function browse<T extends Versioned>(deps: AdminDeps, endpoint: ResourceEndpoint<T>): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    const context = contextFor(req, deps, tenant);
    const registry = await deps.settings.registryOf(tenant.id);
    const query = readListQuery(queryParameters(req.query), endpoint.resourceType, registry, deps.settings);
    const result = await endpoint.list(context, query, false);
    const resources = result.resources.map((resource) => endpoint.render(context, resource));
    const position = query.cursor === undefined ? { startIndex: query.startIndex } : { nextCursor: result.nextCursor };
    res.json(listResponse(resources, result.totalResults, position));
  };
}

// --- the provisioning log

function logQueryOf(req: Request): LogQuery {
  const text = (name: string) => {
    const value = stringParam(req.query, name);
    return value === undefined || value === "" ? undefined : value;
  };
  const status = text("status");
  const range = status === undefined ? undefined : statusRange(status);
  if (status !== undefined && range === undefined) throw ScimError.invalidValue(`status must be a code (409), a class (4xx) or error, not "${status}"`);
  const client = text("client");
  if (client !== undefined && !clients.includes(client as Client)) throw ScimError.invalidValue(`client must be one of ${clients.join(", ")}`);
  const cursor = text("cursor");
  if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw ScimError.invalidValue("cursor must be the nextCursor of a page");
  const since = timeOf("since", text("since"));
  const until = timeOf("until", text("until"));
  const resourceId = text("resource");
  return {
    limit: limitOf(text("limit"), 50, 500),
    ...(range === undefined ? {} : { status: range }),
    ...(client === undefined ? {} : { client: client as Client }),
    ...(resourceId === undefined ? {} : { resourceId }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(cursor === undefined ? {} : { cursor: Number(cursor) }),
  };
}

function shownEntry(entry: LogEntry) {
  const { tenantId: _tenant, ...shown } = entry;
  return { ...shown, id: String(entry.id), at: entry.at.toISOString() };
}

function listLog(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    const query = logQueryOf(req);
    const entries = await deps.log.list(tenant.id, query);
    const last = entries.at(-1);
    res.json({ data: entries.map(shownEntry), nextCursor: entries.length === query.limit && last ? String(last.id) : null });
  };
}

function showLogEntry(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    const id = String(req.params.id);
    const entry = /^\d{1,15}$/.test(id) ? await deps.log.get(tenant.id, Number(id)) : undefined;
    if (!entry) throw ScimError.notFound(`Tenant ${tenant.name} has no log entry ${id}`);
    res.json(shownEntry(entry));
  };
}

function activity(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    const bucket = (stringParam(req.query, "bucket") ?? "hour") as ActivityBucket;
    if (bucket !== "minute" && bucket !== "hour") throw ScimError.invalidValue("bucket must be minute or hour");
    const since = timeOf("since", stringParam(req.query, "since")) ?? new Date(Date.now() - (bucket === "minute" ? 3_600_000 : 86_400_000));
    const points = await deps.log.activity(tenant.id, since, bucket);
    res.json({ bucket, since: since.toISOString(), data: points.map((point) => ({ ...point, at: point.at.toISOString() })) });
  };
}

// --- subscriptions and deliveries

function shownSubscription(subscription: Subscription) {
  const { tenantId: _id, tenantName: _name, ...shown } = subscription;
  return { ...shown, createdAt: subscription.createdAt.toISOString() };
}

function shownAttempt(attempt: DeliveryAttempt) {
  return { ...attempt, attemptedAt: attempt.attemptedAt.toISOString() };
}

async function subscriptionOf(deps: AdminDeps, req: Request): Promise<Subscription> {
  const tenant = await tenantOf(deps, req);
  const id = String(req.params.id);
  const found = await deps.subscriptions.get(id);
  if (!found || found.tenantId !== tenant.id) throw ScimError.notFound(`Tenant ${tenant.name} has no subscription ${id}`);
  return found;
}

function listSubscriptions(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    res.json({ data: (await deps.subscriptions.list(tenant.id)).map(shownSubscription) });
  };
}


function subscribe(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const tenant = await tenantOf(deps, req);
    const request = parse(subscriptionRequest, req.body);
    const pushed = request.format !== "poll";
    if (pushed && request.url === undefined) throw ScimError.invalidValue(`a ${request.format} subscription needs a url`);
    if (!pushed && request.url !== undefined) throw ScimError.invalidValue("a poll subscription takes no url: the receiver fetches its events");
    if (request.format === "webhook" && request.audience !== undefined) throw ScimError.invalidValue("audience goes with the set and poll formats");
    const unknown = request.types.filter((type) => !isEventType(type));
    if (unknown.length > 0) throw ScimError.invalidValue(`no event type ${unknown.join(", ")} (the types: ${eventTypes.join(", ")})`);
    const { subscription, secret } = await deps.subscriptions.create({
      tenantId: tenant.id,
      format: request.format,
      url: pushed ? httpUrl(request.url as string) : null,
      types: [...new Set(request.types)] as EventType[],
      audience: request.audience ?? null,
      retryForSeconds: request.retryFor === undefined ? deps.retryForSeconds : durationOf("retryFor", request.retryFor),
    });
    res.status(201).json({ subscription: shownSubscription(subscription), secret });
  };
}

function pauseSubscription(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const subscription = await subscriptionOf(deps, req);
    const { paused } = parse(subscriptionChange, req.body);
    res.json(shownSubscription((await deps.subscriptions.setPaused(subscription.id, paused)) as Subscription));
  };
}

function removeSubscription(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const subscription = await subscriptionOf(deps, req);
    await deps.subscriptions.remove(subscription.id);
    res.status(204).end();
  };
}

function deliveries(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const subscription = await subscriptionOf(deps, req);
    const failed = stringParam(req.query, "failed");
    if (failed !== undefined && failed !== "true" && failed !== "false") throw ScimError.invalidValue("failed must be true or false");
    const attempts = await deps.subscriptions.attempts(subscription.id, { givenUp: failed === "true", limit: limitOf(stringParam(req.query, "limit"), 100, 1000) });
    res.json({ data: attempts.map(shownAttempt) });
  };
}

function replay(deps: AdminDeps): RequestHandler {
  return async (req, res) => {
    const subscription = await subscriptionOf(deps, req);
    const { from } = parse(replayRequest, req.body ?? {});
    const start = typeof from === "string" ? timeOf("from", from) : from;
    res.json({ subscription: subscription.id, ...(await deps.subscriptions.replay(subscription.id, start)) });
  };
}

// --- reading requests

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const at = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw ScimError.invalidValue(`${at}${issue.message}`);
}

function durationOf(name: string, value: string): number {
  const seconds = durationSecondsOf(value) ?? 0;
  if (seconds <= 0) throw ScimError.invalidValue(`${name} must be a positive number of seconds or end in s, m, h or d`);
  return seconds;
}

function timeOf(name: string, value: string | undefined): Date | undefined {
  if (value === undefined || value === "") return undefined;
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) throw ScimError.invalidValue(`${name} must be an ISO 8601 time`);
  return time;
}

function limitOf(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw ScimError.invalidValue(`limit must be a whole number from 1 to ${max}`);
  return Number(value);
}

function httpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw ScimError.invalidValue(`url must be an http(s) URL, not "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw ScimError.invalidValue(`url must be an http(s) URL, not "${text}"`);
  return url.toString();
}

