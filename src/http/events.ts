import { Router, type RequestHandler } from "express";
import type { TokenService } from "../auth/tokens.ts";
import { eventPage, type EventLog } from "../events/pull.ts";
import { jwkSet, type SigningKey } from "../events/signing-key.ts";
import { bearerAuth, principalOf } from "./auth.ts";
import { methodNotAllowed } from "./errors.ts";
import { stringParam } from "./request.ts";

// The events API (docs/events-api.md): a tenant's change events read a page at a time, and the
// public keys that verify security event tokens. Reading takes a tenant's bearer token with
// scim:read; the keys are public.

export interface EventsRouterDeps {
  readonly tokens: TokenService;
  readonly log: EventLog;
  // The keys SETs are signed with, published for receivers.
  readonly signingKeys: readonly SigningKey[];
}

// The route table.
export function eventsRouter(deps: EventsRouterDeps): Router {
  const router = Router();
  const auth = bearerAuth(deps.tokens, () => false);
  router.route("/").get(auth, list(deps.log)).all(methodNotAllowed("GET"));
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

// RFC 7517 §5: GET /events/jwks.json.
function jwks(keys: readonly SigningKey[]): RequestHandler {
  const body = JSON.stringify(jwkSet(keys));
  return (_req, res) => {
    res.status(200).set("Cache-Control", "public, max-age=300").type("application/json").send(body);
  };
}
