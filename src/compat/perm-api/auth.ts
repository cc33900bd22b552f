import type { RequestHandler, Response } from "express";
import type { Principal } from "../../auth/tokens.ts";
import { ScimError } from "../../scim/errors.ts";
import type { CompatCore } from "../core.ts";
import { detailMessages } from "./contract.ts";
import { rememberPrincipal } from "../../http/principal.ts";

// docs/compat/perm-api.md §2.2, §2.3: `Authorization: Bearer <token>`, read as DRF's
// TokenAuthentication reads its header, the token being a JWT issued for this API and bound to a
// tenant. Writes need the scim:write scope; without it DRF's permission error (403).

export const surface = "perm-api";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export function permApiAuth(core: CompatCore): RequestHandler {
  return async (req, res, next) => {
    const parts = (req.headers.authorization ?? "").trim().split(/\s+/).filter((part) => part !== "");
    if (parts.length === 0 || parts[0]?.toLowerCase() !== "bearer") throw ScimError.unauthorized(detailMessages.notAuthenticated);
    if (parts.length === 1) throw ScimError.unauthorized(detailMessages.noCredentials);
    if (parts.length > 2) throw ScimError.unauthorized(detailMessages.tokenWithSpaces);
    const principal = await core.tokens.verify(parts[1] as string, surface);
    rememberPrincipal(res, principal);
    if (!safeMethods.has(req.method) && !principal.scopes.includes("scim:write")) throw ScimError.forbidden(detailMessages.permissionDenied);
    next();
  };
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
