import type { RequestHandler } from "express";
import { ScimError } from "../scim/errors.ts";
import type { Versioned } from "../scim/ports.ts";
import { includesAttribute, project, readProjection } from "../scim/projection.ts";
import { readListQuery } from "../scim/query.ts";
import { listResponse, type ScimResource } from "../scim/render.ts";
import { readSearchRequest } from "../scim/search.ts";
import { contextOf } from "./request.ts";
import type { HandlerSettings, ResourceEndpoint } from "./resources.ts";
import { sendScim } from "./respond.ts";

// RFC 7644 §3.4.3: POST /.search at the root searches every resource type. Results are the
// matches of each type in turn (Users, then Groups), each type in the requested order, and
// totalResults and paging span them. A comparison on an attribute one type lacks is false for that
// type (the rest of the filter still counts: `displayName sw "Eng" or userName sw "bj"` finds
// both); meta.resourceType is decided per type. A path no type has is an invalid filter.
export function rootSearch(endpoints: readonly ResourceEndpoint<Versioned>[], settings: HandlerSettings): RequestHandler {
  return async (req, res) => {
    const context = contextOf(req, res, settings.publicBaseUrl);
    const registry = await settings.registryOf(context.tenantId);
    const request = readSearchRequest(req.body);
    if (request.cursor !== undefined) throw ScimError.invalidValue("Cursor pagination is not offered for searches across resource types");
    const unknownTo = endpoints.map(() => new Set<string>());
    const searches = endpoints.map((endpoint, index) => ({
      endpoint,
      query: readListQuery(request, endpoint.resourceType, registry, settings, { unknown: unknownTo[index] }),
    }));
    const unknownToAll = [...(unknownTo[0] ?? [])].filter((path) => unknownTo.every((unknown) => unknown.has(path)));
    if (unknownToAll.length > 0) throw ScimError.invalidFilter(`unknown attribute "${unknownToAll[0]}" for every resource type`);

    const first = searches[0]?.query as { startIndex: number; count: number };
    let skip = first.startIndex - 1;
    let remaining = first.count;
    let totalResults = 0;
    const resources: ScimResource[] = [];
    for (const { endpoint, query } of searches) {
      const projection = readProjection(registry, endpoint.resourceType, request.attributes, request.excludedAttributes);
      const total = (await endpoint.list(context, { ...query, startIndex: 1, count: 0 }, false)).totalResults;
      totalResults += total;
      if (remaining > 0 && skip < total) {
        const page = await endpoint.list(
          context,
          { ...query, startIndex: skip + 1, count: remaining },
          includesAttribute(projection, endpoint.relation),
        );
        for (const resource of page.resources) {
          resources.push(project(endpoint.render(context, resource), projection, registry, endpoint.resourceType));
        }
        remaining -= page.resources.length;
      }
      skip = Math.max(0, skip - total);
    }
    sendScim(res, 200, listResponse(resources, totalResults, { startIndex: first.startIndex }));
  };
}
