import { randomUUID } from "node:crypto";
import type { CredentialRecord, CredentialStore, PatchReturn, Tenant, TenantStore } from "../auth/ports.ts";
import type { Db } from "./database.ts";

const tenantRow = { id: true, name: true, patchReturn: true } as const;

function toTenant(row: { id: string; name: string; patchReturn: string }): Tenant {
  return { id: row.id, name: row.name, patchReturn: row.patchReturn === "minimal" ? "minimal" : "representation" };
}

// How long a tenant's PATCH default is remembered: `npm run tenant` may change it from another
// process; a change through this store applies at once.
const patchReturnLifetimeMs = 5000;

export class PrismaTenantStore implements TenantStore {
  private readonly patchReturns = new Map<string, { value: PatchReturn; until: number }>();
  private readonly options = new Map<string, { value: string | undefined; until: number }>();

  constructor(private readonly prisma: Db) {}

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
    const value = (await this.prisma.setting.findUnique({ where: { key } }))?.value;
    if (this.options.size >= 10_000) this.options.clear();
    this.options.set(key, { value, until: Date.now() + patchReturnLifetimeMs });
    return value;
  }

  async setOption(tenantName: string, name: string, value: string | undefined): Promise<Tenant> {
    const tenant = await this.ensure(tenantName);
    const key = optionKey(tenant.id, name);
    this.options.delete(key);
    if (value === undefined) await this.prisma.setting.deleteMany({ where: { key } });
    else await this.prisma.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
    return tenant;
  }

  async ensure(name: string): Promise<Tenant> {
    const existing = await this.prisma.tenant.findUnique({ where: { name } });
    if (existing) return toTenant(existing);
    try {
      return toTenant(await this.prisma.tenant.create({ data: { id: randomUUID(), name }, select: tenantRow }));
    } catch {
      // Another process created it at the same moment.
      return toTenant(await this.prisma.tenant.findUniqueOrThrow({ where: { name }, select: tenantRow }));
    }
  }

  async byId(id: string): Promise<Tenant | undefined> {
    const row = await this.prisma.tenant.findUnique({ where: { id }, select: tenantRow });
    return row ? toTenant(row) : undefined;
  }

  async list(): Promise<Tenant[]> {
    return (await this.prisma.tenant.findMany({ select: tenantRow, orderBy: { name: "asc" } })).map(toTenant);
  }

  async setPatchReturn(name: string, patchReturn: PatchReturn): Promise<Tenant> {
    const tenant = await this.ensure(name);
    this.patchReturns.delete(tenant.id);
    return toTenant(await this.prisma.tenant.update({ where: { id: tenant.id }, data: { patchReturn }, select: tenantRow }));
  }
}

// Tenant options are kept in the Setting table under the tenant's id.
function optionKey(tenantId: string, name: string): string {
  return `tenant/${tenantId}/${name}`;
}

export class PrismaCredentialStore implements CredentialStore {
  constructor(private readonly prisma: Db) {}

  async record(credential: CredentialRecord): Promise<void> {
    await this.prisma.credential.create({
      data: {
        id: credential.id,
        tenantId: credential.tenantId,
        kind: credential.kind,
        scopes: credential.scopes.join(" "),
        secretHash: credential.secretHash ?? null,
        subject: credential.subject ?? null,
        expiresAt: credential.expiresAt ?? null,
      },
    });
  }

  async find(id: string): Promise<CredentialRecord | undefined> {
    const row = await this.prisma.credential.findUnique({ where: { id } });
    if (!row) return undefined;
    return {
      id: row.id,
      tenantId: row.tenantId,
      kind: row.kind,
      scopes: row.scopes.split(" ").filter(Boolean),
      ...(row.secretHash === null ? {} : { secretHash: row.secretHash }),
      ...(row.subject === null ? {} : { subject: row.subject }),
      ...(row.expiresAt === null ? {} : { expiresAt: row.expiresAt }),
      ...(row.revokedAt === null ? {} : { revokedAt: row.revokedAt }),
    };
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.prisma.credential.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    return result.count > 0;
  }

  // A server-wide value kept with the data, created once by whichever process asks first.
  async setting(key: string, create: () => string): Promise<string> {
    const existing = await this.prisma.setting.findUnique({ where: { key } });
    if (existing) return existing.value;
    try {
      await this.prisma.setting.create({ data: { key, value: create() } });
    } catch {
      // Created concurrently by another process: fall through and read theirs.
    }
    return (await this.prisma.setting.findUniqueOrThrow({ where: { key } })).value;
  }
}
