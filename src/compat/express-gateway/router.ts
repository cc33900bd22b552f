import { Router, type Request, type Response } from "express";
import { storableRequest } from "../../http/storable-text.ts";
import type { RequestContext } from "../../scim/context.ts";
import { ScimError } from "../../scim/errors.ts";
import type { StoredUser } from "../../scim/ports.ts";
import { lenientJsonBody } from "../body.ts";
import { compatContext, type CompatCore } from "../core.ts";
import { apiKeyAuth, principalOf } from "./auth.ts";
import { readCreateUser, readListQuery, readStatusRequest, readUpdateUser, type EgStatus, type EgUser, type EgUserList } from "./contract.ts";
import { expressGatewayErrorRenderer, expressGatewayRouteNotFound } from "./errors.ts";
import { requiredProperties } from "./options.ts";
import {
  activePatch, listQuery, nextKey, patchRequest, pickByUsernameOrId, statusChange, toEgUser, toPatchOperations, toScimUser,
  usernameOrIdQuery,
} from "./translate.ts";

// The Express Gateway Admin API's /users (docs/compat/express-gateway.md §4), mounted at
// /compat/express-gateway.
//
//   GET    /users                        §4.2 list (start/count offset, nextKey)
//   POST   /users                        §4.3 create -> 200
//   GET    /users/:idOrUsername          §4.4 read
//   PUT    /users/:idOrUsername          §4.5 merge update
//   DELETE /users/:idOrUsername          §4.6 delete -> 204
//   PUT    /users/:idOrUsername/status   §4.7 activate / deactivate (DELETE too)
export function createExpressGatewayRouter(core: CompatCore): Router {
  const router = Router();
  router.use(storableRequest());
  const contextOf = (req: Request, res: Response): RequestContext => compatContext(req, principalOf(res).tenantId, core.settings);

  // §3.3 findByUsernameOrId; `missing` is the route's not-found wording.
  const findUser = async (context: RequestContext, param: string, missing: string): Promise<StoredUser> => {
    const page = await core.users.list(context, usernameOrIdQuery(param), false);
    const user = pickByUsernameOrId(page.resources, param);
    if (!user) throw ScimError.notFound(`${missing}: ${param}`);
    return user;
  };

  const setStatus = async (req: Request<{ idOrUsername: string }>, res: Response) => {
    const context = contextOf(req, res);
    const user = await findUser(context, req.params.idOrUsername, "user not found");
    const change = statusChange(user.attributes.active !== false, readStatusRequest(req.body).status);
    if (change.active !== undefined) await core.users.patch(context, user.id, activePatch(change.active), {});
    res.json(change.response satisfies EgStatus);
  };

  router.use(apiKeyAuth(core));
  router.use(lenientJsonBody(core.settings.maxBodyBytes));

  router.get("/users", async (req, res) => {
    const request = readListQuery(req.query);
    const page = await core.users.list(contextOf(req, res), listQuery(request, core.settings.maxPageSize), false);
    const body: EgUserList = { users: page.resources.map(toEgUser), nextKey: nextKey(request, page.resources.length, page.totalResults) };
    res.json(body);
  });

  router.post("/users", async (req, res) => {
    const context = contextOf(req, res);
    const request = readCreateUser(req.body, await requiredProperties(core, context.tenantId));
    const user = await core.users.create(context, toScimUser(request));
    res.json(toEgUser(user) satisfies EgUser);
  });

  router.get("/users/:idOrUsername", async (req, res) => {
    const user = await findUser(contextOf(req, res), req.params.idOrUsername, "User not found");
    res.json(toEgUser(user));
  });

  router.put("/users/:idOrUsername", async (req, res) => {
    const context = contextOf(req, res);
    const user = await findUser(context, req.params.idOrUsername, "User not found");
    const operations = toPatchOperations(readUpdateUser(req.body), user);
    const updated = operations.length === 0 ? user : await core.users.patch(context, user.id, patchRequest(operations), {});
    res.json(toEgUser(updated));
  });

  router.delete("/users/:idOrUsername", async (req, res) => {
    const context = contextOf(req, res);
    const user = await findUser(context, req.params.idOrUsername, "User not found");
    await core.users.remove(context, user.id, {});
    res.status(204).end();
  });

  router.put("/users/:idOrUsername/status", setStatus);
  router.delete("/users/:idOrUsername/status", setStatus);

  router.use(expressGatewayRouteNotFound);
  router.use(expressGatewayErrorRenderer(core));
  return router;
}
