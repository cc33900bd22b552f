import type { RequestHandler } from "express";
import type { ResourceOperations } from "../scim/operations.ts";
import type { Versioned } from "../scim/ports.ts";
import { readSearchRequest, searchEveryType } from "../scim/search.ts";
import { contextOf } from "./request.ts";
import type { HandlerSettings } from "./resources.ts";
import { sendScim } from "./respond.ts";

// RFC 7644 §3.4.3: POST /.search at the root, across every resource type (scim/search.ts).
export function rootSearch(types: readonly ResourceOperations<Versioned>[], settings: HandlerSettings): RequestHandler {
  return async (req, res) => {
    const context = contextOf(req, res, settings.publicBaseUrl);
    const registry = await settings.registryOf(context.tenantId);
    sendScim(res, 200, await searchEveryType(types, context, readSearchRequest(req.body), registry, settings));
  };
}
