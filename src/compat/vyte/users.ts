import type { RequestContext } from "../../scim/context.ts";
import { ScimError } from "../../scim/errors.ts";
import type { PatchOperation } from "../../scim/patch/operations.ts";
import type { StoredUser } from "../../scim/ports.ts";
import { atomically, type CompatCore } from "../core.ts";
import type { UserRequest } from "./contract.ts";
import { VyteDirectory } from "./directory.ts";
import { VyteTeams } from "./teams.ts";
import {
  isLinked, patchRequestOf, scimUserOf, unlinkChanges, userChangesOf, userKeysOf,
} from "./translate.ts";

// Vyte users (docs/compat/vyte.md §5.4-§5.8, §6) over SCIM Users. A write that also touches
// teams is one unit of work: the user and its teams are committed together or not at all (§6.6).

export class VyteUsers {
  constructor(
    private readonly core: CompatCore,
    private readonly directory: VyteDirectory,
    private readonly teams: VyteTeams,
  ) {}

  // The same operations over the core a unit of work gives, so that each write joins the unit.
  private static over(core: CompatCore): VyteUsers {
    const directory = new VyteDirectory(core);
    return new VyteUsers(core, directory, new VyteTeams(core, directory));
  }

  // §5.4, §5.7: the idempotent POST. The user found by _id, extid or email (§6.1) is updated (and
  // re-linked if it had been unlinked); otherwise one is created.
  async upsert(context: RequestContext, request: UserRequest): Promise<StoredUser> {
    const write = async (unit: VyteUsers) => {
      const existing = await unit.directory.findUser(context, userKeysOf(request));
      const user = existing
        ? await unit.change(context, existing, request, !isLinked(existing))
        : await unit.core.users.create(context, scimUserOf(request));
      if (request.teams?.length) await unit.teams.join(context, user, request.teams);
      return user;
    };
    // Without teams the user's create or PATCH is the only write, all or nothing on its own.
    return request.teams?.length ? atomically(this.core, (core) => write(VyteUsers.over(core))) : write(this);
  }

  // §5.5, §5.8: a merge update of a linked user.
  async update(context: RequestContext, current: StoredUser, request: UserRequest): Promise<StoredUser> {
    if (!request.teams?.length) return this.change(context, current, request, false);
    return atomically(this.core, async (core) => {
      const unit = VyteUsers.over(core);
      const user = await unit.change(context, current, request, false);
      await unit.teams.join(context, user, request.teams ?? []);
      return user;
    });
  }

  // §5.8: the linked user a batch update item names by _id or extid; 404 otherwise.
  async identified(context: RequestContext, request: UserRequest): Promise<StoredUser> {
    const { objectId, externalId } = userKeysOf(request);
    if (objectId === undefined && externalId === undefined) throw ScimError.notFound("The item names no user: give user._id or its extid");
    const user = await this.directory.findUser(context, { objectId, externalId });
    if (!user || !isLinked(user)) throw ScimError.notFound(`User ${objectId ?? externalId} not found`);
    return user;
  }

  // §5.6: the user leaves the organisation and its teams; the account is kept.
  async unlink(context: RequestContext, user: StoredUser): Promise<void> {
    await atomically(this.core, async (core) => {
      const unit = VyteUsers.over(core);
      await unit.teams.leaveAll(context, user);
      await unit.patch(context, await core.users.get(context, user.id, false), unlinkChanges());
    });
  }

  private async change(context: RequestContext, current: StoredUser, request: UserRequest, relink: boolean): Promise<StoredUser> {
    return this.patch(context, current, userChangesOf(request, current.attributes, relink));
  }

  // Vyte's merge updates reach the core as PATCHes (RFC 7644 §3.5.2), applied to the state they
  // were computed from or not at all (412).
  private async patch(context: RequestContext, current: StoredUser, operations: readonly PatchOperation[]): Promise<StoredUser> {
    if (operations.length === 0) return current;
    return this.core.users.patch(context, current.id, patchRequestOf(operations), { ifVersion: current.version });
  }
}
