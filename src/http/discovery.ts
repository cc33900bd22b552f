import type { Request, RequestHandler, Response } from "express";
import { ScimError } from "../scim/errors.ts";
import { listResponse } from "../scim/render.ts";
import type { SchemaRegistry } from "../scim/schema/registry.ts";
import {
  resourceTypeResource, schemaResource, serviceProviderConfig, type Capabilities,
} from "../scim/schema/discovery.ts";
import { baseUrlOf as requestBaseUrl, contextOf } from "./request.ts";
import { sendScim } from "./respond.ts";

// A tenant's schemas and resource types (scim/schema/view.ts): the RFC ones, the extensions of
// the compat APIs it enabled and the schemas its operator defined.
export type TenantRegistry = (tenantId: string) => Promise<SchemaRegistry>;

// RFC 7644 §4: the discovery endpoints, as the calling tenant's registry has them.
export function discoveryHandlers(capabilities: Capabilities, publicBaseUrl: string | undefined, registryOf: TenantRegistry) {
  const baseUrlOf = (req: Request) => requestBaseUrl(req, publicBaseUrl);
  const registryFor = (req: Request, res: Response) => registryOf(contextOf(req, res, publicBaseUrl).tenantId);

  const handlers = {
    serviceProviderConfig: ((req, res) => {
      sendScim(res, 200, { ...serviceProviderConfig(baseUrlOf(req), capabilities) });
    }) satisfies RequestHandler,
    resourceTypes: (async (req, res) => {
      const registry = await registryFor(req, res);
      const resources = registry.resourceTypes().map((rt) => ({ ...resourceTypeResource(rt, baseUrlOf(req)) }));
      sendScim(res, 200, listResponse(resources, resources.length, { startIndex: 1 }));
    }) satisfies RequestHandler,
    resourceType: (async (req, res) => {
      const resourceType = (await registryFor(req, res)).resourceTypeByName(String(req.params.name));
      if (!resourceType) throw ScimError.notFound(`No resource type ${String(req.params.name)}`);
      sendScim(res, 200, { ...resourceTypeResource(resourceType, baseUrlOf(req)) });
    }) satisfies RequestHandler,
    schemas: (async (req, res) => {
      const registry = await registryFor(req, res);
      const resources = registry.allSchemas().map((schema) => ({ ...schemaResource(schema, baseUrlOf(req)) }));
      sendScim(res, 200, listResponse(resources, resources.length, { startIndex: 1 }));
    }) satisfies RequestHandler,
    schema: (async (req, res) => {
      const schema = (await registryFor(req, res)).schemaById(String(req.params.urn));
      if (!schema) throw ScimError.notFound(`No schema ${String(req.params.urn)}`);
      sendScim(res, 200, { ...schemaResource(schema, baseUrlOf(req)) });
    }) satisfies RequestHandler,
  };
  return handlers;
}
