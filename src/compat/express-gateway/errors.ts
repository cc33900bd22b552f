import type { ErrorRequestHandler, RequestHandler } from "express";
import { asScimError } from "../../http/errors.ts";
import type { Principal } from "../../auth/tokens.ts";
import { ScimError } from "../../scim/errors.ts";
import type { CompatCore } from "../core.ts";
import { strictUpstreamStatus } from "./options.ts";

// Express Gateway's error bodies are plain text (docs/compat/express-gateway.md §5): res.send(message)
// in the routes, res.sendStatus(401/403) in key-auth, and 500 with the error's message from the
// admin app's error handler for everything passed to next(err) (validation included, §5.3).

export interface EgError {
  readonly status: number;
  readonly body: string;
}

// The one mapping from a ScimError to EG's status and text. `upstream` keeps upstream's 500 for
// the failures its error handler answers (the tenant option strictUpstreamStatus).
export function egErrorOf(error: ScimError, upstream: boolean): EgError {
  switch (error.status) {
    case 401:
      return { status: 401, body: "Unauthorized" };
    case 403:
      return { status: 403, body: "Forbidden" };
    case 404:
      return { status: 404, body: error.detail };
    case 409:
      return { status: 409, body: error.scimType === "uniqueness" ? "username already exists" : error.detail };
    case 500:
    case 501:
      return { status: 500, body: error.detail };
    default:
      return { status: upstream ? 500 : error.status, body: error.detail };
  }
}

export function expressGatewayErrorRenderer(core: CompatCore): ErrorRequestHandler {
  return async (error, _req, res, _next) => {
    const scimError = asScimError(error);
    if (scimError.status >= 500) core.logger.error({ err: error }, "unhandled error");
    const principal = res.locals.principal as Principal | undefined;
    const upstream = principal ? await strictUpstreamStatus(core, principal.tenantId).catch(() => false) : false;
    const { status, body } = egErrorOf(scimError, upstream);
    res.status(status).set("X-Content-Type-Options", "nosniff").type("text/plain; charset=utf-8").send(body);
  };
}

// Express's own answer to a path or method it has no route for.
export const expressGatewayRouteNotFound: RequestHandler = (req) => {
  throw ScimError.notFound(`Cannot ${req.method} ${req.path}`);
};
