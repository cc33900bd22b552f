import type { RequestHandler } from "express";
import type { Scope } from "../../auth/ports.ts";
import { ScimError } from "../../scim/errors.ts";
import { compatContext, type CompatCore } from "../core.ts";
import { nameFormatOf } from "./auth.ts";
import { decodeLogin, type LoginResponse } from "./contract.ts";
import { Directory } from "./directory.ts";
import { bytebaseUser, uidOf } from "./translate.ts";
import { loginRoleOption } from "./options.ts";

// POST /v1/auth/login (docs/compat/bytebase.md §5.1): email and password (a service account's
// password is its service key) against the users of every tenant; the token acts for the user.
//
// A login token's scopes: scim:read and scim:write, i.e. the signed-in user is a workspace admin
// (what the example scripts do: sign in, then create users and groups). With the tenant option
// bytebase.loginRole=member, scim:read only: the user reads, updates itself, and updates or
// deletes the groups it OWNs.

// Bytebase's token lifetimes: a week for the web console, an hour for API clients.
const webTokenSeconds = 7 * 24 * 3600;
const apiTokenSeconds = 3600;

export function login(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const request = decodeLogin(req.body);
    const found = await core.users.authenticate(undefined, request.email, request.password);
    if (!found) throw ScimError.unauthorized("The email or password is not valid.");
    if (found.user.attributes.active === false) throw ScimError.unauthorized("user has been deactivated by administrators");
    const context = compatContext(req, found.tenantId, core.settings);
    const user = found.user;
    const role = await core.tenants.option(found.tenantId, loginRoleOption);
    const scopes: Scope[] = role === "member" ? ["scim:read"] : ["scim:read", "scim:write"];
    const ttlSeconds = request.web ? webTokenSeconds : apiTokenSeconds;
    const { token } = await core.tokens.issue({ tenantId: found.tenantId, scopes, subject: user.id, surface: "bytebase", ttlSeconds });
    if (request.web) {
      const expires = new Date(Date.now() + ttlSeconds * 1000);
      res.cookie("access-token", token, { path: "/", expires, httpOnly: true, sameSite: "strict" });
      res.cookie("user", String(uidOf(user) ?? user.id), { path: "/", expires, sameSite: "strict" });
    }
    const body: LoginResponse = { token, requireResetPassword: false, user: bytebaseUser(user, { nameFormat: await nameFormatOf(core, found.tenantId) }) };
    res.json(body);
  };
}
