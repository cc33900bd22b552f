import type { Request, RequestHandler, Response } from "express";
import type { Principal } from "../../auth/tokens.ts";
import { ScimError } from "../../scim/errors.ts";
import type { CompatCore } from "../core.ts";
import { rememberPrincipal } from "../../http/principal.ts";

// Express Gateway's key-auth policy (docs/compat/express-gateway.md §2.2, §2.3):
// `Authorization: apiKey <keyId>:<keySecret>` (scheme compared case-insensitively, the key is the
// header's last space-separated part), else the query parameter `apiKey`. The key must be one
// issued for this API; a read-only key may only read.

export const surface = "express-gateway";

function apiKeyOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const parts = header.split(" ");
    if (parts[0]?.toLowerCase() === "apikey" && parts.length > 1) return parts[parts.length - 1] || undefined;
  }
  const query = (req.query as Record<string, unknown>).apiKey;
  return typeof query === "string" && query !== "" ? query : undefined;
}

export function apiKeyAuth(core: CompatCore): RequestHandler {
  return async (req, res, next) => {
    const key = apiKeyOf(req);
    const separator = key?.indexOf(":") ?? -1;
    if (key === undefined || separator <= 0) throw ScimError.unauthorized("Missing API Key");
    const principal = await core.keys.verify(key.slice(0, separator), key.slice(separator + 1), surface);
    rememberPrincipal(res, principal);
    const writes = req.method !== "GET" && req.method !== "HEAD";
    if (writes ? !principal.scopes.includes("scim:write") : !principal.scopes.some((scope) => scope === "scim:read" || scope === "scim:write")) {
      throw ScimError.forbidden("The key's scopes do not allow this request");
    }
    next();
  };
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
