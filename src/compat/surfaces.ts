import type { IssuedKey } from "../auth/api-keys.ts";
import {
  bytebaseGroupSchema, bytebaseUserSchema, expressGatewayUserSchema, permGroupsGroupSchema, permGroupsUserSchema,
  qaseUserSchema, vyteGroupSchema, vyteUserSchema,
} from "../scim/schema/extensions/index.ts";

// The compat APIs, each mounted at /compat/<name>, and how each one's credentials look: a bearer
// JWT, or an API key printed in the product's own form (docs/compat/README.md §1, §4).
export const compatSurfaces = {
  bytebase: { credential: "jwt" },
  vyte: { credential: "key", format: (key: IssuedKey) => `${key.id}${key.secret}` },
  "perm-api": { credential: "jwt" },
  qase: { credential: "jwt" },
  "express-gateway": { credential: "key", format: (key: IssuedKey) => `${key.id}:${key.secret}` },
} as const satisfies Record<string, { credential: "jwt" } | { credential: "key"; format: (key: IssuedKey) => string }>;

export type CompatSurface = keyof typeof compatSurfaces;

export const compatSurfaceNames = Object.keys(compatSurfaces) as CompatSurface[];

export function isCompatSurface(name: string): name is CompatSurface {
  return Object.hasOwn(compatSurfaces, name);
}

// The extension schemas each API brings: a tenant sees them only once it has enabled the API.
const extensionsOf: Readonly<Record<CompatSurface, readonly string[]>> = {
  bytebase: [bytebaseUserSchema.id, bytebaseGroupSchema.id],
  vyte: [vyteUserSchema.id, vyteGroupSchema.id],
  "perm-api": [permGroupsUserSchema.id, permGroupsGroupSchema.id],
  qase: [qaseUserSchema.id],
  "express-gateway": [expressGatewayUserSchema.id],
};

const productExtensions = new Set(Object.values(extensionsOf).flat());

// The extension schemas the APIs bring.
export function extensionsWith(apis: readonly string[]): string[] {
  return apis.flatMap((api) => (isCompatSurface(api) ? extensionsOf[api] : []));
}

// Whether a schema is visible to a tenant with these APIs enabled: every schema no API brings
// (RFC schemas, the Enterprise extension, the server's own limits), and those its APIs bring.
export function visibleWith(apis: readonly string[]): (urn: string) => boolean {
  const enabled = new Set(extensionsWith(apis));
  return (urn) => !productExtensions.has(urn) || enabled.has(urn);
}
