import { Router, type ErrorRequestHandler, type RequestHandler } from "express";
import type { TokenService } from "../auth/tokens.ts";
import { readPollRequest, type PollService } from "../events/poll.ts";
import { eventPage, type EventLog } from "../events/pull.ts";
import { jwkSet, type SigningKey } from "../events/signing-key.ts";
import { bearerAuth, principalOf } from "./auth.ts";
import { asScimError, methodNotAllowed } from "./errors.ts";
import { scimJsonBody } from "./json-body.ts";
import { stringParam } from "./request.ts";

// The events API (docs/events-api.md): a tenant's change events read a page at a time, RFC 8936
// polling of security event tokens, and the public keys that verify them. Reading and polling
// take a tenant's bearer token with scim:read; the keys are public.

export interface EventsRouterDeps {
  readonly tokens: TokenService;
  readonly log: EventLog;
  readonly poll: PollService;
  // The keys SETs are signed with, published for receivers.
  readonly signingKeys: readonly SigningKey[];
  readonly maxBodyBytes: number;
}

// The route table.
export function eventsRouter(deps: EventsRouterDeps): Router {
  const router = Router();
  const auth = bearerAuth(deps.tokens, () => false);
  router.route("/").get(auth, list(deps.log)).all(methodNotAllowed("GET"));
  router.route("/poll").post(auth, scimJsonBody(deps.maxBodyBytes), poll(deps.poll), pollErrors).all(methodNotAllowed("POST"));
  router.route("/jwks.json").get(jwks(deps.signingKeys)).all(methodNotAllowed("GET"));
  return router;
}

// GET /events?after=<cursor>&limit=<n>&types=<type,...>
function list(log: EventLog): RequestHandler {
  return async (req, res) => {
    const principal = principalOf(res);
    const page = await eventPage(log, { id: principal.tenantId, name: principal.tenantName }, {
      after: stringParam(req.query, "after"),
      limit: stringParam(req.query, "limit"),
      types: stringParam(req.query, "types"),
    });
    res.status(200).type("application/json").send(page);
  };
}

// RFC 8936 §2: POST /events/poll?subscription=<id>, the id left out when the tenant has one poll
// subscription only.
function poll(service: PollService): RequestHandler {
  return async (req, res) => {
    const principal = principalOf(res);
    const request = readPollRequest(req.body);
    const subscription = await service.subscription(principal.tenantId, stringParam(req.query, "subscription"));
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    res.status(200).json(await service.poll(subscription, principal.tenantName, request, gone.signal));
  };
}

// RFC 8936 §2.4 refers to RFC 8935 §2.3: a poll that cannot be served is answered with an error
// object, {"err": <an RFC 8935 §2.4 code>, "description": ...}.
const pollErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const refused = asScimError(error);
  if (refused.status >= 500) return next(error);
  if (refused.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="scim"');
  const err = refused.status === 401 ? "authentication_failed" : refused.status === 403 ? "access_denied" : "invalid_request";
  res.status(refused.status).json({ err, description: refused.detail });
};

// RFC 7517 §5: GET /events/jwks.json.
function jwks(keys: readonly SigningKey[]): RequestHandler {
  const body = JSON.stringify(jwkSet(keys));
  return (_req, res) => {
    res.status(200).set("Cache-Control", "public, max-age=300").type("application/json").send(body);
  };
}
