import type { RequestHandler, Response } from "express";
import type { Principal } from "../../auth/tokens.ts";
import { ScimError } from "../../scim/errors.ts";
import type { CompatCore } from "../core.ts";
import { qaseScimOption } from "./options.ts";
import { rememberPrincipal } from "../../http/principal.ts";

// docs/compat/qase.md §2.2, §2.3: `Authorization: Bearer <SCIM API token>`, a JWT issued for the
// qase surface only (401 otherwise). 403 when the tenant has SCIM disabled (option
// qase.scim=disabled) or the token's scopes do not allow the request.
export function qaseAuth(core: CompatCore): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    if (!match) throw ScimError.unauthorized("A bearer token is required");
    const principal = await core.tokens.verify(match[1] as string, "qase");
    rememberPrincipal(res, principal);
    if ((await core.tenants.option(principal.tenantId, qaseScimOption)) === "disabled") {
      throw ScimError.forbidden("SCIM is disabled for this workspace");
    }
    const reads = req.method === "GET" || req.method === "HEAD";
    const allowed = principal.scopes.includes("scim:write") || (reads && principal.scopes.includes("scim:read"));
    if (!allowed) throw ScimError.forbidden(reads ? "The token does not allow SCIM access" : "The token does not allow changes");
    res.locals.qasePrincipal = principal;
    next();
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.qasePrincipal as Principal | undefined;
  if (!principal) throw ScimError.unauthorized("A bearer token is required");
  return principal;
}
