import type { Scope } from "../auth/ports.ts";
import type { CompatApi } from "./api.ts";
import { api as bytebase } from "./bytebase/index.ts";
import { api as expressGateway } from "./express-gateway/index.ts";
import { api as permApi } from "./perm-api/index.ts";
import { api as qase } from "./qase/index.ts";
import { api as vyte } from "./vyte/index.ts";

// Every compat API the server serves, each mounted at /compat/<name> (docs/compat/README.md §1).
// Adding one is a folder under src/compat/ and a line here.
export const compatApis = [bytebase, vyte, permApi, qase, expressGateway] as const;

export type CompatApiName = (typeof compatApis)[number]["name"];

export const compatApiNames: readonly CompatApiName[] = compatApis.map((api) => api.name);

export function isCompatApiName(name: string): name is CompatApiName {
  return (compatApiNames as readonly string[]).includes(name);
}

export function compatApiNamed(name: CompatApiName): CompatApi {
  return compatApis.find((api) => api.name === name) as CompatApi;
}

// The URNs of the extension schemas the APIs named bring.
export function extensionsWith(apis: readonly string[]): string[] {
  return apis.flatMap((name) => compatApis.find((api) => api.name === name)?.extensions.map((schema) => schema.id) ?? []);
}

const productExtensions = new Set(extensionsWith(compatApiNames));

// Whether a schema is visible to a tenant with these APIs enabled: every schema no API brings
// (RFC schemas, the Enterprise extension, the server's own limits), and those its APIs bring.
export function visibleWith(apis: readonly string[]): (urn: string) => boolean {
  const enabled = new Set(extensionsWith(apis));
  return (urn) => !productExtensions.has(urn) || enabled.has(urn);
}

// Issues a credential for one compat API in the form its clients send: a JWT for bearer APIs,
// the product's key format otherwise.
export type CompatCredentialIssuer = (request: {
  tenantId: string;
  surface: CompatApiName;
  scopes: readonly Scope[];
  subject?: string;
  ttlSeconds?: number;
}) => Promise<{ credential: string; id: string }>;
