import type { RequestContext } from "../../scim/context.ts";
import { ScimError } from "../../scim/errors.ts";
import type { StoredUser } from "../../scim/ports.ts";
import type { CompatCore } from "../core.ts";
import type { UserRequest } from "./contract.ts";
import type { VyteDirectory } from "./directory.ts";
import type { VyteTeams } from "./teams.ts";
import {
  isLinked, scimUserOf, unlinkChanges, userChangesOf, userKeysOf,
} from "./translate.ts";
import type { VytePatches } from "./patches.ts";
import { UndoLog } from "./undo.ts";

// Vyte users (docs/compat/vyte.md §5.4-§5.8, §6) over SCIM Users. A write that also touches
// teams is one unit: if a later write fails, the earlier ones are undone (§6.6).

export class VyteUsers {
  constructor(
    private readonly core: CompatCore,
    private readonly directory: VyteDirectory,
    private readonly teams: VyteTeams,
    private readonly patches: VytePatches,
  ) {}

  // §5.4, §5.7: the idempotent POST. The user found by _id, extid or email (§6.1) is updated (and
  // re-linked if it had been unlinked); otherwise one is created.
  async upsert(context: RequestContext, request: UserRequest): Promise<StoredUser> {
    const existing = await this.directory.findUser(context, userKeysOf(request));
    return UndoLog.run(this.core.logger, async (undo) => {
      const user = existing ? await this.change(context, existing, request, !isLinked(existing), undo) : await this.create(context, request, undo);
      if (request.teams?.length) await this.teams.join(context, user, request.teams, undo);
      return user;
    });
  }

  // §5.5, §5.8: a merge update of a linked user.
  async update(context: RequestContext, current: StoredUser, request: UserRequest): Promise<StoredUser> {
    return UndoLog.run(this.core.logger, async (undo) => {
      const user = await this.change(context, current, request, false, undo);
      if (request.teams?.length) await this.teams.join(context, user, request.teams, undo);
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
    await UndoLog.run(this.core.logger, async (undo) => {
      await this.teams.leaveAll(context, user, undo);
      await this.patches.user(context, await this.core.users.get(context, user.id, false), unlinkChanges());
    });
  }

  private async create(context: RequestContext, request: UserRequest, undo: UndoLog): Promise<StoredUser> {
    const user = await this.core.users.create(context, scimUserOf(request));
    undo.record(() => this.core.users.remove(context, user.id, {}));
    return user;
  }

  private async change(context: RequestContext, current: StoredUser, request: UserRequest, relink: boolean, undo: UndoLog): Promise<StoredUser> {
    const operations = userChangesOf(request, current.attributes, relink);
    if (operations.length === 0) return current;
    const user = await this.patches.user(context, current, operations);
    undo.record(() => this.patches.restoreUser(context, current));
    return user;
  }
}
