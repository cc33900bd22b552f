import type { Request, RequestHandler, Response } from "express";
import { ScimError } from "../scim/errors.ts";
import { listResponse } from "../scim/render.ts";
import type { SchemaRegistry } from "../scim/schema/registry.ts";
import {
  resourceTypeResource, schemaResource, serviceProviderConfig, type Capabilities,
} from "../scim/schema/discovery.ts";
import type { ResourceTypeDefinition } from "../scim/schema/types.ts";
import { baseUrlOf as requestBaseUrl, contextOf } from "./request.ts";
import { sendScim } from "./respond.ts";

// Which schema URNs a tenant's discovery shows.
export type VisibleSchemas = (tenantId: string) => Promise<(urn: string) => boolean>;

// RFC 7644 §4: the discovery endpoints. A tenant sees the schemas `visibleSchemas` lets it see
// (the extensions of the compat APIs it has enabled, no others).
export function discoveryHandlers(
  registry: SchemaRegistry,
  capabilities: Capabilities,
  publicBaseUrl: string | undefined,
  visibleSchemas: VisibleSchemas,
) {
  const baseUrlOf = (req: Request) => requestBaseUrl(req, publicBaseUrl);
  const visibleTo = (req: Request, res: Response) => visibleSchemas(contextOf(req, res, publicBaseUrl).tenantId);
  const narrowed = (resourceType: ResourceTypeDefinition, visible: (urn: string) => boolean): ResourceTypeDefinition => ({
    ...resourceType,
    schemaExtensions: resourceType.schemaExtensions.filter((extension) => visible(extension.schema)),
  });

  const handlers = {
    serviceProviderConfig: ((req, res) => {
      sendScim(res, 200, { ...serviceProviderConfig(baseUrlOf(req), capabilities) });
    }) satisfies RequestHandler,
    resourceTypes: (async (req, res) => {
      const visible = await visibleTo(req, res);
      const resources = registry.resourceTypes().map((rt) => ({ ...resourceTypeResource(narrowed(rt, visible), baseUrlOf(req)) }));
      sendScim(res, 200, listResponse(resources, resources.length, { startIndex: 1 }));
    }) satisfies RequestHandler,
    resourceType: (async (req, res) => {
      const resourceType = registry.resourceTypeByName(String(req.params.name));
      if (!resourceType) throw ScimError.notFound(`No resource type ${String(req.params.name)}`);
      sendScim(res, 200, { ...resourceTypeResource(narrowed(resourceType, await visibleTo(req, res)), baseUrlOf(req)) });
    }) satisfies RequestHandler,
    schemas: (async (req, res) => {
      const visible = await visibleTo(req, res);
      const resources = registry.allSchemas().filter((schema) => visible(schema.id)).map((schema) => ({ ...schemaResource(schema, baseUrlOf(req)) }));
      sendScim(res, 200, listResponse(resources, resources.length, { startIndex: 1 }));
    }) satisfies RequestHandler,
    schema: (async (req, res) => {
      const schema = registry.schemaById(String(req.params.urn));
      if (!schema || !(await visibleTo(req, res))(schema.id)) throw ScimError.notFound(`No schema ${String(req.params.urn)}`);
      sendScim(res, 200, { ...schemaResource(schema, baseUrlOf(req)) });
    }) satisfies RequestHandler,
  };
  return handlers;
}
