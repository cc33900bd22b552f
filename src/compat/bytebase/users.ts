import { randomBytes, randomInt } from "node:crypto";
import type { RequestHandler } from "express";
import { ScimError } from "../../scim/errors.ts";
import type { StoredUser } from "../../scim/ports.ts";
import type { CompatCore } from "../core.ts";
import { assertPermission, caller, type Caller } from "./auth.ts";
import { assertCreatableUser, decodeListQuery, decodeUpdateQuery, decodeUser, userMessage, type BytebaseUser, type UserInput } from "./contract.ts";
import { Directory } from "./directory.ts";
import { onUniqueness } from "./errors.ts";
import {
  bytebaseUser,
  nextPageTokenOf,
  activation,
  patchRequest,
  scimUserOfCreate,
  sliceOf,
  updateMask,
  userNameOf,
  userRefOf,
  userUpdate,
} from "./translate.ts";

// The User endpoints of Bytebase's AuthService (docs/compat/bytebase.md §5.2-§5.7). A user is
// never deleted here: DELETE deactivates (active=false), :undelete activates (§8.5).

const alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// A service account's key: "bbs_" and 20 random letters and digits. It is also the account's
// password, so that POST /v1/auth/login accepts it.
export function newServiceKey(): string {
  return `bbs_${Array.from({ length: 20 }, () => alphanumeric[randomInt(alphanumeric.length)]).join("")}`;
}

// CreateUser with an empty password: a random one nobody knows.
function randomPassword(): string {
  return randomBytes(24).toString("base64url");
}

function notFound(id: string): ScimError {
  return ScimError.notFound(`user ${id} not found`);
}

async function found(directory: Directory, id: string): Promise<StoredUser> {
  const user = await directory.user(userRefOf(id));
  if (!user) throw notFound(id);
  return user;
}

async function created(core: CompatCore, who: Caller, user: UserInput): Promise<BytebaseUser> {
  assertCreatableUser(user);
  const serviceKey = user.userType === "SERVICE_ACCOUNT" ? newServiceKey() : undefined;
  const password = serviceKey ?? (user.password === "" ? randomPassword() : user.password);
  const stored = await core.users
    .create(who.context, scimUserOfCreate(user, password))
    .catch(onUniqueness(`email ${user.email} is already existed`));
  return bytebaseUser(stored, { nameFormat: who.nameFormat, serviceKey });
}

// §5.2 GET /v1/users
export function listUsers(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    assertPermission(who, "bb.users.list");
    const query = decodeListQuery(req.query);
    if (query.filter !== "") throw ScimError.invalidValue(`invalid filter ${JSON.stringify(query.filter)}: filter is not supported`);
    const slice = sliceOf(query);
    const { items, totalResults } = await new Directory(core, who.context).users(query.showDeleted, slice);
    res.json({ users: items.map((user) => bytebaseUser(user, who)), nextPageToken: nextPageTokenOf(slice, items.length, totalResults) });
  };
}

// §5.3 GET /v1/users/{uid|email}: deactivated users too.
export function getUser(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    assertPermission(who, "bb.users.get");
    const directory = new Directory(core, who.context);
    const user = await found(directory, String(req.params.name));
    res.json(bytebaseUser(user, who));
  };
}

// §5.4 POST /v1/users: the body is the User itself.
export function createUser(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    assertPermission(who, "bb.users.create");
    res.json(await created(core, who, decodeUser(req.body)));
  };
}

// §5.5 PATCH /v1/users/{uid|email}?update_mask=&allow_missing=: a workspace admin, or the user
// itself. With allow_missing a missing user is created as CreateUser would (the path's email
// standing in for a body without one; §6.4).
export function updateUser(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    const id = String(req.params.name);
    const query = decodeUpdateQuery(req.query);
    const user = decodeUser(req.body);
    const mask = updateMask(req.body, userMessage, query.updateMask);
    const directory = new Directory(core, who.context);
    const current = await directory.user(userRefOf(id));
    if (!current) {
      if (!query.allowMissing) throw notFound(id);
      assertPermission(who, "bb.users.create");
      const ref = userRefOf(id);
      res.json(await created(core, who, user.email === "" && ref.kind === "email" ? { ...user, email: ref.email } : user));
      return;
    }
    assertPermission(who, "bb.users.update", who.userId === current.id);
    if (current.attributes.active === false) throw ScimError.notFound(`user ${JSON.stringify(userNameOf(current, who.nameFormat))} has been deleted`);
    const update = userUpdate(current, user, mask, newServiceKey);
    if (update.password !== undefined) {
      const same = await core.users.authenticate(who.tenantId, String(current.attributes.userName), update.password);
      if (same?.user.id === current.id) throw ScimError.invalidValue("password cannot be the same");
    }
    const updated =
      update.operations.length === 0
        ? current
        : await core.users
            .patch(who.context, current.id, patchRequest(update.operations), {})
            .catch(onUniqueness(`email ${update.email ?? ""} is already existed`));
    res.json(bytebaseUser(updated, { nameFormat: who.nameFormat, serviceKey: update.serviceKey }));
  };
}

// §5.6 DELETE /v1/users/{uid|email}: deactivates; a deactivated user is not found again.
export function deleteUser(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    assertPermission(who, "bb.users.delete");
    const directory = new Directory(core, who.context);
    const current = await found(directory, String(req.params.name));
    if (current.attributes.active === false) throw ScimError.notFound(`user ${JSON.stringify(userNameOf(current, who.nameFormat))} has been deleted`);
    await core.users.patch(who.context, current.id, activation(false), {});
    res.json({});
  };
}

// §5.7 POST /v1/users/{uid|email}:undelete: activates a deactivated user.
export function undeleteUser(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    assertPermission(who, "bb.users.undelete");
    const directory = new Directory(core, who.context);
    const current = await found(directory, String(req.params.name).replace(/:undelete$/, ""));
    if (current.attributes.active !== false) throw ScimError.invalidValue(`user ${JSON.stringify(userNameOf(current, who.nameFormat))} is already active`);
    const updated = await core.users.patch(who.context, current.id, activation(true), {});
    res.json(bytebaseUser(updated, who));
  };
}
