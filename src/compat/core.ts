import type { Request } from "express";
import type { Logger } from "pino";
import type { ApiKeyService } from "../auth/api-keys.ts";
import type { TenantStore } from "../auth/ports.ts";
import type { TokenService } from "../auth/tokens.ts";
import type { RequestContext } from "../scim/context.ts";
import type { FilterLimits } from "../scim/filter/limits.ts";
import type { GroupService } from "../scim/groups.ts";
import type { SchemaRegistry } from "../scim/schema/registry.ts";
import type { UnitOfWork } from "../scim/unit-of-work.ts";
import type { UserService } from "../scim/users.ts";

// What a compat router is given: the core operations and the credential services. Routers
// translate; uniqueness, mutability, required attributes and storage stay in the core
// (docs/compat/README.md §3, §5).
export interface CompatCore {
  readonly users: UserService;
  readonly groups: GroupService;
  // Several writes that commit together or not at all (atomically, below).
  readonly unitOfWork: UnitOfWork;
  readonly tokens: TokenService;
  readonly keys: ApiKeyService;
  readonly tenants: TenantStore;
  readonly registry: SchemaRegistry;
  readonly logger: Logger;
  readonly settings: CompatSettings;
}

export interface CompatSettings {
  readonly publicBaseUrl?: string | undefined;
  readonly maxBodyBytes: number;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly filter: FilterLimits;
}

// `work` given the core as a unit of work sees it: its writes through users and groups commit
// together when it resolves, and none does when it throws (docs/compat/README.md §7). Inside,
// only that core may be used: a write through the outer one would not belong to the unit (and, on
// SQLite, would wait for the unit's end). A unit run inside joins this one.
export function atomically<T>(core: CompatCore, work: (core: CompatCore) => Promise<T>): Promise<T> {
  return core.unitOfWork.run((unit) => {
    const joined: UnitOfWork = { run: (inner) => inner(unit) };
    return work({ ...core, users: unit.users, groups: unit.groups, unitOfWork: joined });
  });
}

// The core's request context for a compat request: the caller's tenant, and the SCIM base URL
// that meta.location of the resources read through the router points under.
export function compatContext(req: Request, tenantId: string, settings: CompatSettings): RequestContext {
  const root = settings.publicBaseUrl ? settings.publicBaseUrl.replace(/\/$/, "") : `${req.protocol}://${req.get("host")}`;
  return { tenantId, baseUrl: `${root}/scim/v2` };
}
