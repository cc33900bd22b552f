import { createPublicKey, createSecretKey, randomBytes, randomUUID, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { pemText, type Config } from "../config.ts";
import { ScimError } from "../scim/errors.ts";
import type { CredentialStore, Scope, StoredCredential } from "./ports.ts";

// Bearer tokens are JWTs verified with one pinned algorithm (HS256 with a secret, or RS256 /
// ES256 with a public key). Each carries its tenant, scopes and an id (jti) recorded at issue
// time, so that it can be revoked.

export const allScopes: readonly Scope[] = ["scim:read", "scim:write"];

export interface Principal {
  readonly tenantId: string;
  // For logs and metrics.
  readonly tenantName: string;
  readonly scopes: readonly string[];
  readonly credentialId: string;
  // The user the token acts for, if any (RFC 7644 §3.11 /Me).
  readonly subject?: string;
}

export interface IssueRequest {
  readonly tenantId: string;
  readonly scopes: readonly Scope[];
  readonly ttlSeconds?: number;
  readonly subject?: string;
  // The API the token is for: "scim" (the default) or a compat router's name. A token works on
  // its own API only.
  readonly surface?: string;
}

// The Credential.kind of a bearer token for one API.
export function jwtKind(surface: string): string {
  return surface === "scim" ? "jwt" : `jwt:${surface}`;
}

// The API a credential is for, from its Credential.kind: "scim" or a compat API's name.
export function apiOfKind(kind: string): string {
  return kind === "jwt" ? "scim" : kind.replace(/^(jwt|key):/, "");
}

type Algorithm = Config["TOKEN_ALGORITHM"];

const generatedSecretKey = "token.hs256.secret";

// Credentials looked up recently, so that a request does not pay a database round trip for its
// token: a revocation made by another process takes effect within the cache's lifetime, one
// made through this service at once.
export class CredentialCache {
  private readonly entries = new Map<string, { credential: StoredCredential | undefined; until: number }>();

  constructor(private readonly lifetimeMs: number) {}

  async get(id: string, load: () => Promise<StoredCredential | undefined>): Promise<StoredCredential | undefined> {
    const now = Date.now();
    const cached = this.entries.get(id);
    if (cached && cached.until > now) return cached.credential;
    const credential = await load();
    if (this.lifetimeMs > 0) {
      if (this.entries.size >= 10_000) this.entries.clear();
      this.entries.set(id, { credential, until: now + this.lifetimeMs });
    }
    return credential;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}

export class TokenService {
  private readonly cache: CredentialCache;
  private readonly verified = new Map<string, jwt.JwtPayload>();

  private constructor(
    private readonly credentials: CredentialStore,
    private readonly algorithm: Algorithm,
    // A KeyObject made once: given a string, jsonwebtoken tries createPublicKey on it first, and
    // that failing attempt for an HS256 secret took about a tenth of every request's CPU time.
    private readonly verifyKey: KeyObject,
    private readonly signKey: string | undefined,
    private readonly issuer: string,
    cacheSeconds: number,
  ) {
    this.cache = new CredentialCache(cacheSeconds * 1000);
  }

  // With HS256 and no TOKEN_SECRET, a secret is generated once and kept with the data.
  static async create(config: Config, credentials: CredentialStore): Promise<TokenService> {
    if (config.TOKEN_ALGORITHM === "HS256") {
      const secret =
        config.TOKEN_SECRET ??
        (await credentials.setting(generatedSecretKey, () => randomBytes(48).toString("base64url")));
      return new TokenService(credentials, "HS256", createSecretKey(Buffer.from(secret)), secret, config.TOKEN_ISSUER, config.TOKEN_CACHE_SECONDS);
    }
    return new TokenService(
      credentials,
      config.TOKEN_ALGORITHM,
      createPublicKey(pemText(config.TOKEN_PUBLIC_KEY as string)),
      config.TOKEN_PRIVATE_KEY === undefined ? undefined : pemText(config.TOKEN_PRIVATE_KEY),
      config.TOKEN_ISSUER,
      config.TOKEN_CACHE_SECONDS,
    );
  }

  async issue(request: IssueRequest): Promise<{ token: string; id: string }> {
    if (this.signKey === undefined) {
      throw new Error(`TOKEN_PRIVATE_KEY is needed to issue ${this.algorithm} tokens`);
    }
    const id = randomUUID();
    const expiresAt =
      request.ttlSeconds === undefined ? undefined : new Date(Date.now() + request.ttlSeconds * 1000);
    await this.credentials.record({
      id,
      tenantId: request.tenantId,
      kind: jwtKind(request.surface ?? "scim"),
      scopes: request.scopes,
      ...(request.subject === undefined ? {} : { subject: request.subject }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    });
    const token = jwt.sign({ tenant: request.tenantId, scope: request.scopes.join(" ") }, this.signKey, {
      algorithm: this.algorithm,
      jwtid: id,
      issuer: this.issuer,
      ...(request.subject === undefined ? {} : { subject: request.subject }),
      ...(request.ttlSeconds === undefined ? {} : { expiresIn: request.ttlSeconds }),
    });
    return { token, id };
  }

  revoke(id: string): Promise<boolean> {
    this.cache.forget(id);
    return this.credentials.revoke(id);
  }

  // Throws a 401 ScimError for anything but a valid, unrevoked token issued for `surface`.
  async verify(token: string, surface = "scim"): Promise<Principal> {
    const claims = this.claimsOf(token);
    const jti = claims.jti;
    const credential = typeof jti === "string" ? await this.cache.get(jti, () => this.credentials.find(jti)) : undefined;
    if (!credential || credential.kind !== jwtKind(surface) || credential.tenantId !== claims.tenant) {
      throw ScimError.unauthorized("The bearer token is not valid");
    }
    if (credential.revokedAt) throw ScimError.unauthorized("The bearer token has been revoked");
    return {
      tenantId: credential.tenantId,
      tenantName: credential.tenantName,
      scopes: credential.scopes,
      credentialId: credential.id,
      ...(credential.subject === undefined ? {} : { subject: credential.subject }),
    };
  }

  // The claims of a token whose signature, algorithm, issuer and lifetime hold. A token's
  // signature is checked once: the claims of tokens seen recently are kept by the token's exact
  // text (a different text is checked afresh), and their expiry is checked on every use.
  private claimsOf(token: string): jwt.JwtPayload {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (typeof known.exp === "number" && known.exp <= Date.now() / 1000) {
        this.verified.delete(token);
        throw ScimError.unauthorized("The bearer token has expired");
      }
      return known;
    }
    let claims: jwt.JwtPayload;
    try {
      const decoded = jwt.verify(token, this.verifyKey, { algorithms: [this.algorithm], issuer: this.issuer });
      if (typeof decoded === "string") throw new Error("unexpected payload");
      claims = decoded;
    } catch (error) {
      const expired = error instanceof jwt.TokenExpiredError;
      throw ScimError.unauthorized(expired ? "The bearer token has expired" : "The bearer token is not valid");
    }
    if (this.verified.size >= verifiedTokenLimit) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }
}

// Tokens whose checked claims are kept (TokenService.claimsOf).
const verifiedTokenLimit = 1000;
