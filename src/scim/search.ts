import { z } from "zod";
import type { RequestContext } from "./context.ts";
import { ScimError } from "./errors.ts";
import type { ResourceOperations } from "./operations.ts";
import type { Versioned } from "./ports.ts";
import { includesAttribute, project, readProjection } from "./projection.ts";
import { readListQuery, type QueryLimits, type QueryParameters } from "./query.ts";
import { listResponse, type ScimResource } from "./render.ts";
import type { SchemaRegistry } from "./schema/registry.ts";

// RFC 7644 §3.4.3: the body of POST /.search. attributes and excludedAttributes are lists of
// attribute paths (a comma-separated string is accepted too).

const attributeList = z
  .union([z.array(z.string()), z.string()])
  .transform((value) => (Array.isArray(value) ? value.join(",") : value));

export const searchRequest = z.looseObject({
  schemas: z.array(z.string()).optional(),
  attributes: attributeList.optional(),
  excludedAttributes: attributeList.optional(),
  filter: z.string().optional(),
  sortBy: z.string().optional(),
  sortOrder: z.string().optional(),
  startIndex: z.number().int().optional(),
  count: z.number().int().optional(),
  cursor: z.string().optional(),
});

export interface SearchRequest extends QueryParameters {
  readonly attributes?: string | undefined;
  readonly excludedAttributes?: string | undefined;
}

export function readSearchRequest(body: unknown): SearchRequest {
  const parsed = searchRequest.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ScimError.invalidValue(`Invalid SearchRequest: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

// RFC 7644 §3.4.3: a search at the root covers every resource type. Results are the matches of
// each type in turn (Users, then Groups), each type in the requested order, and totalResults and
// paging span them. A comparison on an attribute one type lacks is false for that type (the rest
// of the filter still counts: `displayName sw "Eng" or userName sw "bj"` finds both);
// meta.resourceType is decided per type. A path no type has is an invalid filter.
export async function searchEveryType(
  types: readonly ResourceOperations<Versioned>[],
  context: RequestContext,
  request: SearchRequest,
  registry: SchemaRegistry,
  limits: QueryLimits,
): Promise<ScimResource> {
  if (request.cursor !== undefined) throw ScimError.invalidValue("Cursor pagination is not offered for searches across resource types");
  const unknownTo = types.map(() => new Set<string>());
  const searches = types.map((type, index) => ({
    type,
    query: readListQuery(request, type.resourceType, registry, limits, { unknown: unknownTo[index] }),
  }));
  const unknownToAll = [...(unknownTo[0] ?? [])].filter((path) => unknownTo.every((unknown) => unknown.has(path)));
  if (unknownToAll.length > 0) throw ScimError.invalidFilter(`unknown attribute "${unknownToAll[0]}" for every resource type`);

  const first = searches[0]?.query as { startIndex: number; count: number };
  let skip = first.startIndex - 1;
  let remaining = first.count;
  let totalResults = 0;
  const resources: ScimResource[] = [];
  for (const { type, query } of searches) {
    const projection = readProjection(registry, type.resourceType, request.attributes, request.excludedAttributes);
    const total = (await type.list(context, { ...query, startIndex: 1, count: 0 }, false)).totalResults;
    totalResults += total;
    if (remaining > 0 && skip < total) {
      const page = await type.list(context, { ...query, startIndex: skip + 1, count: remaining }, includesAttribute(projection, type.relation));
      for (const resource of page.resources) resources.push(project(type.render(context, resource), projection, registry, type.resourceType));
      remaining -= page.resources.length;
    }
    skip = Math.max(0, skip - total);
  }
  return listResponse(resources, totalResults, { startIndex: first.startIndex });
}
