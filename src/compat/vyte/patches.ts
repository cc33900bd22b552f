import type { RequestContext } from "../../scim/context.ts";
import type { PatchOperation } from "../../scim/patch/operations.ts";
import type { StoredGroup, StoredUser } from "../../scim/ports.ts";
import { userUrn } from "../../scim/schema/urns.ts";
import type { CompatCore } from "../core.ts";
import { memberOperationsOf, patchRequestOf, scimResourceOf, type MemberEdit } from "./translate.ts";

// How Vyte's merge updates reach the store: as core PATCHes (RFC 7644 §3.5.2).
export class VytePatches {
  constructor(private readonly core: CompatCore) {}

  // The operations apply to the state they were computed from, or the request fails (412).
  async user(context: RequestContext, current: StoredUser, operations: readonly PatchOperation[]): Promise<StoredUser> {
    if (operations.length === 0) return current;
    return this.core.users.patch(context, current.id, patchRequestOf(operations), { ifVersion: current.version });
  }

  // A user put back as it was (the undo of the above; the password stays as it is).
  async restoreUser(context: RequestContext, previous: StoredUser): Promise<StoredUser> {
    return this.core.users.replace(context, previous.id, scimResourceOf(userUrn, previous.attributes), {});
  }

  // Attribute operations and a change to the team's members, in one PATCH.
  async team(context: RequestContext, teamId: string, operations: readonly PatchOperation[], members?: MemberEdit): Promise<StoredGroup> {
    const all = [...operations, ...(members === undefined ? [] : memberOperationsOf(members))];
    if (all.length === 0) return this.core.groups.get(context, teamId, true);
    return this.core.groups.patch(context, teamId, patchRequestOf(all), {}, true);
  }
}
