import type { Request, RequestHandler, Response } from "express";
import { queryParameters, stringParam } from "../../http/request.ts";
import type { RequestContext } from "../../scim/context.ts";
import { ScimError } from "../../scim/errors.ts";
import { readPatchRequest } from "../../scim/patch/operations.ts";
import type { StoredUser } from "../../scim/ports.ts";
import { project, readProjection, type Projection } from "../../scim/projection.ts";
import { readListQuery } from "../../scim/query.ts";
import { listResponse } from "../../scim/render.ts";
import { userResourceType } from "../../scim/schema/resource-types.ts";
import { compatContext, type CompatCore } from "../core.ts";
import { principalOf } from "./auth.ts";
import { qaseUserCreate, qaseUserReplace, readBody, sendQase } from "./contract.ts";
import {
  isOwner, qaseIdFilter, qaseSortBy, qaseUrn, toQaseUser, toScimPatch, toScimReplacement, toScimUser, withQaseIds,
} from "./translate.ts";

// Where app.ts mounts this router; meta.location and Location point under it.
const qaseMountPath = "/compat/qase";

// docs/compat/qase.md §4.2-§4.7: parse (contract) -> call the core -> translate -> respond.
export function qaseUserHandlers(core: CompatCore) {
  const contextOf = (req: Request, res: Response) => compatContext(req, principalOf(res).tenantId, core.settings);
  const projectionOf = (req: Request): Projection =>
    readProjection(core.registry, userResourceType, stringParam(req.query, "attributes"), stringParam(req.query, "excludedAttributes"));
  const present = (context: RequestContext, user: StoredUser, projection: Projection) =>
    project(toQaseUser(user, qaseBaseUrl(context)), projection, core.registry, userResourceType);

  // `{id}` is the user's Qase id (its qase numericId), never our SCIM id.
  const userById = async (context: RequestContext, id: string): Promise<StoredUser> => {
    const filter = qaseIdFilter(id);
    const user = filter && (await core.users.list(context, { startIndex: 1, count: 1, filter }, false)).resources[0];
    if (!user) throw ScimError.notFound(`User ${id} not found`);
    return user;
  };

  return {
    // §4.2: RFC 7644 §3.4.2 with Qase's `id` read as the numericId.
    list: (async (req, res) => {
      const context = contextOf(req, res);
      const projection = projectionOf(req);
      const parameters = queryParameters(req.query);
      const query = readListQuery(
        { ...parameters, cursor: undefined, sortBy: qaseSortBy(parameters.sortBy, core.registry) },
        userResourceType,
        core.registry,
        core.settings,
      );
      const page = await core.users.list(context, query.filter ? { ...query, filter: withQaseIds(query.filter) } : query, false);
      const resources = page.resources.map((user) => present(context, user, projection));
      sendQase(res, 200, listResponse(resources, page.totalResults, { startIndex: query.startIndex }));
    }) satisfies RequestHandler,

    // §4.3: one user by its Qase id.
    get: (async (req, res) => {
      const context = contextOf(req, res);
      const projection = projectionOf(req);
      sendQase(res, 200, present(context, await userById(context, String(req.params.id)), projection));
    }) satisfies RequestHandler,

    // §4.4: 201 with Location = meta.location. A duplicate userName is rendered as Qase's 400 (errors.ts).
    create: (async (req, res) => {
      const context = contextOf(req, res);
      const projection = projectionOf(req);
      const input = readBody(qaseUserCreate, req.body);
      const created = await core.users.create(context, toScimUser(input));
      sendQase(res, 201, present(context, created, projection), toQaseUser(created, qaseBaseUrl(context)).meta.location);
    }) satisfies RequestHandler,

    // §4.5: the Qase attributes replaced (see toScimReplacement); `id` and `meta` in the body are ignored.
    replace: (async (req, res) => {
      const context = contextOf(req, res);
      const projection = projectionOf(req);
      const replacement = toScimReplacement(readBody(qaseUserReplace, req.body));
      const user = await userById(context, String(req.params.id));
      sendQase(res, 200, present(context, await core.users.patch(context, user.id, replacement, {}), projection));
    }) satisfies RequestHandler,

    // §4.6: 200 with the updated user.
    patch: (async (req, res) => {
      const context = contextOf(req, res);
      const projection = projectionOf(req);
      const patch = toScimPatch(readPatchRequest(req.body), core.registry);
      const user = await userById(context, String(req.params.id));
      sendQase(res, 200, present(context, await core.users.patch(context, user.id, patch, {}), projection));
    }) satisfies RequestHandler,

    // §4.7: a SCIM delete, refused for the workspace owner. The version read is the version
    // deleted, so that a user made owner in between is not removed.
    remove: (async (req, res) => {
      const context = contextOf(req, res);
      const user = await userById(context, String(req.params.id));
      if (isOwner(user)) throw ScimError.conflict("The workspace owner cannot be deleted");
      await core.users.remove(context, user.id, { ifVersion: user.version });
      res.status(204).end();
    }) satisfies RequestHandler,
  };
}

// The Qase base URL (…/compat/qase/scim/v2) beside the core's SCIM base URL (…/scim/v2).
export function qaseBaseUrl(context: RequestContext): string {
  return `${context.baseUrl.replace(/\/scim\/v2$/, "")}${qaseMountPath}/scim/v2`;
}
