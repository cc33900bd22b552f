import { Router, type RequestHandler } from "express";
import { jwkSet, type SigningKey } from "../events/signing-key.ts";
import { methodNotAllowed } from "./errors.ts";

// The events API (docs/events-api.md): the public keys that verify security event tokens.

export interface EventsRouterDeps {
  // The keys SETs are signed with, published for receivers.
  readonly signingKeys: readonly SigningKey[];
}

// The route table.
export function eventsRouter(deps: EventsRouterDeps): Router {
  const router = Router();
  router.route("/jwks.json").get(jwks(deps.signingKeys)).all(methodNotAllowed("GET"));
  return router;
}

// RFC 7517 §5: GET /events/jwks.json.
function jwks(keys: readonly SigningKey[]): RequestHandler {
  const body = JSON.stringify(jwkSet(keys));
  return (_req, res) => {
    res.status(200).set("Cache-Control", "public, max-age=300").type("application/json").send(body);
  };
}
