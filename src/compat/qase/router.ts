import { Router, type Request, type Response } from "express";
import { storableRequest } from "../../http/storable-text.ts";
import { scimJsonBody } from "../../http/json-body.ts";
import { compatContext, type CompatCore } from "../core.ts";
import { principalOf, qaseAuth } from "./auth.ts";
import { qaseBodyLimitBytes, sendQase } from "./contract.ts";
import { qaseResourceType, qaseResourceTypes, qaseSchema, qaseSchemas, qaseServiceProviderConfig } from "./discovery.ts";
import { qaseErrorRenderer, qaseMethodNotAllowed, qaseRouteNotFound } from "./errors.ts";
import { qaseBaseUrl, qaseUserHandlers } from "./users.ts";

// The Qase SCIM 2.0 profile (docs/compat/qase.md), mounted at /compat/qase: base URL
// /compat/qase/scim/v2 (§1.2). Groups are not served (§4.9): they are unknown routes, 404.
export function createQaseRouter(core: CompatCore): Router {
  const router = Router({ caseSensitive: false });
  router.use(storableRequest());
  const scim = scimRoutes(core);
  router.use("/scim/v2", scim);
  // §10.7: Qase's documented DELETE URL (…/scim/Users/1) lacks the /v2; answer it too.
  router.use("/scim", scim);
  router.use(qaseRouteNotFound);
  router.use(qaseErrorRenderer(core.logger));
  return router;
}

// The route table below /scim/v2.
function scimRoutes(core: CompatCore): Router {
  const router = Router({ caseSensitive: false });
  const users = qaseUserHandlers(core);
  const baseUrlOf = (req: Request, res: Response) =>
    qaseBaseUrl(compatContext(req, principalOf(res).tenantId, core.settings));
  const readOnly = qaseMethodNotAllowed("GET");

  router.use(qaseAuth(core));
  // §1.3: application/scim+json or application/json bodies (else 415), at most 800000 bytes (else 413).
  router.use(scimJsonBody(qaseBodyLimitBytes));

  router.get("/Users", users.list);
  router.post("/Users", users.create);
  router.all("/Users", qaseMethodNotAllowed("GET, POST"));
  router.get("/Users/:id", users.get);
  router.put("/Users/:id", users.replace);
  router.patch("/Users/:id", users.patch);
  router.delete("/Users/:id", users.remove);
  router.all("/Users/:id", qaseMethodNotAllowed("GET, PUT, PATCH, DELETE"));

  router.get("/ServiceProviderConfig", (req, res) => sendQase(res, 200, qaseServiceProviderConfig(baseUrlOf(req, res), core.settings)));
  router.get("/ResourceTypes", (req, res) => sendQase(res, 200, qaseResourceTypes(baseUrlOf(req, res))));
  router.get("/ResourceTypes/:name", (req, res) => sendQase(res, 200, qaseResourceType(baseUrlOf(req, res), String(req.params.name))));
  router.get("/Schemas", (req, res) => sendQase(res, 200, qaseSchemas(baseUrlOf(req, res))));
  router.get("/Schemas/:urn", (req, res) => sendQase(res, 200, qaseSchema(baseUrlOf(req, res), String(req.params.urn))));
  router.all(["/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/:name", "/Schemas", "/Schemas/:urn"], readOnly);

  router.use(qaseRouteNotFound);
  return router;
}
