import type { Request, RequestHandler } from "express";
import { ScimError } from "../scim/errors.ts";
import { listResponse } from "../scim/render.ts";
import type { SchemaRegistry } from "../scim/schema/registry.ts";
import {
  resourceTypeResource, schemaResource, serviceProviderConfig, type Capabilities,
} from "../scim/schema/discovery.ts";
import { baseUrlOf as requestBaseUrl } from "./request.ts";
import { sendScim } from "./respond.ts";

// RFC 7644 §4: the discovery endpoints. They need no tenant data, only the base URL.
export function discoveryHandlers(registry: SchemaRegistry, capabilities: Capabilities, publicBaseUrl: string | undefined) {
  const baseUrlOf = (req: Request) => requestBaseUrl(req, publicBaseUrl);

  const handlers = {
    serviceProviderConfig: ((req, res) => {
      sendScim(res, 200, { ...serviceProviderConfig(baseUrlOf(req), capabilities) });
    }) satisfies RequestHandler,
    resourceTypes: ((req, res) => {
      const resources = registry.resourceTypes().map((rt) => ({ ...resourceTypeResource(rt, baseUrlOf(req)) }));
      sendScim(res, 200, listResponse(resources, resources.length, { startIndex: 1 }));
    }) satisfies RequestHandler,
    resourceType: ((req, res) => {
      const resourceType = registry.resourceTypeByName(String(req.params.name));
      if (!resourceType) throw ScimError.notFound(`No resource type ${String(req.params.name)}`);
      sendScim(res, 200, { ...resourceTypeResource(resourceType, baseUrlOf(req)) });
    }) satisfies RequestHandler,
    schemas: ((req, res) => {
      const resources = registry.allSchemas().map((schema) => ({ ...schemaResource(schema, baseUrlOf(req)) }));
      sendScim(res, 200, listResponse(resources, resources.length, { startIndex: 1 }));
    }) satisfies RequestHandler,
    schema: ((req, res) => {
      const schema = registry.schemaById(String(req.params.urn));
      if (!schema) throw ScimError.notFound(`No schema ${String(req.params.urn)}`);
      sendScim(res, 200, { ...schemaResource(schema, baseUrlOf(req)) });
    }) satisfies RequestHandler,
  };
  return handlers;
}
