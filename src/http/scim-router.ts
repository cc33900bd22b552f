import { Router } from "express";
import type { TokenService } from "../auth/tokens.ts";
import type { BulkLimits, BulkService } from "../scim/bulk.ts";
import type { StoredGroup, StoredUser, Versioned } from "../scim/ports.ts";
import type { Capabilities } from "../scim/schema/discovery.ts";
import type { SchemaRegistry } from "../scim/schema/registry.ts";
import { bearerAuth } from "./auth.ts";
import { bulkHandler } from "./bulk.ts";
import { meAlias } from "./me.ts";
import { discoveryHandlers } from "./discovery.ts";
import { methodNotAllowed, scimRouteNotFound } from "./errors.ts";
import { scimJsonBody } from "./json-body.ts";
import { storableRequest } from "./storable-text.ts";
import { rootSearch } from "./search.ts";
import { resourceHandlers, type HandlerSettings, type ResourceEndpoint } from "./resources.ts";

export interface ScimRouterDeps {
  readonly tokens: TokenService;
  // Every schema the server knows, for the API description; tenants see theirs (settings.registryOf).
  readonly registry: SchemaRegistry;
  readonly capabilities: Capabilities;
  readonly users: ResourceEndpoint<StoredUser>;
  readonly groups: ResourceEndpoint<StoredGroup>;
  readonly settings: HandlerSettings & { readonly maxBodyBytes: number };
  readonly bulk: BulkService;
  readonly bulkLimits: BulkLimits;
}

// The SCIM route table (RFC 7644 §3.2). Paths match case-insensitively: clients send /users.
export function scimRouter(deps: ScimRouterDeps): Router {
  const router = Router({ caseSensitive: false });
  const users = resourceHandlers(deps.users, deps.settings);
  const groups = resourceHandlers(deps.groups, deps.settings);
  const discovery = discoveryHandlers(deps.capabilities, deps.settings.publicBaseUrl, deps.settings.registryOf);
  const readOnly = methodNotAllowed("GET");

  router.use(storableRequest());
  router.use(bearerAuth(deps.tokens));
  // Bulk bodies have a limit of their own, advertised as bulk.maxPayloadSize.
  router.route("/Bulk").post(scimJsonBody(deps.bulkLimits.maxPayloadSize + 1), bulkHandler(deps.bulk, deps.settings.publicBaseUrl)).all(methodNotAllowed("POST"));
  router.use(scimJsonBody(deps.settings.maxBodyBytes));

  // One route per path, its methods in order; any other method is 405 with Allow.
  router.route("/Users").get(users.list).post(users.create).all(methodNotAllowed("GET, POST"));
  router.route("/Users/.search").post(users.search).all(methodNotAllowed("POST"));
  router.route("/Users/:id").get(users.get).put(users.replace).patch(users.patch).delete(users.remove).all(methodNotAllowed("GET, PUT, PATCH, DELETE"));
  router
    .route("/Me")
    .get(meAlias(users.get))
    .put(meAlias(users.replace))
    .patch(meAlias(users.patch))
    .delete(meAlias(users.remove))
    .all(methodNotAllowed("GET, PUT, PATCH, DELETE"));

  router.route("/Groups").get(groups.list).post(groups.create).all(methodNotAllowed("GET, POST"));
  router.route("/Groups/.search").post(groups.search).all(methodNotAllowed("POST"));
  router.route("/Groups/:id").get(groups.get).put(groups.replace).patch(groups.patch).delete(groups.remove).all(methodNotAllowed("GET, PUT, PATCH, DELETE"));

  router.route("/.search").post(rootSearch([deps.users, deps.groups] as ResourceEndpoint<Versioned>[], deps.settings)).all(methodNotAllowed("POST"));

  router.route(["/ServiceProviderConfig", "/serviceConfiguration"]).get(discovery.serviceProviderConfig).all(readOnly);
  router.route("/ResourceTypes").get(discovery.resourceTypes).all(readOnly);
  router.route("/ResourceTypes/:name").get(discovery.resourceType).all(readOnly);
  router.route("/Schemas").get(discovery.schemas).all(readOnly);
  router.route("/Schemas/:urn").get(discovery.schema).all(readOnly);

  router.use(scimRouteNotFound);
  return router;
}
