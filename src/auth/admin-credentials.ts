import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { ScimError } from "../scim/errors.ts";
import type { AdminCredentialRecord, AdminCredentialStore } from "./ports.ts";

// Credentials of the admin API and console (docs/admin-api.md): `scimadm_<id>_<secret>`, a random
// id and 128-bit secret of which only the SHA-256 is stored. They belong to no tenant and work on
// /admin/v1 only; tenant credentials do not work there.

export interface AdminPrincipal {
  readonly credentialId: string;
}

const prefix = "scimadm_";

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

export class AdminCredentialService {
  // Credentials looked up recently, so that every console request does not read the database;
  // a revocation made through this service takes effect at once, one made by another process
  // within the cache's lifetime.
  readonly #cache = new Map<string, { record: AdminCredentialRecord | undefined; until: number }>();

  constructor(
    private readonly store: AdminCredentialStore,
    private readonly cacheSeconds: number,
  ) {}

  async issue(): Promise<{ id: string; credential: string }> {
    const id = randomBytes(8).toString("hex");
    const secret = randomBytes(16).toString("hex");
    await this.store.record(id, digest(secret).toString("hex"));
    return { id, credential: `${prefix}${id}_${secret}` };
  }

  list(): Promise<AdminCredentialRecord[]> {
    return this.store.list();
  }

  revoke(id: string): Promise<boolean> {
    this.#cache.delete(id);
    return this.store.revoke(id);
  }

  // Throws a 401 ScimError for anything but an unrevoked admin credential.
  async verify(credential: string): Promise<AdminPrincipal> {
    const match = /^scimadm_([0-9a-f]{16})_([0-9a-f]{32})$/.exec(credential);
    if (!match) throw ScimError.unauthorized("An admin credential is required");
    const [, id, secret] = match as unknown as [string, string, string];
    const record = await this.#find(id);
    const stored = record === undefined ? undefined : Buffer.from(record.secretHash, "hex");
    const given = digest(secret);
    if (!record || !stored || stored.length !== given.length || !timingSafeEqual(stored, given)) {
      throw ScimError.unauthorized("The admin credential is not valid");
    }
    if (record.revokedAt) throw ScimError.unauthorized("The admin credential has been revoked");
    return { credentialId: id };
  }

  async #find(id: string): Promise<AdminCredentialRecord | undefined> {
    const now = Date.now();
    const cached = this.#cache.get(id);
    if (cached && cached.until > now) return cached.record;
    const record = await this.store.find(id);
    if (this.cacheSeconds > 0) {
      if (this.#cache.size >= 1000) this.#cache.clear();
      this.#cache.set(id, { record, until: now + this.cacheSeconds * 1000 });
    }
    return record;
  }
}
