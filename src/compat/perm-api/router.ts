import { Router, type Request, type RequestHandler, type Response } from "express";
import { storableRequest } from "../../http/storable-text.ts";
import { z } from "zod";
import { lenientJsonBody } from "../body.ts";
import { atomically, compatContext, type CompatCore } from "../core.ts";
import { everyPage } from "../pages.ts";
import { permApiAuth, principalOf } from "./auth.ts";
import { knownRoleIds, roleIdsField, userCreateRequest, userUpdateRequest, type RoleIdInput } from "./contract.ts";
import { methodNotAllowed, permApiErrorRenderer, routeNotFound } from "./errors.ts";
import { RoleCatalogue } from "./roles.ts";
import { deactivation, membershipChanges, scimUserOf, userOf, userPatchOf } from "./translate.ts";

// The "/api/v2/user" + permission-groups API (docs/compat/perm-api.md §4), mounted at
// /compat/perm-api. Paths are served with or without a trailing slash, as DRF routers allow.
//
//   GET    /api/v2/user          §4.3  every user
//   POST   /api/v2/user          §4.2  create a user with its roles                -> 201
//   GET    /api/v2/user/<id>     §4.4  one user
//   PATCH  /api/v2/user/<id>     §4.5  partial update; `groups` replaces the roles
//   DELETE /api/v2/user/<id>     §4.6  deactivate (is_active=false)                -> 204
//   GET    /api/v2/group         §4.7  every role, as a bare array
export function createPermApiRouter(core: CompatCore): Router {
  const router = Router({ strict: false });
  router.use(storableRequest());
  const auth = permApiAuth(core);
  const body = lenientJsonBody(core.settings.maxBodyBytes);

  // The caller's tenant, the core's request context and the tenant's roles.
  const scope = (req: Request, res: Response) => {
    const tenantId = principalOf(res).tenantId;
    const context = compatContext(req, tenantId, core.settings);
    return { tenantId, context, roles: new RoleCatalogue(core, context) };
  };

  const listUsers: RequestHandler = async (req, res) => {
    const { tenantId, context, roles } = scope(req, res);
    const users = await everyPage((query) => core.users.list(context, query, true), {}, core.settings.maxPageSize);
    const rolesByUser = await roles.ofUsers(users);
    res.json(users.map((user) => userOf(user, rolesByUser.get(user.id) ?? [], tenantId)));
  };

  const createUser: RequestHandler = async (req, res) => {
    const { tenantId, context, roles } = scope(req, res);
    const { request, roleGroupIds } = await readUserRequest(userCreateRequest, req.body, roles);
    // §5.3: the user and its memberships, together or not at all.
    const created = await atomically(core, async (unit) => {
      const user = await unit.users.create(context, scimUserOf(request));
      await new RoleCatalogue(unit, context).changeMemberships(user.id, { add: roleGroupIds ?? [], remove: [] });
      return user;
    });
    const user = await core.users.get(context, created.id, true);
    res.status(201).json(userOf(user, await roles.of(user), tenantId));
  };

  const getUser: RequestHandler<{ id: string }> = async (req, res) => {
    const { tenantId, context, roles } = scope(req, res);
    const user = await core.users.get(context, req.params.id, true);
    res.json(userOf(user, await roles.of(user), tenantId));
  };

  const updateUser: RequestHandler<{ id: string }> = async (req, res) => {
    const { tenantId, context, roles } = scope(req, res);
    const current = await core.users.get(context, req.params.id, true);
    const { request, roleGroupIds } = await readUserRequest(userUpdateRequest, req.body, roles);
    const currentGroupIds = (current.groups ?? []).map((group) => group.value);
    const changes = membershipChanges(currentGroupIds, roleGroupIds ?? currentGroupIds);
    const patch = userPatchOf(request, current.attributes);
    await atomically(core, async (unit) => {
      await new RoleCatalogue(unit, context).changeMemberships(current.id, changes);
      if (patch) await unit.users.patch(context, current.id, patch, {});
    });
    const user = await core.users.get(context, current.id, true);
    res.json(userOf(user, await roles.of(user), tenantId));
  };

  const deactivateUser: RequestHandler<{ id: string }> = async (req, res) => {
    const { context } = scope(req, res);
    await core.users.patch(context, req.params.id, deactivation, {});
    res.status(204).end();
  };

  const listRoles: RequestHandler = async (req, res) => {
    const { roles } = scope(req, res);
    res.json(await roles.all());
  };

  router
    .route("/api/v2/user")
    .all(auth)
    .get(listUsers)
    .post(body, createUser)
    .options(describe("User List", ["GET", "POST"]))
    .all(methodNotAllowed(["GET", "POST"]));
  router
    .route("/api/v2/user/:id")
    .all(auth)
    .get(getUser)
    .patch(body, updateUser)
    .delete(deactivateUser)
    .options(describe("User Instance", ["GET", "PATCH", "DELETE"]))
    .all(methodNotAllowed(["GET", "PATCH", "DELETE"]));
  router
    .route("/api/v2/group")
    .all(auth)
    .get(listRoles)
    .options(describe("Group List", ["GET"]))
    .all(methodNotAllowed(["GET"]));
  router.use(routeNotFound);
  router.use(permApiErrorRenderer(core.logger));
  return router;
}

// The request validated as DRF validates a serializer: every field's errors at once, the role
// ids checked against the tenant's roles too. Returns the groups of the roles asked for.
async function readUserRequest<T extends { groups?: RoleIdInput[] | undefined }>(
  schema: z.ZodType<T>,
  body: unknown,
  roles: RoleCatalogue,
): Promise<{ request: T; roleGroupIds?: string[] }> {
  const parsed = schema.safeParse(body);
  const given = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as { groups?: unknown }).groups : undefined;
  const roleIds = given === undefined ? undefined : roleIdsField.safeParse(given).data;
  const groups = roleIds ? await roles.groupsOfRoleIds(roleIds.map((role) => role.id)) : new Map();
  const known = roleIds ? knownRoleIds(new Set(groups.keys())).safeParse({ groups: roleIds }) : undefined;
  const issues = [...(parsed.error?.issues ?? []), ...(known?.error?.issues ?? [])];
  if (!parsed.success || issues.length > 0) throw new z.ZodError(issues);
  const roleGroupIds = roleIds?.map((role) => groups.get(role.id)?.id as string);
  return { request: parsed.data, ...(roleGroupIds ? { roleGroupIds } : {}) };
}

// DRF's answer to OPTIONS: the view's metadata, with the methods it allows.
function describe(name: string, allowed: readonly string[]): RequestHandler {
  return (_req, res) => {
    res.setHeader("Allow", [...allowed, "OPTIONS"].join(", "));
    res.json({ name, description: "", renders: ["application/json"], parses: ["application/json"] });
  };
}
