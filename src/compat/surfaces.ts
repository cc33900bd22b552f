import type { IssuedKey } from "../auth/api-keys.ts";

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
