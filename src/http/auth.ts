import type { Request, RequestHandler, Response } from "express";
import type { Principal, TokenService } from "../auth/tokens.ts";
import { ScimError } from "../scim/errors.ts";
import { rememberPrincipal } from "./principal.ts";

// RFC 7644 §2: every SCIM request carries a bearer token (RFC 6750). The tenant comes from it.
// `writes` says which requests change resources and so need scim:write; the events API changes
// none (reading and acknowledging events needs scim:read).
export function bearerAuth(tokens: TokenService, writes: (req: Request) => boolean = (req) => !isSafe(req.method, req.path)): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw ScimError.unauthorized("A bearer token is required");
    const principal = await tokens.verify(match[1] as string);
    if (writes(req) && !principal.scopes.includes("scim:write")) {
      throw ScimError.forbidden("The token does not allow changes (scope scim:write is required)");
    }
    if (!principal.scopes.includes("scim:read") && !principal.scopes.includes("scim:write")) {
      throw ScimError.forbidden("The token does not allow SCIM access");
    }
    rememberPrincipal(res, principal);
    next();
  };
}

// Reading with POST (/.search, RFC 7644 §3.4.3) needs only the read scope.
function isSafe(method: string, path: string): boolean {
  return method === "GET" || method === "HEAD" || (method === "POST" && path.endsWith("/.search"));
}

// The caller of a request that bearerAuth accepted.
export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
