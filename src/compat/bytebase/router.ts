import { Router, type RequestHandler } from "express";
import { storableRequest } from "../../http/storable-text.ts";
import { lenientJsonBody } from "../body.ts";
import type { CompatCore } from "../core.ts";
import { authenticate } from "./auth.ts";
import { bytebaseErrorRenderer, bytebaseMethodNotAllowed, bytebaseRouteNotFound } from "./errors.ts";
import { createGroup, deleteGroup, getGroup, listGroups, updateGroup } from "./groups.ts";
import { login } from "./login.ts";
import { createUser, deleteUser, getUser, listUsers, undeleteUser, updateUser } from "./users.ts";

// Bytebase v1 REST (grpc-gateway) under /compat/bytebase (docs/compat/bytebase.md §1.2). Routing
// comes before authentication, as in grpc-gateway (§3.3): an unknown path is 404 and a known path
// with another method 501, whoever asks. Every success is 200.
export function createBytebaseRouter(core: CompatCore): Router {
  const router = Router();
  router.use(storableRequest());
  const body = lenientJsonBody(core.settings.maxBodyBytes);
  const authed = authenticate(core);

  router.route("/v1/auth/login").post(body, login(core)).all(bytebaseMethodNotAllowed);
  router.route("/v1/users").get(authed, listUsers(core)).post(body, authed, createUser(core)).all(bytebaseMethodNotAllowed);
  router
    .route("/v1/users/:name")
    .get(authed, getUser(core))
    .patch(body, authed, updateUser(core))
    .delete(authed, deleteUser(core))
    .post(customMethod("undelete"), body, authed, undeleteUser(core))
    .all(bytebaseMethodNotAllowed);
  router.route("/v1/groups").get(authed, listGroups(core)).post(body, authed, createGroup(core)).all(bytebaseMethodNotAllowed);
  router
    .route("/v1/groups/:name")
    .get(authed, getGroup(core))
    .patch(body, authed, updateGroup(core))
    .delete(authed, deleteGroup(core))
    .all(bytebaseMethodNotAllowed);

  router.use(bytebaseRouteNotFound);
  router.use(bytebaseErrorRenderer(core.logger));
  return router;
}

// AIP-136 custom methods (`POST /v1/users/111:undelete`): Express reads "111:undelete" as the
// name, so the route requires the suffix; a POST without it is a method the path lacks.
function customMethod(verb: string): RequestHandler {
  return (req, res, next) => {
    if (String(req.params.name).endsWith(`:${verb}`)) next();
    else bytebaseMethodNotAllowed(req, res, next);
  };
}
