import type { Router } from "express";
import type { IssuedKey } from "../auth/api-keys.ts";
import type { ApiDescription } from "../http/openapi/spec.ts";
import type { SchemaDefinition } from "../scim/schema/types.ts";
import type { CompatCore } from "./core.ts";

// What a compat API brings to the server: each folder's index.ts exports one as `api`, and
// compat/apis.ts lists them (docs/compat/README.md §1).
export interface CompatApi<Name extends string = string> {
  // It is mounted at /compat/<name>, and its credentials are issued for this name.
  readonly name: Name;
  // How its credentials look: a bearer JWT, or an API key printed in the product's own form
  // (docs/compat/README.md §4).
  readonly credential: { readonly kind: "jwt" } | { readonly kind: "key"; format(key: IssuedKey): string };
  // The extension schemas it brings (RFC 7643 §3.3): a tenant has them once it enabled the API.
  readonly extensions: readonly SchemaDefinition[];
  // Its route table over the core, rendering its own errors and unknown routes.
  router(core: CompatCore): Router;
  // Its routes as OpenAPI describes them, relative to its mount point.
  readonly openapi: ApiDescription;
}

// Keeps the name's literal type, so that the list's names are a closed union.
export function defineCompatApi<const Name extends string>(api: CompatApi<Name>): CompatApi<Name> {
  return api;
}
