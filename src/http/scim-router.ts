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
import { scimJsonBody } from "./request.ts";
import { rootSearch } from "./search.ts";
import { resourceHandlers, type HandlerSettings, type ResourceEndpoint } from "./resources.ts";

export interface ScimRouterDeps {
  readonly tokens: TokenService;
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
  const discovery = discoveryHandlers(deps.registry, deps.capabilities, deps.settings.publicBaseUrl);
  const readOnly = methodNotAllowed("GET");

  router.use(bearerAuth(deps.tokens));
  // Bulk bodies have a limit of their own, advertised as bulk.maxPayloadSize.
  router.post("/Bulk", scimJsonBody(deps.bulkLimits.maxPayloadSize + 1), bulkHandler(deps.bulk, deps.settings.publicBaseUrl));
  router.all("/Bulk", methodNotAllowed("POST"));
  router.use(scimJsonBody(deps.settings.maxBodyBytes));

  router.get("/Users", users.list);
  router.post("/Users/.search", users.search);
  router.all("/Users/.search", methodNotAllowed("POST"));
  router.post("/Users", users.create);
  router.get("/Users/:id", users.get);
  router.put("/Users/:id", users.replace);
  router.patch("/Users/:id", users.patch);
  router.delete("/Users/:id", users.remove);
  router.all("/Users/:id", methodNotAllowed("GET, PUT, PATCH, DELETE"));
  router.all("/Users", methodNotAllowed("GET, POST"));

  router.get("/Me", meAlias(users.get));
  router.put("/Me", meAlias(users.replace));
  router.patch("/Me", meAlias(users.patch));
  router.delete("/Me", meAlias(users.remove));
  router.all("/Me", methodNotAllowed("GET, PUT, PATCH, DELETE"));

  router.get("/Groups", groups.list);
  router.post("/Groups/.search", groups.search);
  router.all("/Groups/.search", methodNotAllowed("POST"));
  router.post("/Groups", groups.create);
  router.get("/Groups/:id", groups.get);
  router.put("/Groups/:id", groups.replace);
  router.patch("/Groups/:id", groups.patch);
  router.delete("/Groups/:id", groups.remove);
  router.all("/Groups/:id", methodNotAllowed("GET, PUT, PATCH, DELETE"));
  router.all("/Groups", methodNotAllowed("GET, POST"));

  router.post("/.search", rootSearch([deps.users, deps.groups] as ResourceEndpoint<Versioned>[], deps.settings));
  router.all("/.search", methodNotAllowed("POST"));

  router.get(["/ServiceProviderConfig", "/serviceConfiguration"], discovery.serviceProviderConfig);
  router.all(["/ServiceProviderConfig", "/serviceConfiguration"], readOnly);
  router.get("/ResourceTypes", discovery.resourceTypes);
  router.get("/ResourceTypes/:name", discovery.resourceType);
  router.all(["/ResourceTypes", "/ResourceTypes/:name"], readOnly);
  router.get("/Schemas", discovery.schemas);
  router.get("/Schemas/:urn", discovery.schema);
  router.all(["/Schemas", "/Schemas/:urn"], readOnly);

  router.use(scimRouteNotFound);
  return router;
}
