import type { RequestContext } from "../../scim/context.ts";
import { ScimError } from "../../scim/errors.ts";
import type { Filter } from "../../scim/filter/ast.ts";
import { compatFilters } from "../filters.ts";
import type { Page, StoredGroup, StoredUser } from "../../scim/ports.ts";
import { bytebaseGroupSchema, bytebaseUserSchema } from "./extension.ts";
import type { CompatCore } from "../core.ts";
import { emailOf, memberRefOf, memberRoleOf, distinctMembers, type ResolvedMember, type Slice, type UserRef } from "./translate.ts";

// The tenant's users and groups as Bytebase names them, read through the core: users/{uid} and
// users/{email} to users, groups/{email} to groups, pages of the lists Bytebase shows.

const users = compatFilters("User", [bytebaseUserSchema]);
const groups = compatFilters("Group", [bytebaseGroupSchema]);
const uidPath = `${bytebaseUserSchema.id}:uid`;
const userTypePath = `${bytebaseUserSchema.id}:userType`;
const groupEmailPath = `${bytebaseGroupSchema.id}:email`;

// Bytebase lists leave out the built-in system bot.
const notSystemBot = users.not(users.compare(userTypePath, "eq", "SYSTEM_BOT"));

export interface Sliced<T> {
  readonly items: readonly T[];
  readonly totalResults: number;
}

export class Directory {
  constructor(
    private readonly core: CompatCore,
    private readonly context: RequestContext,
  ) {}

  async user(ref: UserRef): Promise<StoredUser | undefined> {
    const filter = ref.kind === "uid" ? users.compare(uidPath, "eq", ref.uid) : users.compare("userName", "eq", ref.email);
    const page = await this.core.users.list(this.context, { filter, startIndex: 1, count: 1 }, false);
    return page.resources[0];
  }

  // ListUsers: users not deactivated (all with showDeleted), oldest first. An unassigned `active`
  // counts as active here, as everywhere outside SCIM filters (README "An unassigned active").
  async users(showDeleted: boolean, slice: Slice): Promise<Sliced<StoredUser>> {
    const filter = showDeleted ? notSystemBot : users.and(users.not(users.compare("active", "eq", false)), notSystemBot);
    const sortBy = this.core.registry.findAttribute("User", "meta.created");
    return this.slice((startIndex, count) => this.core.users.list(this.context, { filter, startIndex, count, ...(sortBy ? { sortBy, sortOrder: "ascending" as const } : {}) }, false), slice);
  }

  async group(email: string): Promise<StoredGroup | undefined> {
    const page = await this.core.groups.list(this.context, { filter: groups.compare(groupEmailPath, "eq", email), startIndex: 1, count: 1 }, true);
    return page.resources[0];
  }

  // ListGroups: the groups that have a Bytebase email, oldest first.
  groups(slice: Slice): Promise<Sliced<StoredGroup>> {
    const filter = groups.present(groupEmailPath);
    const sortBy = this.core.registry.findAttribute("Group", "meta.created");
    return this.slice((startIndex, count) => this.core.groups.list(this.context, { filter, startIndex, count, ...(sortBy ? { sortBy, sortOrder: "ascending" as const } : {}) }, true), slice);
  }

  // The emails of the users with these ids (those that exist).
  async emails(ids: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    const distinct = [...new Set(ids)];
    const chunk = Math.max(1, Math.min(50, this.core.settings.maxPageSize));
    for (let start = 0; start < distinct.length; start += chunk) {
      const part = distinct.slice(start, start + chunk);
      const filter: Filter = users.or(...part.map((id) => users.compare("id", "eq", id)));
      const page = await this.core.users.list(this.context, { filter, startIndex: 1, count: part.length }, false);
      for (const user of page.resources) result.set(user.id, emailOf(user));
    }
    return result;
  }

  // A Group's members as user ids with roles: each users/{email} or users/{uid} must name a user
  // of the tenant, else 400 "cannot found member".
  async members(members: ReadonlyArray<{ readonly member: string; readonly role: string }>): Promise<ResolvedMember[]> {
    const roles = members.map(({ role }) => memberRoleOf(role));
    const resolved: ResolvedMember[] = [];
    for (const [index, { member }] of members.entries()) {
      const ref = memberRefOf(member);
      const user = ref === undefined ? undefined : await this.user(ref);
      if (!user) throw ScimError.invalidValue(`cannot found member ${member}`);
      resolved.push({ id: user.id, role: roles[index] as ResolvedMember["role"] });
    }
    return distinctMembers(resolved);
  }

  // Pages through the core, maxPageSize at a time, from `offset` for `limit` resources (all when
  // no limit).
  private async slice<T>(list: (startIndex: number, count: number) => Promise<Page<T>>, { offset, limit }: Slice): Promise<Sliced<T>> {
    const items: T[] = [];
    let totalResults = 0;
    let startIndex = offset + 1;
    for (;;) {
      const count = Math.min(this.core.settings.maxPageSize, limit === undefined ? Number.MAX_SAFE_INTEGER : limit - items.length);
      if (count <= 0) break;
      const page = await list(startIndex, count);
      totalResults = page.totalResults;
      items.push(...page.resources);
      startIndex += page.resources.length;
      if (page.resources.length < count || startIndex > totalResults) break;
    }
    return { items, totalResults };
  }
}
