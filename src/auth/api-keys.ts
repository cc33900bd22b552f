import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { ScimError } from "../scim/errors.ts";
import type { CredentialStore, Scope } from "./ports.ts";
import { CredentialCache, type Principal } from "./tokens.ts";

// API keys for the compat routers whose products use them (Vyte's bare key, Express Gateway's
// `keyId:keySecret`). A key is an id and a random secret; only the secret's SHA-256 is stored
// (the secret is 128 random bits, so a fast hash is enough), and each key works on one API.

export interface IssuedKey {
  readonly id: string;
  readonly secret: string;
}

export interface KeyRequest {
  readonly tenantId: string;
  readonly surface: string;
  readonly scopes: readonly Scope[];
  readonly subject?: string;
  // Without it the key lives until revoked.
  readonly ttlSeconds?: number;
}

export const keyIdLength = 16;

// The Credential.kind of an API key for one API.
export function keyKind(surface: string): string {
  return `key:${surface}`;
}

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

export class ApiKeyService {
  private readonly cache: CredentialCache;

  constructor(
    private readonly credentials: CredentialStore,
    cacheSeconds: number,
  ) {
    this.cache = new CredentialCache(cacheSeconds * 1000);
  }

  async issue(request: KeyRequest): Promise<IssuedKey> {
    const id = randomBytes(keyIdLength / 2).toString("hex");
    const secret = randomBytes(16).toString("hex");
    await this.credentials.record({
      id,
      tenantId: request.tenantId,
      kind: keyKind(request.surface),
      scopes: request.scopes,
      secretHash: digest(secret).toString("hex"),
      ...(request.subject === undefined ? {} : { subject: request.subject }),
      ...(request.ttlSeconds === undefined ? {} : { expiresAt: new Date(Date.now() + request.ttlSeconds * 1000) }),
    });
    return { id, secret };
  }

  revoke(id: string): Promise<boolean> {
    this.cache.forget(id);
    return this.credentials.revoke(id);
  }

  // Throws a 401 ScimError unless `id` names an unrevoked key for `surface` whose secret is `secret`.
  async verify(id: string, secret: string, surface: string): Promise<Principal> {
    const credential = await this.cache.get(id, () => this.credentials.find(id));
    const stored = credential?.secretHash === undefined ? undefined : Buffer.from(credential.secretHash, "hex");
    const given = digest(secret);
    if (!credential || credential.kind !== keyKind(surface) || !stored || stored.length !== given.length || !timingSafeEqual(stored, given)) {
      throw ScimError.unauthorized("The API key is not valid");
    }
    if (credential.revokedAt || (credential.expiresAt && credential.expiresAt.getTime() <= Date.now())) {
      throw ScimError.unauthorized("The API key has been revoked or has expired");
    }
    return {
      tenantId: credential.tenantId,
      tenantName: credential.tenantName,
      scopes: credential.scopes,
      credentialId: credential.id,
      ...(credential.subject === undefined ? {} : { subject: credential.subject }),
    };
  }
}
