import type { Request, RequestHandler, Response } from "express";
import type { RequestContext } from "../scim/context.ts";
import type { ResourceOperations } from "../scim/operations.ts";
import type { ListQuery, Page, Versioned, WriteCondition } from "../scim/ports.ts";
import { readListQuery, type QueryLimits, type QueryParameters } from "../scim/query.ts";
import { readSearchRequest } from "../scim/search.ts";
import { includesAttribute, project, readProjection, type Projection } from "../scim/projection.ts";
import { listResponse, type ScimResource } from "../scim/render.ts";
import type { SchemaRegistry } from "../scim/schema/registry.ts";
import type { AttributeDefinition, ResourceTypeDefinition } from "../scim/schema/types.ts";
import type { PatchReturn } from "../auth/ports.ts";
import type { TenantRegistry } from "./discovery.ts";
import { contextOf, isNotModified, preferredReturn, queryParameters, stringParam, writeCondition } from "./request.ts";
import { sendNoContent, sendNotModified, sendScim } from "./respond.ts";

// The operations of one resource endpoint (/Users, /Groups).
export type ResourceEndpoint<T extends Versioned> = ResourceOperations<T>;

export interface HandlerSettings extends QueryLimits {
  // The calling tenant's schemas, for filters, sorting and attribute projections.
  readonly registryOf: TenantRegistry;
  readonly publicBaseUrl: string | undefined;
  // RFC 7240: what a tenant's PATCH answers when the request states no preference.
  readonly patchReturn: (tenantId: string) => Promise<PatchReturn>;
}

export interface ResourceHandlers {
  list: RequestHandler;
  search: RequestHandler;
  create: RequestHandler;
  get: RequestHandler;
  replace: RequestHandler;
  patch: RequestHandler;
  remove: RequestHandler;
}

// Handlers are parse -> call -> respond (RFC 7644 §3.3 - §3.6).
export function resourceHandlers<T extends Versioned>(endpoint: ResourceEndpoint<T>, settings: HandlerSettings): ResourceHandlers {
  const projectionOf = (registry: SchemaRegistry, query: Record<string, unknown>): Projection =>
    readProjection(registry, endpoint.resourceType, stringParam(query as never, "attributes"), stringParam(query as never, "excludedAttributes"));
  const present = (context: RequestContext, registry: SchemaRegistry, resource: T, projection: Projection) =>
    project(endpoint.render(context, resource), projection, registry, endpoint.resourceType);
  const locationOf = (context: RequestContext, resource: T) => `${context.baseUrl}${endpoint.resourceType.endpoint}/${resource.id}`;
  const withRelation = (projection: Projection) => includesAttribute(projection, endpoint.relation);

  // The caller's context and its tenant's registry.
  const callerOf = async (req: Request, res: Response) => {
    const context = contextOf(req, res, settings.publicBaseUrl);
    return { context, registry: await settings.registryOf(context.tenantId) };
  };

  const respondWithList = async (req: Request, res: Response, parameters: QueryParameters, projectionIn: (registry: SchemaRegistry) => Projection) => {
    const { context, registry } = await callerOf(req, res);
    const projection = projectionIn(registry);
    const query = readListQuery(parameters, endpoint.resourceType, registry, settings);
    const result = await endpoint.list(context, query, withRelation(projection));
    const resources = result.resources.map((resource) => present(context, registry, resource, projection));
    const position = query.cursor === undefined ? { startIndex: query.startIndex } : { nextCursor: result.nextCursor };
    sendScim(res, 200, listResponse(resources, result.totalResults, position));
  };

  return {
    list: (req, res) => respondWithList(req, res, queryParameters(req.query), (registry) => projectionOf(registry, req.query)),
    // RFC 7644 §3.4.3
    search: (req, res) => {
      const request = readSearchRequest(req.body);
      return respondWithList(req, res, request, (registry) => readProjection(registry, endpoint.resourceType, request.attributes, request.excludedAttributes));
    },
    create: async (req, res) => {
      const { context, registry } = await callerOf(req, res);
      const projection = projectionOf(registry, req.query);
      const created = await endpoint.create(context, req.body);
      sendScim(res, 201, present(context, registry, created, projection), created, locationOf(context, created));
    },
    get: async (req, res) => {
      const { context, registry } = await callerOf(req, res);
      const projection = projectionOf(registry, req.query);
      const resource = await endpoint.get(context, String(req.params.id), withRelation(projection));
      if (isNotModified(req, resource.version)) return sendNotModified(res, resource);
      sendScim(res, 200, present(context, registry, resource, projection), resource);
    },
    replace: async (req, res) => {
      const { context, registry } = await callerOf(req, res);
      const projection = projectionOf(registry, req.query);
      const replaced = await endpoint.replace(context, String(req.params.id), req.body, writeCondition(req));
      sendScim(res, 200, present(context, registry, replaced, projection), replaced);
    },
    // RFC 7644 §3.5.2: 200 with the resource, or 204 when the client prefers return=minimal.
    patch: async (req, res) => {
      const { context, registry } = await callerOf(req, res);
      const projection = projectionOf(registry, req.query);
      const preference = preferredReturn(req) ?? (await settings.patchReturn(context.tenantId));
      const withBody = preference === "representation";
      const patched = await endpoint.patch(context, String(req.params.id), req.body, writeCondition(req), withBody && withRelation(projection));
      res.setHeader("Preference-Applied", `return=${preference}`);
      if (!withBody) return sendNoContent(res, patched);
      sendScim(res, 200, present(context, registry, patched, projection), patched);
    },
    remove: async (req, res) => {
      const context = contextOf(req, res, settings.publicBaseUrl);
      await endpoint.remove(context, String(req.params.id), writeCondition(req));
      sendNoContent(res);
    },
  };
}
