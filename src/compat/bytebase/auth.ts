import type { Request, RequestHandler, Response } from "express";
import { ScimError } from "../../scim/errors.ts";
import type { RequestContext } from "../../scim/context.ts";
import { compatContext, type CompatCore } from "../core.ts";
import { userIdOf, type NameFormat } from "./translate.ts";
import { userNameFormatOption } from "./options.ts";
import { rememberPrincipal } from "../../http/principal.ts";

// Bytebase credentials (docs/compat/bytebase.md §2): `Authorization: Bearer <jwt>` (scheme in any
// case, exactly two parts) or the cookie `access-token=<jwt>`, a JWT issued for the "bytebase"
// surface, by `npm run token -- --api bytebase` or by POST /v1/auth/login.
//
// Permissions (§2.3) come from the token's scopes: scim:read reads, scim:write is the workspace
// admin (creates, updates, deactivates users; creates groups). A token that acts for a user (a
// login token) may also update that user, and update or delete the groups that user OWNs.

export interface Caller {
  readonly tenantId: string;
  readonly context: RequestContext;
  readonly scopes: readonly string[];
  // The SCIM id of the user the token acts for, if any.
  readonly userId?: string;
  // The tenant's bytebase.userNameFormat: how user names are written in responses.
  readonly nameFormat: NameFormat;
}

const accessTokenCookie = "access-token";

// backend/api/auth GetTokenFromHeaders: the Authorization header when present, else the cookie.
function tokenOf(req: Request): string {
  const header = req.get("authorization");
  if (header) {
    const parts = header.trim().split(/\s+/);
    if (parts.length !== 2 || parts[0]?.toLowerCase() !== "bearer") {
      throw ScimError.unauthorized("authorization header format must be Bearer {token}");
    }
    return parts[1] as string;
  }
  for (const cookie of (req.get("cookie") ?? "").split(";")) {
    const separator = cookie.indexOf("=");
    if (separator !== -1 && cookie.slice(0, separator).trim() === accessTokenCookie) {
      const token = cookie.slice(separator + 1).trim();
      if (token !== "") return token;
    }
  }
  throw ScimError.unauthorized("access token not found");
}

async function callerOf(core: CompatCore, req: Request, res: Response): Promise<Caller> {
  const token = tokenOf(req);
  const principal = await core.tokens.verify(token, "bytebase").catch((error: unknown) => {
    if (!(error instanceof ScimError) || error.status !== 401) throw error;
    throw ScimError.unauthorized(error.detail.includes("expired") ? "access token expired" : "failed to parse claim");
  });
  rememberPrincipal(res, principal);
  const context = compatContext(req, principal.tenantId, core.settings);
  if (principal.subject !== undefined) {
    // A token acting for a user stops working once the user is deactivated or gone.
    const user = await core.users.get(context, principal.subject, false).catch((error: unknown) => {
      if (error instanceof ScimError && error.status === 404) throw ScimError.unauthorized(`user ID ${JSON.stringify(principal.subject)} not exists in the access token`);
      throw error;
    });
    if (user.attributes.active === false) {
      throw ScimError.unauthorized(`user ID ${JSON.stringify(userIdOf(user))} has been deactivated by administrators`);
    }
  }
  const nameFormat = await nameFormatOf(core, principal.tenantId);
  return {
    tenantId: principal.tenantId,
    context,
    scopes: principal.scopes,
    ...(principal.subject === undefined ? {} : { userId: principal.subject }),
    nameFormat,
  };
}

// The tenant option bytebase.userNameFormat: "email" writes users/{email}, else users/{uid}.
export async function nameFormatOf(core: CompatCore, tenantId: string): Promise<NameFormat> {
  return (await core.tenants.option(tenantId, userNameFormatOption)) === "email" ? "email" : "uid";
}

// Authenticates the request; the handlers after it read the caller with `caller(res)`.
export function authenticate(core: CompatCore): RequestHandler {
  return async (req, res, next) => {
    res.locals.bytebaseCaller = await callerOf(core, req, res);
    next();
  };
}

export function caller(res: Response): Caller {
  const found = res.locals.bytebaseCaller as Caller | undefined;
  if (!found) throw ScimError.internal("the request was not authenticated");
  return found;
}

export type Permission =
  | "bb.users.list"
  | "bb.users.get"
  | "bb.users.create"
  | "bb.users.update"
  | "bb.users.delete"
  | "bb.users.undelete"
  | "bb.groups.list"
  | "bb.groups.get"
  | "bb.groups.create"
  | "bb.groups.update"
  | "bb.groups.delete";

const readPermissions: ReadonlySet<Permission> = new Set(["bb.users.list", "bb.users.get", "bb.groups.list", "bb.groups.get"]);

// 403 unless the caller's scopes grant the permission, or `allowed` (the caller acts for the
// user it updates, or OWNs the group it changes).
export function assertPermission(who: Caller, permission: Permission, allowed = false): void {
  const scope = readPermissions.has(permission) ? "scim:read" : "scim:write";
  if (allowed || who.scopes.includes(scope)) return;
  throw ScimError.forbidden(`user does not have permission ${JSON.stringify(permission)}`);
}
