import { bytebaseGroupSchema, bytebaseUserSchema } from "./bytebase.ts";
import { expressGatewayUserSchema } from "./expressgateway.ts";
import { permGroupsGroupSchema, permGroupsUserSchema } from "./permgroups.ts";
import { qaseUserSchema } from "./qase.ts";
import { vyteGroupSchema, vyteUserSchema } from "./vyte.ts";

// This server's own extension schemas (RFC 7643 §3.3), by the resource type they extend. They
// carry what the compat APIs know that SCIM lacks, so that one store serves every API.
export const userExtensionSchemas = [bytebaseUserSchema, vyteUserSchema, permGroupsUserSchema, qaseUserSchema, expressGatewayUserSchema];
export const groupExtensionSchemas = [bytebaseGroupSchema, vyteGroupSchema, permGroupsGroupSchema];

// The extensions each compat API brings, by the API's name (compat/surfaces.ts): a tenant sees an
// extension only once it has enabled one of the APIs that bring it.
export const extensionsOfApi: Readonly<Record<string, readonly string[]>> = {
  bytebase: [bytebaseUserSchema.id, bytebaseGroupSchema.id],
  vyte: [vyteUserSchema.id, vyteGroupSchema.id],
  "perm-api": [permGroupsUserSchema.id, permGroupsGroupSchema.id],
  qase: [qaseUserSchema.id],
  "express-gateway": [expressGatewayUserSchema.id],
};

const productExtensions = new Set(Object.values(extensionsOfApi).flat());

// Whether a schema is visible to a tenant with these APIs enabled: every schema that no API
// brings (RFC schemas, the Enterprise extension, the server's own limits), and those its APIs bring.
export function visibleWith(apis: readonly string[]): (urn: string) => boolean {
  const enabled = new Set(apis.flatMap((api) => extensionsOfApi[api] ?? []));
  return (urn) => !productExtensions.has(urn) || enabled.has(urn);
}

export {
  bytebaseGroupSchema, bytebaseUserSchema, expressGatewayUserSchema, permGroupsGroupSchema, permGroupsUserSchema,
  qaseUserSchema, vyteGroupSchema, vyteUserSchema,
};
