import type { Express } from "express";
import type { Logger } from "pino";
import { createApp } from "./app.ts";
import { AdminCredentialService } from "./auth/admin-credentials.ts";
import { hashPassword, verifyPassword } from "./auth/passwords.ts";
import type { CredentialStore, TenantStore } from "./auth/ports.ts";
import { ApiKeyService } from "./auth/api-keys.ts";
import { TokenService } from "./auth/tokens.ts";
import { compatApiNamed, compatApiNames, compatApis, extensionsWith, visibleWith, type CompatApiName, type CompatCredentialIssuer } from "./compat/apis.ts";
import type { CompatCore } from "./compat/core.ts";
import { defaultDatabaseUrl, type Config } from "./config.ts";
import { PollService } from "./events/poll.ts";
import type { EventLog } from "./events/pull.ts";
import { emittedEventUris, type SetIssuer } from "./events/set.ts";
import { eventSigningKey } from "./events/signing-key.ts";
import { Dispatcher } from "./events/delivery.ts";
import { DeliveryThread, type Delivery } from "./delivery-thread.ts";
import { pushFormats } from "./events/formats.ts";
import type { SubscriptionStore } from "./events/ports.ts";
import { Metrics } from "./http/metrics.ts";
import { createLogger } from "./logger.ts";
import type { ResourceEndpoint } from "./http/resources.ts";
import { BulkService } from "./scim/bulk.ts";
import { GroupService } from "./scim/groups.ts";
import type { ResourceOperations } from "./scim/operations.ts";
import type { Allocate, Attributes, ExtensionReader, StoredGroup, StoredUser } from "./scim/ports.ts";
import { renderGroup, renderUser } from "./scim/render.ts";
import { withAssignedValues } from "./scim/resource/assigned.ts";
import { oauthBearerToken, type Capabilities } from "./scim/schema/discovery.ts";
import { groupResourceType, userResourceType } from "./scim/schema/resource-types.ts";
import { readTenantSchema, type TenantSchema } from "./scim/schema/tenant-schema.ts";
import type { SchemaRegistry } from "./scim/schema/registry.ts";
import { serverSchemas, type ServerSchemas } from "./scim/schema/server-schemas.ts";
import { schemaViews, type SchemaViews } from "./scim/schema/view.ts";
import type { UnitServices } from "./scim/unit-of-work.ts";
import { UserService } from "./scim/users.ts";
import { completeResources } from "./store/assign.ts";
import { indexedAttributesOf } from "./store/extension-values.ts";
import { openDatabase, type Database, type DatabaseOptions } from "./store/database.ts";
import { eventsAfter, lastEventSequence } from "./store/events.ts";
import { SqlGroupStore } from "./store/groups.ts";
import { SqlPollStore } from "./store/poll.ts";
import { SqlSequenceStore } from "./store/sequences.ts";
import { SqlSubscriptionStore } from "./store/subscriptions.ts";
import { SqlCredentialStore, SqlTenantStore } from "./store/tenants.ts";
import { SqlUserStore } from "./store/users.ts";
import { SqlAdminCredentialStore } from "./store/admin-credentials.ts";
import { SqlProvisioningLogStore } from "./store/provisioning-log.ts";
import { ProvisioningLogRecorder } from "./provisioning-log/recorder.ts";
import type { Sql } from "./store/driver/sql.ts";
import { timedSql } from "./store/driver/timed.ts";
import { sqlitePath } from "./store/driver/url.ts";
import { transactionalUnitOfWork } from "./store/unit-of-work.ts";
import packageJson from "../package.json" with { type: "json" };

// The extension schemas an operator defines per tenant (scim/schema/tenant-schema.ts).
export interface TenantSchemas {
  list(tenantId: string): Promise<readonly TenantSchema[]>;
  // Validates and stores a definition (replacing one with the same URN); the reasons it is not
  // one otherwise, one line each.
  define(tenantId: string, definition: unknown): Promise<{ schema: TenantSchema } | { errors: string[] }>;
  // Removes a schema and its values from every resource of the tenant; false when there is none.
  remove(tenantId: string, urn: string): Promise<boolean>;
}

export interface Server {
  readonly app: Express;
  readonly database: Database;
  readonly tokens: TokenService;
  readonly keys: ApiKeyService;
  // Credentials for the compat APIs, in the form each one's clients send.
  readonly issueCompatCredential: CompatCredentialIssuer;
  readonly tenants: TenantStore;
  // The extensions each tenant has (the product extensions of the compat APIs it enabled, and
  // the schemas defined for it).
  readonly extensions: ExtensionReader;
  readonly tenantSchemas: TenantSchemas;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly served: Served;
  // Who signs security event tokens, with which key, carrying how much (events/set.ts).
  readonly securityEvents: SetIssuer;
  // Subscriptions to the tenants' change events (npm run events).
  readonly subscriptions: SubscriptionStore;
  // Pushes the events to the subscriptions' receivers once started (main.ts starts it when the
  // server listens); `wake()` after a commit that appended events delivers them without waiting
  // for the next poll. close() stops it.
  readonly delivery: Delivery;
  // The operator's credentials for the admin API and console (npm run token -- --admin).
  readonly adminCredentials: AdminCredentialService;
  // Writes the provisioning log in batches once started (main.ts starts it when the server
  // listens); close() writes what it holds.
  readonly provisioningLog: ProvisioningLogRecorder;
  close(): Promise<void>;
}

// What the server serves: the RFC schemas with the extensions the compat APIs bring, and each
// tenant's view of them.
export interface Served {
  readonly schemas: ServerSchemas;
  readonly views: SchemaViews;
}

export function served(): Served {
  const schemas = serverSchemas(compatApis.flatMap((api) => api.extensions));
  return { schemas, views: schemaViews(schemas) };
}

// The object graph: the only place that wires storage into the core.
export async function buildServer(
  config: Config,
  logger: Logger = createLogger(config),
  databaseOptions: DatabaseOptions = {},
): Promise<Server> {
  const database = await openDatabase(config.DATABASE_URL, {
    createFolder: config.DATABASE_URL === defaultDatabaseUrl,
    poolSize: config.DATABASE_POOL_SIZE,
    statistics: {
      onRefresh: (outcome) => {
        if ("error" in outcome) logger.warn({ err: outcome.error }, "planner statistics could not be refreshed");
        else if (outcome.tables.length > 0) logger.info({ tables: outcome.tables, ms: Math.round(outcome.ms) }, "planner statistics refreshed");
      },
    },
    ...databaseOptions,
  });
  const metrics = new Metrics({ compatSurfaces: compatApiNames, tenantLabel: config.METRICS_TENANT_LABEL, token: config.METRICS_TOKEN });
  const sql = timedSql(database.sql, (operation, seconds) => metrics.observeDatabase(operation, seconds));
  const serving = served();
  const registry = serving.schemas.registry;
  const { tenants, extensions, users: userService, groups: groupService } = coreServicesOver(sql, serving);
  await tenants.completeEnabledTenants();
  const unitOfWork = transactionalUnitOfWork(sql, (tx) => coreServicesOver(tx, serving));
  const registryOf = async (tenantId: string) => (await extensions.extensionsOf(tenantId, false)).view.registry;
  const reserved = registry.allSchemas().map((schema) => schema.id);
  const tenantSchemas: TenantSchemas = {
    list: (tenantId) => tenants.schemas(tenantId),
    define: async (tenantId, definition) => {
      const read = readTenantSchema(definition, reserved);
      if ("schema" in read) await tenants.defineSchema(tenantId, read.schema);
      return read;
    },
    remove: async (tenantId, urn) => {
      const schema = (await tenants.schemas(tenantId)).find((entry) => entry.schema.id.toLowerCase() === urn.toLowerCase());
      if (schema === undefined) return false;
      const id = schema.schema.id;
      const without = async (attributes: Attributes) => {
        const { [id]: _removed, ...rest } = attributes;
        return rest;
      };
      return tenants.removeSchema(tenantId, id, async (tx) => {
        await completeResources(tx, tenantId, schema.resourceType, without, indexedAttributesOf([schema.schema]));
      });
    },
  };
  const credentials = new SqlCredentialStore(sql);
  const tokens = await TokenService.create(config, credentials);
  const keys = new ApiKeyService(credentials, config.TOKEN_CACHE_SECONDS);
  // The issuer is where receivers find the keys (/events/jwks.json), so it is the public base URL.
  const securityEvents: SetIssuer = {
    issuer: (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ""),
    key: await eventSigningKey(config.EVENTS_SIGNING_KEY, (key, create) => credentials.setting(key, create)),
    mode: config.EVENTS_SET_MODE,
  };
  const eventLog: EventLog = {
    after: (tenantId, after, limit, types) => eventsAfter(sql, tenantId, after, limit, types),
    last: (tenantId) => lastEventSequence(sql, tenantId),
  };
  const poll = new PollService(new SqlPollStore(sql), { issuer: securityEvents, waitMs: config.EVENTS_POLL_WAIT_SECONDS * 1000, checkEveryMs: pollCheckMs });

  const users: ResourceEndpoint<StoredUser> = {
    resourceType: userResourceType,
    relation: attributeOf(registry, userResourceType.schema, "groups"),
    create: (context, body) => userService.create(context, body),
    get: (context, id, withGroups) => userService.get(context, id, withGroups),
    replace: (context, id, body, condition) => userService.replace(context, id, body, condition),
    patch: (context, id, body, condition) => userService.patch(context, id, body, condition),
    remove: (context, id, condition) => userService.remove(context, id, condition),
    list: (context, query, withGroups) => userService.list(context, query, withGroups),
    render: renderUser,
  };
  const groups: ResourceEndpoint<StoredGroup> = {
    resourceType: groupResourceType,
    relation: attributeOf(registry, groupResourceType.schema, "members"),
    create: (context, body) => groupService.create(context, body),
    get: (context, id, withMembers) => groupService.get(context, id, withMembers),
    replace: (context, id, body, condition) => groupService.replace(context, id, body, condition),
    patch: (context, id, body, condition, withMembers) => groupService.patch(context, id, body, condition, withMembers),
    remove: (context, id, condition) => groupService.remove(context, id, condition),
    list: (context, query, withMembers) => groupService.list(context, query, withMembers),
    render: renderGroup,
  };

  const bulkLimits = { maxOperations: config.BULK_MAX_OPERATIONS, maxPayloadSize: config.BULK_MAX_PAYLOAD_BYTES };
  const bulk = new BulkService([users, groups] as ResourceOperations[], bulkLimits, (error, operation) =>
    logger.error({ err: error, operation }, "bulk operation failed unexpectedly"));

  const filterLimits = { maxLength: config.FILTER_MAX_LENGTH, maxDepth: config.FILTER_MAX_DEPTH, maxTerms: config.FILTER_MAX_TERMS };
  const capabilities: Capabilities = {
    patch: true,
    bulk: { supported: true, ...bulkLimits },
    filter: { supported: true, maxResults: config.MAX_PAGE_SIZE },
    filterLimits,
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: "index",
      defaultPageSize: config.DEFAULT_PAGE_SIZE,
      maxPageSize: config.MAX_PAGE_SIZE,
    },
    changePassword: true,
    sort: true,
    etag: true,
    authenticationSchemes: [oauthBearerToken],
    securityEvents: { asyncRequest: "none", eventUris: emittedEventUris(config.EVENTS_SET_MODE) },
  };

  const settings = {
    registryOf,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    patchReturn: (tenantId: string) => tenants.patchReturn(tenantId),
    defaultPageSize: config.DEFAULT_PAGE_SIZE,
    maxPageSize: config.MAX_PAGE_SIZE,
    filter: filterLimits,
    maxBodyBytes: config.MAX_BODY_BYTES,
  };
  const compat: CompatCore = {
    users: userService,
    groups: groupService,
    unitOfWork,
    tokens,
    keys,
    tenants,
    registry,
    logger,
    settings,
  };
  // Issuing an API's credential enables the API for the tenant.
  const issueCompatCredential: CompatCredentialIssuer = async ({ surface, ...request }) => {
    await tenants.enableApi(request.tenantId, surface);
    const style = compatApiNamed(surface).credential;
    if (style.kind === "jwt") {
      const { token, id } = await tokens.issue({ ...request, surface });
      return { credential: token, id };
    }
    const key = await keys.issue({ ...request, surface });
    return { credential: style.format(key), id: key.id };
  };

  const subscriptions = new SqlSubscriptionStore(sql);
  const userAgent = `scim-server/${packageJson.version}`;
  // A thread of its own with its own connection (delivery-thread.ts), except on an in-memory
  // SQLite database, which no second connection can open.
  const delivery: Delivery =
    database.kind === "sqlite" && sqlitePath(config.DATABASE_URL) === ":memory:"
      ? new Dispatcher({
          store: subscriptions,
          formats: pushFormats(securityEvents),
          retentionDays: config.EVENTS_RETENTION_DAYS,
          leaseSeconds: config.EVENTS_LEASE_SECONDS,
          logger,
          userAgent,
        })
      : new DeliveryThread(
          {
            config: {
              DATABASE_URL: config.DATABASE_URL,
              LOG_LEVEL: config.LOG_LEVEL,
              LOG_FORMAT: config.LOG_FORMAT,
              EVENTS_RETENTION_DAYS: config.EVENTS_RETENTION_DAYS,
              EVENTS_LEASE_SECONDS: config.EVENTS_LEASE_SECONDS,
            },
            userAgent,
            issuer: securityEvents.issuer,
            signingKey: securityEvents.key.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
            setMode: securityEvents.mode,
          },
          logger,
        );

  const adminCredentials = new AdminCredentialService(new SqlAdminCredentialStore(sql), config.TOKEN_CACHE_SECONDS);
  const logStore = new SqlProvisioningLogStore(sql);
  const provisioningLog = new ProvisioningLogRecorder(logStore, {
    mode: config.PROVISIONING_LOG,
    retentionDays: config.PROVISIONING_LOG_RETENTION_DAYS,
    maxBytes: config.PROVISIONING_LOG_MAX_MB * 1024 * 1024,
    logger,
    writeElsewhere: (entries) => delivery.writeLog?.(entries),
  });

  const app = createApp({
    logger,
    metrics,
    provisioningLog: { recorder: provisioningLog, bodyBytes: config.PROVISIONING_LOG_BODY_BYTES },
    admin: {
      adminCredentials,
      tenants,
      credentials,
      issueCredential: async ({ surface, ...request }) => {
        if (surface !== "scim") return issueCompatCredential({ ...request, surface: surface as CompatApiName });
        const { token, id } = await tokens.issue(request);
        return { credential: token, id };
      },
      revokeCredential: async (id) => (await tokens.revoke(id)) || (await keys.revoke(id)),
      users,
      groups,
      settings,
      // What this process has gathered is written before the log is read, so that an entry
      // shows as soon as its request is answered.
      log: {
        list: async (tenantId, query) => (await provisioningLog.flush(), logStore.list(tenantId, query)),
        get: async (tenantId, id) => (await provisioningLog.flush(), logStore.get(tenantId, id)),
        activity: async (tenantId, since, bucket) => (await provisioningLog.flush(), logStore.activity(tenantId, since, bucket)),
      },
      subscriptions,
      retryForSeconds: config.EVENTS_RETRY_FOR_SECONDS,
      logger,
    },
    changed: () => delivery.wake(),
    readiness: () => database.readiness(),
    scim: {
      tokens,
      registry,
      capabilities,
      users,
      groups,
      bulk,
      bulkLimits,
      settings,
    },
    events: { tokens, log: eventLog, poll, signingKeys: [securityEvents.key], maxBodyBytes: config.MAX_BODY_BYTES },
    compat: compatApis.map((api) => ({ name: api.name, router: api.router(compat), openapi: api.openapi })),
  });

  return {
    app,
    database,
    tokens,
    keys,
    issueCompatCredential,
    tenants,
    extensions,
    tenantSchemas,
    credentials,
    logger,
    metrics,
    served: serving,
    securityEvents,
    subscriptions,
    delivery,
    adminCredentials,
    provisioningLog,
    // The log's last entries are written (on the delivery thread) before the thread stops.
    close: async () => {
      await provisioningLog.stop();
      await delivery.stop();
      await database.close();
    },
  };
}

// The core's services over one Sql: the server's, or the transaction of a unit of work, whose
// statements must all go through its own Sql (store/unit-of-work.ts); so the tenant settings and
// extensions the services read are read through it too.
export function coreServicesOver(sql: Sql, { schemas, views }: Served): CoreServices {
  // Enabling an API gives the tenant's existing users and groups its product ids, in the same
  // transaction; resources created afterwards get theirs when created (UserService.create).
  const tenants = new SqlTenantStore(sql, async (tx, tenantId, apis) => {
    const urns = extensionsWith(apis);
    const assign = (resource: ServerSchemas["users"]) => (attributes: Attributes, allocate: Allocate) => withAssignedValues(attributes, resource, allocate, urns);
    await completeResources(tx, tenantId, "User", assign(schemas.users), indexedAttributesOf(schemas.users.extensions));
    await completeResources(tx, tenantId, "Group", assign(schemas.groups), indexedAttributesOf(schemas.groups.extensions));
  });
  // A tenant's schemas: the compat APIs' extensions it enabled and the schemas defined for it.
  const extensions: ExtensionReader = {
    extensionsOf: async (tenantId, fresh) => {
      const [apis, custom] = await Promise.all([tenants.compatApis(tenantId, fresh), tenants.schemas(tenantId)]);
      let has = visibility.get(apis);
      if (has === undefined) {
        has = visibleWith(apis);
        visibility.set(apis, has);
      }
      return { stamp: apis.join(","), view: views(has, custom) };
    },
  };
  const sequences = new SqlSequenceStore(sql);
  return {
    tenants,
    extensions,
    sequences,
    users: new UserService(new SqlUserStore(sql), { hash: hashPassword, verify: verifyPassword }, sequences, tenants, extensions),
    groups: new GroupService(new SqlGroupStore(sql), sequences, tenants, extensions),
  };
}

export interface CoreServices extends UnitServices {
  readonly tenants: SqlTenantStore;
  readonly extensions: ExtensionReader;
  readonly sequences: SqlSequenceStore;
}

// How often a waiting RFC 8936 poll looks for a new event.
const pollCheckMs = 200;

const visibility = new WeakMap<readonly string[], (urn: string) => boolean>();

function attributeOf(registry: SchemaRegistry, schemaUrn: string, name: string) {
  const attribute = registry.schemaById(schemaUrn)?.attributes.find((candidate) => candidate.name === name);
  if (!attribute) throw new Error(`${schemaUrn} has no attribute ${name}`);
  return attribute;
}
