import type { RequestContext } from "../../scim/context.ts";
import { ScimError } from "../../scim/errors.ts";
import type { AttributeRef, Filter } from "../../scim/filter/ast.ts";
import { compatFilters } from "../filters.ts";
import type { ListQuery, StoredGroup, StoredUser } from "../../scim/ports.ts";
import type { CompatCore } from "../core.ts";
import { everyPage } from "../pages.ts";
import type { UserReference } from "./contract.ts";
import { vyteGroupSchema, vyteUserSchema } from "./extension.ts";
import {
  isLinked, teamAdminsPath, teamObjectIdPath, userLinkedPath, userObjectIdOf, userObjectIdPath,
  vyteTeamUrn, vyteUserUrn, type UserKeys,
} from "./translate.ts";

// Finding users and teams the way Vyte names them: by their Vyte _id (the extension's assigned
// objectId), extid or email, all within the caller's tenant. Every user and group of a tenant
// that enabled Vyte has its _id from the moment it exists (docs/compat/vyte.md §8.4).

const users = compatFilters("User", [vyteUserSchema]);
const groups = compatFilters("Group", [vyteGroupSchema]);
// Linked users: active, and not unlinked.
const linkedFilter = users.and(users.compare("active", "eq", true), users.not(users.compare(userLinkedPath, "eq", false)));
// Identifiers are compared in chunks of this many terms.
const chunkSize = 50;

export class VyteDirectory {
  private readonly userCreated: AttributeRef;
  private readonly groupCreated: AttributeRef;

  constructor(private readonly core: CompatCore) {
    this.userCreated = this.attribute("User", "meta.created");
    this.groupCreated = this.attribute("Group", "meta.created");
  }

  private attribute(resourceType: "User" | "Group", path: string): AttributeRef {
    const found = this.core.registry.findAttribute(resourceType, path);
    if (!found) throw new Error(`${resourceType} has no ${path}`);
    return found;
  }

  // ---------------------------------------------------------------------------------------------
  // Users

  // A user with this Vyte _id, linked or not.
  async userByObjectId(context: RequestContext, objectId: string): Promise<StoredUser | undefined> {
    return this.firstUser(context, users.compare(userObjectIdPath, "eq", objectId));
  }

  // §5.3, §5.5, §5.6: the linked user with this _id; 404 for an unknown or unlinked one.
  async linkedUser(context: RequestContext, objectId: string): Promise<StoredUser> {
    const user = await this.userByObjectId(context, objectId);
    if (!user || !isLinked(user)) throw ScimError.notFound(`User ${objectId} not found`);
    return user;
  }

  // §6.1: the user a write is about, by _id, else extid, else email; linked or not.
  async findUser(context: RequestContext, keys: UserKeys): Promise<StoredUser | undefined> {
    if (keys.objectId !== undefined) {
      const user = await this.userByObjectId(context, keys.objectId);
      if (user) return user;
    }
    if (keys.externalId !== undefined) {
      const user = await this.firstUser(context, users.compare("externalId", "eq", keys.externalId));
      if (user) return user;
    }
    if (keys.email !== undefined) {
      return this.firstUser(context, users.or(users.compare("emails.value", "eq", keys.email), users.compare("userName", "eq", keys.email)));
    }
    return undefined;
  }

  // §5.2: the organisation's users, oldest first, each with its Vyte _id.
  async linkedUsers(context: RequestContext): Promise<StoredUser[]> {
    const found = await everyPage((query) => this.core.users.list(context, query, false), this.oldestFirst(this.userCreated, linkedFilter), this.core.settings.maxPageSize);
    return found;
  }

  // The Vyte _ids of users named by their SCIM ids, in the order given; ids that name no user are skipped.
  async objectIdsOf(context: RequestContext, ids: readonly string[]): Promise<string[]> {
    const found = new Map<string, StoredUser>();
    for (let start = 0; start < ids.length; start += chunkSize) {
      const chunk = ids.slice(start, start + chunkSize);
      const filter = users.or(...chunk.map((id) => users.compare("id", "eq", id)));
      const page = await this.core.users.list(context, { startIndex: 1, count: chunk.length, filter }, false);
      for (const user of page.resources) found.set(user.id, user);
    }
    return ids.flatMap((id) => {
      const user = found.get(id);
      const objectId = user && userObjectIdOf(user);
      return objectId === undefined ? [] : [objectId];
    });
  }

  // §4.5: the linked users that team members or admins name, by _id, {_id}, {email} or {extid};
  // 400 when one names nobody in the organisation.
  async resolveUsers(context: RequestContext, references: readonly UserReference[]): Promise<StoredUser[]> {
    const resolved: StoredUser[] = [];
    for (const reference of references) {
      const keys: UserKeys =
        typeof reference === "string"
          ? { objectId: reference }
          : "_id" in reference
            ? { objectId: reference._id }
            : "email" in reference
              ? { email: reference.email }
              : { externalId: reference.extid };
      const user = await this.findUser(context, keys);
      if (!user || !isLinked(user)) throw ScimError.invalidValue(`No user of the organisation matches ${JSON.stringify(reference)}`);
      if (!resolved.some((other) => other.id === user.id)) resolved.push(user);
    }
    return resolved;
  }

  // ---------------------------------------------------------------------------------------------
  // Teams

  // §5.10, §5.12, §5.13: the team with this Vyte _id; 404 otherwise.
  async team(context: RequestContext, objectId: string, withMembers: boolean): Promise<StoredGroup> {
    const page = await this.core.groups.list(context, { startIndex: 1, count: 1, filter: groups.compare(teamObjectIdPath, "eq", objectId) }, false);
    const found = page.resources[0];
    if (!found) throw ScimError.notFound(`Team ${objectId} not found`);
    return withMembers ? this.core.groups.get(context, found.id, true) : found;
  }

  // §6.3: the team a user body names, by extid, else by name.
  async findTeam(context: RequestContext, keys: { extid?: string | undefined; name?: string | undefined }): Promise<StoredGroup | undefined> {
    const byKey = async (filter: Filter) => (await this.core.groups.list(context, { startIndex: 1, count: 1, filter }, false)).resources[0];
    const byExtid = keys.extid === undefined ? undefined : await byKey(groups.compare("externalId", "eq", keys.extid));
    if (byExtid) return byExtid;
    const byName = keys.name === undefined ? undefined : await byKey(groups.compare("displayName", "eq", keys.name));
    return byName;
  }

  // §5.9: every team of the organisation, oldest first, with its members.
  async teams(context: RequestContext): Promise<StoredGroup[]> {
    return everyPage((query) => this.core.groups.list(context, query, true), this.oldestFirst(this.groupCreated), this.core.settings.maxPageSize);
  }

  // The teams a user administers.
  async teamsAdministeredBy(context: RequestContext, objectId: string): Promise<StoredGroup[]> {
    return everyPage(
      (query) => this.core.groups.list(context, query, false),
      this.oldestFirst(this.groupCreated, groups.compare(teamAdminsPath, "eq", objectId)),
      this.core.settings.maxPageSize,
    );
  }


  // ---------------------------------------------------------------------------------------------

  private oldestFirst(sortBy: AttributeRef, filter?: Filter): Pick<ListQuery, "filter" | "sortBy" | "sortOrder"> {
    return { sortBy, sortOrder: "ascending", ...(filter ? { filter } : {}) };
  }

  private async firstUser(context: RequestContext, filter: Filter): Promise<StoredUser | undefined> {
    const page = await this.core.users.list(context, { startIndex: 1, count: 1, filter, sortBy: this.userCreated, sortOrder: "ascending" }, false);
    return page.resources[0];
  }

}
