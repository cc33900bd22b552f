import type { RequestContext } from "../../scim/context.ts";
import { ScimError } from "../../scim/errors.ts";
import type { PatchOperation } from "../../scim/patch/operations.ts";
import type { StoredGroup, StoredUser } from "../../scim/ports.ts";
import type { CompatCore } from "../core.ts";
import type { TeamCreate, TeamMembership, TeamUpdate } from "./contract.ts";
import type { VyteDirectory } from "./directory.ts";
import {
  adminsChangeOf, memberOperationsOf, patchRequestOf, scimTeamOf, teamAdminsOf, teamChangesOf, userObjectIdOf, type MemberEdit,
} from "./translate.ts";

// Vyte teams (docs/compat/vyte.md §5.9-§5.13, §6.3) over SCIM Groups: members are the group's
// members, admins the Vyte Group extension's list of user _ids (independent of membership).

// A team with the Vyte _ids of its user members, ready to be rendered.
export interface TeamView {
  readonly group: StoredGroup;
  readonly members: readonly string[];
}

export class VyteTeams {
  constructor(
    private readonly core: CompatCore,
    private readonly directory: VyteDirectory,
  ) {}

  async view(context: RequestContext, group: StoredGroup): Promise<TeamView> {
    const userIds = (group.members ?? []).filter((member) => member.type === "User").map((member) => member.value);
    return { group, members: await this.directory.objectIdsOf(context, userIds) };
  }

  // §5.9
  async list(context: RequestContext): Promise<TeamView[]> {
    const teams = await this.directory.teams(context);
    return Promise.all(teams.map((group) => this.view(context, group)));
  }

  // §5.10
  async get(context: RequestContext, objectId: string): Promise<TeamView> {
    return this.view(context, await this.directory.team(context, objectId, true));
  }

  // §5.11: members and admins are resolved before the one write.
  async create(context: RequestContext, team: TeamCreate): Promise<TeamView> {
    const members = await this.directory.resolveUsers(context, team.members ?? []);
    const admins = await this.directory.resolveUsers(context, team.admins ?? []);
    const group = await this.core.groups.create(
      context,
      scimTeamOf(team, members.map((user) => user.id), admins.map((user) => objectIdOf(user))),
    );
    return this.view(context, await this.core.groups.get(context, group.id, true));
  }

  // §5.12: one write; members and admins, when given, replace the lists.
  async update(context: RequestContext, objectId: string, update: TeamUpdate): Promise<TeamView> {
    const current = await this.directory.team(context, objectId, false);
    const members = update.members && (await this.directory.resolveUsers(context, update.members));
    const admins = update.admins && (await this.directory.resolveUsers(context, update.admins));
    const operations = teamChangesOf(update, admins?.map((user) => objectIdOf(user)));
    const edit: MemberEdit | undefined = members && { kind: "replace", ids: members.map((user) => user.id) };
    return this.view(context, await this.patch(context, current.id, operations, edit));
  }

  // §5.13
  async remove(context: RequestContext, objectId: string): Promise<void> {
    const current = await this.directory.team(context, objectId, false);
    await this.core.groups.remove(context, current.id, {});
  }

  // §6.3: the `teams` of a user body, in order: each found by extid, else name, else created;
  // the user joins it, and `admin` adds it to or removes it from the admins. Teams not named are
  // left alone. The caller runs it in the unit of work of the user's write (users.ts).
  async join(context: RequestContext, user: StoredUser, memberships: readonly TeamMembership[]): Promise<void> {
    const objectId = objectIdOf(user);
    const joined = new Set((await this.core.users.get(context, user.id, true)).groups?.map((group) => group.value) ?? []);
    for (const membership of memberships) {
      const team = await this.directory.findTeam(context, membership);
      if (!team) {
        if (membership.name === undefined) throw ScimError.invalidValue(`No team has extid "${membership.extid}", and a new team needs a name`);
        const created = await this.core.groups.create(
          context,
          scimTeamOf({ name: membership.name, extid: membership.extid }, [user.id], membership.admin === true ? [objectId] : []),
        );
        joined.add(created.id);
        continue;
      }
      const admins = teamAdminsOf(team);
      const nextAdmins = adminsAfter(admins, objectId, membership.admin);
      const joins = !joined.has(team.id);
      if (!joins && nextAdmins === undefined) continue;
      await this.patch(context, team.id, nextAdmins ? [adminsChangeOf(nextAdmins)] : [], joins ? { kind: "add", id: user.id } : undefined);
      joined.add(team.id);
    }
  }

  // §6.4: an unlinked user leaves the organisation's teams, as a member and as an admin.
  async leaveAll(context: RequestContext, user: StoredUser): Promise<void> {
    const objectId = objectIdOf(user);
    const memberOf = new Set((await this.core.users.get(context, user.id, true)).groups?.map((group) => group.value) ?? []);
    const administered = new Map((await this.directory.teamsAdministeredBy(context, objectId)).map((group) => [group.id, group]));
    for (const teamId of new Set([...memberOf, ...administered.keys()])) {
      const team = administered.get(teamId);
      const admins = team && teamAdminsOf(team);
      const leaves = memberOf.has(teamId);
      const nextAdmins = admins && adminsAfter(admins, objectId, false);
      if (!leaves && nextAdmins === undefined) continue;
      await this.patch(context, teamId, nextAdmins ? [adminsChangeOf(nextAdmins)] : [], leaves ? { kind: "remove", id: user.id } : undefined);
    }
  }

  // Attribute operations and a change to the team's members, in one PATCH (RFC 7644 §3.5.2).
  async patch(context: RequestContext, teamId: string, operations: readonly PatchOperation[], members?: MemberEdit): Promise<StoredGroup> {
    const all = [...operations, ...(members === undefined ? [] : memberOperationsOf(members))];
    if (all.length === 0) return this.core.groups.get(context, teamId, true);
    return this.core.groups.patch(context, teamId, patchRequestOf(all), {}, true);
  }
}

function objectIdOf(user: StoredUser): string {
  const objectId = userObjectIdOf(user);
  if (objectId === undefined) throw ScimError.internal("A Vyte user without its _id");
  return objectId;
}

// The admins once `admin` is applied for one user, or undefined when they do not change.
function adminsAfter(admins: readonly string[], objectId: string, admin: boolean | undefined): string[] | undefined {
  if (admin === undefined || admins.includes(objectId) === admin) return undefined;
  return admin ? [...admins, objectId] : admins.filter((id) => id !== objectId);
}
