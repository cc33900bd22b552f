import type { RequestHandler, Response } from "express";
import { keyIdLength } from "../../auth/api-keys.ts";
import type { Principal } from "../../auth/tokens.ts";
import type { RequestContext } from "../../scim/context.ts";
import { ScimError } from "../../scim/errors.ts";
import { compatContext, type CompatCore } from "../core.ts";
import type { Organisation } from "./translate.ts";
import { rememberPrincipal } from "../../http/principal.ts";

// docs/compat/vyte.md §2: `Authorization: <apiKey>`, the organisation's key with no scheme;
// `Bearer <key>` and `apiKey <key>` are accepted too. A key is `<16-hex id><secret>` issued for
// the "vyte" API; it names the tenant, which is the caller's Vyte organisation.

export const surface = "vyte";

export interface VyteCaller {
  readonly principal: Principal;
  readonly organisation: Organisation;
  readonly context: RequestContext;
}

function keyOf(header: string | undefined): string | undefined {
  const match = /^\s*(?:(?:bearer|apikey)\s+)?(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

export function vyteAuth(core: CompatCore): RequestHandler {
  return async (req, res, next) => {
    const key = keyOf(req.headers.authorization);
    if (key === undefined) throw ScimError.unauthorized("An API key is required in the Authorization header");
    if (key.length <= keyIdLength) throw ScimError.unauthorized("The API key is not valid");
    const principal = await core.keys.verify(key.slice(0, keyIdLength), key.slice(keyIdLength), surface);
    rememberPrincipal(res, principal);
    const reads = req.method === "GET" || req.method === "HEAD";
    if (!reads && !principal.scopes.includes("scim:write")) throw ScimError.forbidden("This API key cannot make changes");
    const tenant = await core.tenants.byId(principal.tenantId);
    if (!tenant) throw ScimError.unauthorized("The API key's organisation no longer exists");
    const caller: VyteCaller = {
      principal,
      organisation: { id: tenant.id, name: tenant.name },
      context: compatContext(req, tenant.id, core.settings),
    };
    res.locals.vyteCaller = caller;
    next();
  };
}

export function callerOf(res: Response): VyteCaller {
  return res.locals.vyteCaller as VyteCaller;
}

// §2.3: a body's `organization`, when given, must be the caller's (another organisation -> 403);
// omitted, it is the key's. Vyte's own scripts send their organisation's id, which no tenant here
// has, so a script author drops it or uses the id `npm run token -- --api vyte` prints.
export function assertOrganization(given: string | undefined, organisation: Organisation): void {
  if (given !== undefined && given !== organisation.id) throw ScimError.forbidden("organization is not the organisation of this API key");
}
