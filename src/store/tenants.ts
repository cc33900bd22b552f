import { randomUUID } from "node:crypto";
import type { CredentialRecord, CredentialStore, PatchReturn, StoredCredential, Tenant, TenantStore } from "../auth/ports.ts";
import type { TenantSchema } from "../scim/schema/tenant-schema.ts";
import { sqlDate, type Sql, type SqlStatement } from "./driver/sql.ts";
import type { ReadRow } from "./tables.ts";

type TenantRow = ReadRow<"Tenant", "id" | "name" | "patchReturn" | "compatApis" | "createdAt">;

const selectTenant = 'SELECT "id", "name", "patchReturn", "compatApis", "createdAt" FROM "Tenant"';

function apisOf(column: string): string[] {
  return column === "" ? [] : column.split(",");
}

function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    name: row.name,
    patchReturn: row.patchReturn === "minimal" ? "minimal" : "representation",
    compatApis: apisOf(row.compatApis),
    createdAt: sqlDate(row.createdAt),
  };
}

// The statement a create runs first in its transaction: a row while the tenant's compat APIs are
// still `stamp` (ExtensionReader). On PostgreSQL it also holds the tenant row against enableApi,
// which takes it FOR UPDATE: a create that read the old APIs either commits before the API is
// enabled (and gets its ids with the tenant's other resources) or finds the new APIs and starts
// again. A user insert takes FOR KEY SHARE on the tenant row already, for its foreign key. SQLite
// runs one write transaction at a time.
export function extensionsGuard(sql: Sql, tenantId: string, stamp: string): SqlStatement {
  const lock = sql.dialect === "postgresql" ? " FOR KEY SHARE" : "";
  return { text: `SELECT "id" FROM "Tenant" WHERE "id" = ? AND "compatApis" = ?${lock}`, args: [tenantId, stamp] };
}

const productIdsAssignedKey = "data/product-ids-assigned";

// How long a tenant's PATCH default is remembered: `npm run tenant` may change it from another
// process; a change through this store applies at once.
const patchReturnLifetimeMs = 5000;

export class SqlTenantStore implements TenantStore {
  private readonly patchReturns = new Map<string, { value: PatchReturn; until: number }>();
  private readonly options = new Map<string, { value: string | undefined; until: number }>();
  private readonly apis = new Map<string, { value: readonly string[]; until: number }>();
  private readonly tenantSchemas = new Map<string, { value: readonly TenantSchema[]; until: number }>();

  // `enabled` runs in the transaction that enables an API, with the tenant's APIs after it: it
  // gives the tenant's existing resources what the API brings (server.ts: their product ids).
  constructor(
    private readonly sql: Sql,
    private readonly enabled: (tx: Sql, tenantId: string, apis: readonly string[]) => Promise<void> = async () => {},
  ) {}

  async patchReturn(tenantId: string): Promise<PatchReturn> {
    const cached = this.patchReturns.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = (await this.byId(tenantId))?.patchReturn ?? "representation";
    this.patchReturns.set(tenantId, { value, until: Date.now() + patchReturnLifetimeMs });
    return value;
  }

  async option(tenantId: string, name: string): Promise<string | undefined> {
    const key = optionKey(tenantId, name);
    const cached = this.options.get(key);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = await readSetting(this.sql, key);
    if (this.options.size >= 10_000) this.options.clear();
    this.options.set(key, { value, until: Date.now() + patchReturnLifetimeMs });
    return value;
  }

  async setOption(tenantName: string, name: string, value: string | undefined): Promise<Tenant> {
    const tenant = await this.ensure(tenantName);
    const key = optionKey(tenant.id, name);
    this.options.delete(key);
    if (value === undefined) await this.sql.execute('DELETE FROM "Setting" WHERE "key" = ?', [key]);
    else {
      await this.sql.execute('INSERT INTO "Setting" ("key", "value") VALUES (?, ?) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"', [
        key,
        value,
      ]);
    }
    return tenant;
  }

  async ensure(name: string): Promise<Tenant> {
    const existing = await this.find(name);
    if (existing) return existing;
    // When another process creates it at the same moment, nothing is inserted and theirs is read.
    await this.sql.execute('INSERT INTO "Tenant" ("id", "name", "createdAt", "patchReturn") VALUES (?, ?, ?, ?) ON CONFLICT ("name") DO NOTHING', [
      randomUUID(),
      name,
      new Date(),
      "representation",
    ]);
    return (await this.find(name)) as Tenant;
  }

  async byId(id: string): Promise<Tenant | undefined> {
    const [row] = await this.sql.query<TenantRow>(`${selectTenant} WHERE "id" = ?`, [id]);
    return row ? toTenant(row) : undefined;
  }

  async list(): Promise<Tenant[]> {
    return (await this.sql.query<TenantRow>(`${selectTenant} ORDER BY "name" ASC`, [])).map(toTenant);
  }

  // Remembered briefly, as `npm run tenant` or another server may enable an API; `fresh` reads it now.
  async compatApis(tenantId: string, fresh = false): Promise<readonly string[]> {
    const cached = this.apis.get(tenantId);
    if (!fresh && cached && cached.until > Date.now()) return cached.value;
    const value = (await this.byId(tenantId))?.compatApis ?? [];
    this.apis.set(tenantId, { value, until: Date.now() + patchReturnLifetimeMs });
    return value;
  }

  async enableApi(tenantId: string, api: string): Promise<Tenant | undefined> {
    this.apis.delete(tenantId);
    const tenant = await this.sql.transaction(async (tx) => {
      // FOR UPDATE: creates hold the row FOR KEY SHARE while they check the APIs (extensionsGuard).
      const lock = tx.dialect === "postgresql" ? " FOR UPDATE" : "";
      const [row] = await tx.query<TenantRow>(`${selectTenant} WHERE "id" = ?${lock}`, [tenantId]);
      if (!row) return undefined;
      const apis = [...new Set([...apisOf(row.compatApis), api])].sort();
      if (apis.length !== apisOf(row.compatApis).length) {
        await tx.execute('UPDATE "Tenant" SET "compatApis" = ? WHERE "id" = ?', [apis.join(","), tenantId]);
        await this.enabled(tx, tenantId, apis);
      }
      return toTenant({ ...row, compatApis: apis.join(",") });
    });
    // A read during the transaction may have remembered the APIs before it.
    this.apis.delete(tenantId);
    return tenant;
  }

  // Once per database, at start: the resources of tenants that enabled APIs before product ids
  // came with each create (earlier releases assigned them when a compat API first showed a
  // resource) get theirs.
  // Recorded in the Setting table; a second server starting meanwhile waits on that row.
  async completeEnabledTenants(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const recorded = await tx.execute('INSERT INTO "Setting" ("key", "value") VALUES (?, ?) ON CONFLICT ("key") DO NOTHING', [
        productIdsAssignedKey,
        new Date().toISOString(),
      ]);
      if (recorded === 0) return;
      const rows = await tx.query<{ id: string; compatApis: string }>(`SELECT "id", "compatApis" FROM "Tenant" WHERE "compatApis" <> ''`, []);
      for (const row of rows) await this.enabled(tx, row.id, apisOf(row.compatApis));
    });
  }

  // The extension schemas defined for the tenant (npm run tenant -- <t> --schema <file>), by
  // URN. Remembered briefly, like the PATCH default: another process may define one.
  async schemas(tenantId: string): Promise<readonly TenantSchema[]> {
    const cached = this.tenantSchemas.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.value;
    const rows = await this.sql.query<{ key: string; value: string }>(
      'SELECT "key", "value" FROM "Setting" WHERE substr("key", 1, ?) = ? ORDER BY "key"',
      [schemaKeyPrefix(tenantId).length, schemaKeyPrefix(tenantId)],
    );
    const value = rows.map((row) => JSON.parse(row.value) as TenantSchema);
    if (this.tenantSchemas.size >= 10_000) this.tenantSchemas.clear();
    this.tenantSchemas.set(tenantId, { value, until: Date.now() + patchReturnLifetimeMs });
    return value;
  }

  // Defines (or redefines) one of the tenant's extension schemas, by its URN.
  async defineSchema(tenantId: string, schema: TenantSchema): Promise<void> {
    this.tenantSchemas.delete(tenantId);
    const key = schemaKey(tenantId, schema.schema.id);
    await this.sql.execute(
      'INSERT INTO "Setting" ("key", "value") VALUES (?, ?) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"',
      [key, JSON.stringify(schema)],
    );
  }

  // Removes one of the tenant's schemas and, in the same transaction, its values from every
  // resource of the tenant (`removed`, server.ts); false when the tenant has no such schema.
  async removeSchema(tenantId: string, urn: string, removed: (tx: Sql) => Promise<void>): Promise<boolean> {
    this.tenantSchemas.delete(tenantId);
    const done = await this.sql.transaction(async (tx) => {
      if ((await tx.execute('DELETE FROM "Setting" WHERE "key" = ?', [schemaKey(tenantId, urn)])) === 0) return false;
      await removed(tx);
      return true;
    });
    this.tenantSchemas.delete(tenantId);
    return done;
  }

  async setPatchReturn(name: string, patchReturn: PatchReturn): Promise<Tenant> {
    const tenant = await this.ensure(name);
    this.patchReturns.delete(tenant.id);
    await this.sql.execute('UPDATE "Tenant" SET "patchReturn" = ? WHERE "id" = ?', [patchReturn, tenant.id]);
    return { ...tenant, patchReturn };
  }

  async find(name: string): Promise<Tenant | undefined> {
    const [row] = await this.sql.query<TenantRow>(`${selectTenant} WHERE "name" = ?`, [name]);
    return row ? toTenant(row) : undefined;
  }
}

// A tenant's schemas are kept in the Setting table, one row each, keyed by their URN in lower case
// (URNs compare case-insensitively).
function schemaKeyPrefix(tenantId: string): string {
  return `tenant/${tenantId}/schema/`;
}

function schemaKey(tenantId: string, urn: string): string {
  return `${schemaKeyPrefix(tenantId)}${urn.toLowerCase()}`;
}

// Tenant options are kept in the Setting table under the tenant's id.
function optionKey(tenantId: string, name: string): string {
  return `tenant/${tenantId}/${name}`;
}

async function readSetting(sql: Sql, key: string): Promise<string | undefined> {
  const [row] = await sql.query<{ value: string }>('SELECT "value" FROM "Setting" WHERE "key" = ?', [key]);
  return row?.value;
}

// With the name of its tenant.
type CredentialRow = ReadRow<"Credential", "id" | "tenantId" | "createdAt" | "kind" | "scopes" | "secretHash" | "subject" | "expiresAt" | "revokedAt"> & {
  readonly tenantName: string;
};

export class SqlCredentialStore implements CredentialStore {
  constructor(private readonly sql: Sql) {}

  async record(credential: CredentialRecord): Promise<void> {
    await this.sql.execute(
      `INSERT INTO "Credential" ("id", "tenantId", "kind", "scopes", "secretHash", "subject", "createdAt", "expiresAt")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        credential.id,
        credential.tenantId,
        credential.kind,
        credential.scopes.join(" "),
        credential.secretHash ?? null,
        credential.subject ?? null,
        new Date(),
        credential.expiresAt ?? null,
      ],
    );
  }

  async find(id: string): Promise<StoredCredential | undefined> {
    const [row] = await this.sql.query<CredentialRow>(`${selectCredential} WHERE c."id" = ?`, [id]);
    return row ? toCredential(row) : undefined;
  }

  async list(tenantId?: string): Promise<StoredCredential[]> {
    const rows =
      tenantId === undefined
        ? await this.sql.query<CredentialRow>(`${selectCredential} ORDER BY c."createdAt" DESC, c."id"`, [])
        : await this.sql.query<CredentialRow>(`${selectCredential} WHERE c."tenantId" = ? ORDER BY c."createdAt" DESC, c."id"`, [tenantId]);
    return rows.map(toCredential);
  }

  async revoke(id: string): Promise<boolean> {
    return (await this.sql.execute('UPDATE "Credential" SET "revokedAt" = ? WHERE "id" = ? AND "revokedAt" IS NULL', [new Date(), id])) > 0;
  }

  // A server-wide value kept with the data, created once by whichever process asks first.
  async setting(key: string, create: () => string): Promise<string> {
    const existing = await readSetting(this.sql, key);
    if (existing !== undefined) return existing;
    // Created concurrently by another process: nothing is inserted, and theirs is read.
    await this.sql.execute('INSERT INTO "Setting" ("key", "value") VALUES (?, ?) ON CONFLICT ("key") DO NOTHING', [key, create()]);
    return (await readSetting(this.sql, key)) as string;
  }
}

const selectCredential = `SELECT c."id", c."tenantId", t."name" AS "tenantName", c."kind", c."scopes", c."secretHash", c."subject",
  c."createdAt", c."expiresAt", c."revokedAt" FROM "Credential" c JOIN "Tenant" t ON t."id" = c."tenantId"`;

function toCredential(row: CredentialRow): StoredCredential {
  return {
    id: row.id,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    kind: row.kind,
    scopes: row.scopes.split(" ").filter(Boolean),
    createdAt: sqlDate(row.createdAt),
    ...(row.secretHash === null ? {} : { secretHash: row.secretHash }),
    ...(row.subject === null ? {} : { subject: row.subject }),
    ...(row.expiresAt === null ? {} : { expiresAt: sqlDate(row.expiresAt) }),
    ...(row.revokedAt === null ? {} : { revokedAt: sqlDate(row.revokedAt) }),
  };
}
