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
// matches of each type in turn (Users, then Groups), each type in the requested order; a filter
// naming an attribute one type lacks matches nothing of that type.
export function rootSearch(endpoints: readonly ResourceEndpoint<Versioned>[], settings: HandlerSettings): RequestHandler {
  return async (req, res) => {
    const context = contextOf(req, res, settings.publicBaseUrl);
    const request = readSearchRequest(req.body);
    if (request.cursor !== undefined) throw ScimError.invalidValue("Cursor pagination is not offered for searches across resource types");
    const searches = endpoints.flatMap((endpoint) => {
      try {
        return [{ endpoint, query: readListQuery(request, endpoint.resourceType, settings.registry, settings) }];
      } catch (error) {
        if (error instanceof ScimError && error.scimType === "invalidFilter" && /unknown attribute/i.test(error.detail)) return [];
        throw error;
      }
    });
    if (searches.length === 0) throw ScimError.invalidFilter("The filter names attributes no resource type has");

    const first = searches[0]?.query as { startIndex: number; count: number };
    let skip = first.startIndex - 1;
    let remaining = first.count;
    let totalResults = 0;
    const resources: ScimResource[] = [];
    for (const { endpoint, query } of searches) {
      const projection = readProjection(settings.registry, endpoint.resourceType, request.attributes, request.excludedAttributes);
      const total = (await endpoint.list(context, { ...query, startIndex: 1, count: 0 }, false)).totalResults;
      totalResults += total;
      if (remaining > 0 && skip < total) {
        const page = await endpoint.list(
          context,
          { ...query, startIndex: skip + 1, count: remaining },
          includesAttribute(projection, endpoint.relation),
        );
        for (const resource of page.resources) {
          resources.push(project(endpoint.render(context, resource), projection, settings.registry, endpoint.resourceType));
        }
        remaining -= page.resources.length;
      }
      skip = Math.max(0, skip - total);
    }
    sendScim(res, 200, listResponse(resources, totalResults, { startIndex: first.startIndex }));
  };
}
