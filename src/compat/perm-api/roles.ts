import type { RequestContext } from "../../scim/context.ts";
import type { Filter } from "../../scim/filter/ast.ts";
import { filterBuilder } from "../../scim/filter/build.ts";
import type { StoredGroup, StoredUser } from "../../scim/ports.ts";
import { permGroupsGroupSchema } from "../../scim/schema/extensions/index.ts";
import { everyPage } from "../pages.ts";
import type { CompatCore } from "../core.ts";
import type { Role } from "./contract.ts";
import { memberPatch, roleIdPath, roleOf } from "./translate.ts";

// The tenant's roles (docs/compat/perm-api.md §7.2): every Group is one, with the role id it was
// given when it was created (or when the tenant enabled this API). A user's roles are
// its group memberships, so changing them takes one write per group; those writes are undone when
// a later write fails (§5.3).

const groups = filterBuilder("Group");

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

  // Applies the membership changes, then `write`; if anything fails, the memberships already
  // changed are changed back and the error is rethrown.
  async changingMemberships<T>(userId: string, changes: { add: readonly string[]; remove: readonly string[] }, write: () => Promise<T>): Promise<T> {
    const steps = [...changes.remove.map((id) => ["remove", id] as const), ...changes.add.map((id) => ["add", id] as const)];
    const done: (typeof steps)[number][] = [];
    try {
      for (const step of steps) {
        await this.core.groups.patch(this.context, step[1], memberPatch(step[0], userId), {}, false);
        done.push(step);
      }
      return await write();
    } catch (error) {
      await this.undo(userId, done.reverse().map(([op, id]) => [op === "add" ? "remove" : "add", id] as const));
      throw error;
    }
  }

  // Creates the user with `create`, then makes it a member of the groups given; if a membership
  // cannot be written, the user is deleted again and the error rethrown.
  async creatingMember(groupIds: readonly string[], create: () => Promise<StoredUser>): Promise<StoredUser> {
    const user = await create();
    try {
      for (const id of groupIds) await this.core.groups.patch(this.context, id, memberPatch("add", user.id), {}, false);
      return user;
    } catch (error) {
      await this.core.users.remove(this.context, user.id, {}).catch((undoError: unknown) => {
        this.core.logger.error({ err: undoError, userId: user.id }, "perm-api: could not delete a user whose roles failed to be written");
      });
      throw error;
    }
  }

  private async undo(userId: string, steps: readonly (readonly ["add" | "remove", string])[]): Promise<void> {
    for (const [op, id] of steps) {
      await this.core.groups.patch(this.context, id, memberPatch(op, userId), {}, false).catch((undoError: unknown) => {
        this.core.logger.error({ err: undoError, groupId: id }, "perm-api: could not undo a membership change");
      });
    }
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
