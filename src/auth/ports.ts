// What authentication needs from storage.

export type PatchReturn = "representation" | "minimal";

export interface Tenant {
  readonly id: string;
  readonly name: string;
  // RFC 7240: the PATCH response when a request states no preference.
  readonly patchReturn: PatchReturn;
  // The compat APIs the tenant has enabled (surface names, sorted).
  readonly compatApis: readonly string[];
  readonly createdAt: Date;
}

export type Scope = "scim:read" | "scim:write";

export interface CredentialRecord {
  readonly id: string;
  readonly tenantId: string;
  // "jwt" for bearer tokens; vendor API keys use their own kinds.
  readonly kind: string;
  readonly scopes: readonly string[];
  readonly secretHash?: string;
  // The user a credential acts for, when it acts for one.
  readonly subject?: string;
  readonly expiresAt?: Date;
  readonly revokedAt?: Date;
}

// A credential as stored, with its tenant's name and when it was issued.
export interface StoredCredential extends CredentialRecord {
  readonly tenantName: string;
  readonly createdAt: Date;
}

export interface TenantStore {
  ensure(name: string): Promise<Tenant>;
  find(name: string): Promise<Tenant | undefined>;
  byId(id: string): Promise<Tenant | undefined>;
  list(): Promise<Tenant[]>;
  setPatchReturn(name: string, patchReturn: PatchReturn): Promise<Tenant>;
  // The tenant's PATCH default, as every PATCH asks for it (may be cached for a few seconds).
  patchReturn(tenantId: string): Promise<PatchReturn>;
  // A named per-tenant option of a compat API ("qase.scim" = "disabled", ...), undefined when
  // unset. Cached for a few seconds like patchReturn.
  option(tenantId: string, name: string): Promise<string | undefined>;
  // Sets (or, with undefined, clears) an option; creates the tenant if needed.
  setOption(tenantName: string, name: string, value: string | undefined): Promise<Tenant>;
  // The compat APIs the tenant has enabled (cached for a few seconds like patchReturn).
  compatApis(tenantId: string, fresh?: boolean): Promise<readonly string[]>;
  // Enables a compat API for the tenant (kept once enabled); undefined when there is no such tenant.
  enableApi(tenantId: string, api: string): Promise<Tenant | undefined>;
}

export interface CredentialStore {
  record(credential: CredentialRecord): Promise<void>;
  find(id: string): Promise<StoredCredential | undefined>;
  // Every credential, or a tenant's, newest first.
  list(tenantId?: string): Promise<StoredCredential[]>;
  revoke(id: string): Promise<boolean>;
  setting(key: string, create: () => string): Promise<string>;
}

// The operator's credentials for the admin API (npm run token -- --admin): no tenant's.
export interface AdminCredentialRecord {
  readonly id: string;
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly revokedAt?: Date;
}

export interface AdminCredentialStore {
  record(id: string, secretHash: string): Promise<void>;
  find(id: string): Promise<AdminCredentialRecord | undefined>;
  // Newest first.
  list(): Promise<AdminCredentialRecord[]>;
  revoke(id: string): Promise<boolean>;
}
