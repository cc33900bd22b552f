import type { RequestContext } from "../../scim/context.ts";
import type { Filter } from "../../scim/filter/ast.ts";
import { compatFilters } from "../filters.ts";
import type { StoredGroup, StoredUser } from "../../scim/ports.ts";
import { permGroupsGroupSchema } from "./extension.ts";
import { everyPage } from "../pages.ts";
import type { CompatCore } from "../core.ts";
import type { Role } from "./contract.ts";
import { memberPatch, roleIdPath, roleOf } from "./translate.ts";

// The tenant's roles (docs/compat/perm-api.md §7.2): every Group is one, with the role id it was
// given when it was created (or when the tenant enabled this API). A user's roles are
// its group memberships, so changing them takes one write per group.

const groups = compatFilters("Group", [permGroupsGroupSchema]);

// Past this many groups, the whole catalogue is read rather than a filter with one term per id.
const byIdLimit = 50;

export class RoleCatalogue {
  constructor(
    private readonly core: CompatCore,
    private readonly context: RequestContext,
  ) {}

  // §4.7: every role, by id.
  async all(): Promise<Role[]> {
    const found = await this.groupsWhere(undefined);
    return (await this.withRoleIds(found)).sort((a, b) => a.id - b.id);
  }

  // The groups of the role ids given that exist, by role id.
  async groupsOfRoleIds(roleIds: readonly number[]): Promise<Map<number, StoredGroup>> {
    const unique = [...new Set(roleIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
    const found =
      unique.length === 0
        ? []
        : unique.length > byIdLimit
          ? await this.groupsWhere(undefined)
          : await this.groupsWhere(groups.or(...unique.map((id) => groups.compare(roleIdPath, "eq", id))));
    return new Map(found.flatMap((group) => {
      const role = roleOf(group);
      return role ? [[role.id, group] as const] : [];
    }));
  }

  // The roles of each user given (read with its groups), by user id.
  async ofUsers(users: readonly StoredUser[]): Promise<Map<string, Role[]>> {
    const groupIds = [...new Set(users.flatMap((user) => (user.groups ?? []).map((group) => group.value)))];
    const found =
      groupIds.length === 0
        ? []
        : groupIds.length > byIdLimit
          ? await this.groupsWhere(undefined)
          : await this.groupsWhere(groups.or(...groupIds.map((id) => groups.compare("id", "eq", id))));
    const roles = new Map<string, Role>();
    for (const group of found) {
      const role = roleOf(group);
      if (role) roles.set(group.id, role);
    }
    return new Map(users.map((user) => [user.id, (user.groups ?? []).flatMap((group) => roles.get(group.value) ?? [])]));
  }

  async of(user: StoredUser): Promise<Role[]> {
    return (await this.ofUsers([user])).get(user.id) ?? [];
  }

  // A user's roles change by one membership write per group. The caller runs these in one unit of
  // work with the user's own write (router.ts), so that all of them apply or none does (§5.3).
  async changeMemberships(userId: string, changes: { add: readonly string[]; remove: readonly string[] }): Promise<void> {
    for (const id of changes.remove) await this.core.groups.patch(this.context, id, memberPatch("remove", userId), {}, false);
    for (const id of changes.add) await this.core.groups.patch(this.context, id, memberPatch("add", userId), {}, false);
  }

  private async withRoleIds(found: readonly StoredGroup[]): Promise<Role[]> {
    // Oldest group first: role ids follow the order groups were made in.
    return [...found].sort((a, b) => a.created.getTime() - b.created.getTime()).flatMap((group) => roleOf(group) ?? []);
  }

  // Every group matching the filter.
  private groupsWhere(filter: Filter | undefined): Promise<StoredGroup[]> {
    return everyPage((query) => this.core.groups.list(this.context, query, false), filter ? { filter } : {}, this.core.settings.maxPageSize);
  }
}
