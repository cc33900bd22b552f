import type { RequestHandler } from "express";
import { ScimError } from "../../scim/errors.ts";
import type { StoredGroup } from "../../scim/ports.ts";
import type { CompatCore } from "../core.ts";
import { assertPermission, caller, type Caller } from "./auth.ts";
import { decodeGroup, decodeGroupEmail, decodeListQuery, decodeUpdateQuery, emailProblem, groupMessage, type BytebaseGroup, type GroupInput } from "./contract.ts";
import { Directory } from "./directory.ts";
import { onUniqueness } from "./errors.ts";
import {
  assertGroupMask,
  bytebaseGroup,
  groupUpdate,
  nextPageTokenOf,
  ownersOf,
  patchRequest,
  peopleOf,
  scimGroupOfCreate,
  sliceOf,
  updateMask,
} from "./translate.ts";
import { workspaceDomainsOption } from "./options.ts";

// The endpoints of Bytebase's GroupService (docs/compat/bytebase.md §5.8-§5.12). Groups are SCIM
// groups with the Bytebase Group extension; its `email` is the group's name (§8.2).

async function shown(directory: Directory, group: StoredGroup): Promise<BytebaseGroup> {
  return bytebaseGroup(group, await directory.emails(peopleOf(group)));
}

// Whether the caller acts for a user who OWNs the group.
function owns(who: Caller, group: StoredGroup): boolean {
  return who.userId !== undefined && ownersOf(group).includes(who.userId) && (group.members ?? []).some((member) => member.value === who.userId);
}

// The tenant's bytebase.workspaceDomains option: group emails must be in one of these domains.
async function assertWorkspaceDomain(core: CompatCore, who: Caller, email: string): Promise<void> {
  const option = await core.tenants.option(who.tenantId, workspaceDomainsOption);
  const domains = (option ?? "").split(",").map((domain) => domain.trim().toLowerCase()).filter((domain) => domain !== "");
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (domains.length > 0 && !domains.includes(domain)) {
    throw ScimError.invalidValue(`group email ${JSON.stringify(email)} does not belong to the workspace domains ${JSON.stringify(domains)}`);
  }
}

// CreateGroup: a valid email (unique: 409 from the core), members that exist; the caller is
// recorded as the creator, not added as a member.
async function created(core: CompatCore, who: Caller, email: string, group: GroupInput): Promise<BytebaseGroup> {
  const problem = emailProblem(email);
  if (problem) throw ScimError.invalidValue(`invalid group email ${JSON.stringify(email)}: ${problem}`);
  await assertWorkspaceDomain(core, who, email);
  const directory = new Directory(core, who.context);
  const members = await directory.members(group.members);
  const stored = await core.groups
    .create(who.context, scimGroupOfCreate(email, group, members, who.userId))
    .catch(onUniqueness(`group "groups/${email}" already exists, or another group has the title ${JSON.stringify(group.title || email)}`));
  return shown(directory, stored);
}

// §5.8 GET /v1/groups
export function listGroups(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    assertPermission(who, "bb.groups.list");
    const query = decodeListQuery(req.query);
    if (query.filter !== "") throw ScimError.invalidValue(`invalid filter ${JSON.stringify(query.filter)}: filter is not supported`);
    const slice = sliceOf(query);
    const directory = new Directory(core, who.context);
    const { items, totalResults } = await directory.groups(slice);
    const emails = await directory.emails(items.flatMap(peopleOf));
    res.json({ groups: items.map((group) => bytebaseGroup(group, emails)), nextPageToken: nextPageTokenOf(slice, items.length, totalResults) });
  };
}

// §5.9 GET /v1/groups/{email}
export function getGroup(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    assertPermission(who, "bb.groups.get");
    const email = String(req.params.name);
    const directory = new Directory(core, who.context);
    const group = await directory.group(email);
    if (!group) throw ScimError.notFound(`cannot found group groups/${email}`);
    res.json(await shown(directory, group));
  };
}

// §5.10 POST /v1/groups?group_email=: workspace admins only.
export function createGroup(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    assertPermission(who, "bb.groups.create");
    const email = decodeGroupEmail(req.query);
    const group = decodeGroup(req.body);
    if (email === "") throw ScimError.invalidValue("missing group_email in the request");
    res.json(await created(core, who, email, group));
  };
}

// §5.11 PATCH /v1/groups/{email}?update_mask=&allow_missing=: a workspace admin or an OWNER of
// the group. With allow_missing a missing group is created as CreateGroup would, mask ignored.
export function updateGroup(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    const email = String(req.params.name);
    const query = decodeUpdateQuery(req.query);
    const group = decodeGroup(req.body);
    const mask = updateMask(req.body, groupMessage, query.updateMask);
    const directory = new Directory(core, who.context);
    const current = await directory.group(email);
    if (!current) {
      if (!query.allowMissing) throw ScimError.notFound(`group ${JSON.stringify(`groups/${email}`)} not found`);
      assertPermission(who, "bb.groups.create");
      res.json(await created(core, who, email, group));
      return;
    }
    assertPermission(who, "bb.groups.update", owns(who, current));
    assertGroupMask(current, mask);
    const members = mask.includes("members") ? await directory.members(group.members) : [];
    const operations = groupUpdate(current, group, mask, members);
    const updated =
      operations.length === 0
        ? current
        : await core.groups
            .patch(who.context, current.id, patchRequest(operations), {}, true)
            .catch(onUniqueness(`another group has the title ${JSON.stringify(group.title)}`));
    res.json(await shown(directory, updated));
  };
}

// §5.12 DELETE /v1/groups/{email}: a workspace admin or an OWNER of the group.
export function deleteGroup(core: CompatCore): RequestHandler {
  return async (req, res) => {
    const who = caller(res);
    const email = String(req.params.name);
    const directory = new Directory(core, who.context);
    const current = await directory.group(email);
    if (!current) throw ScimError.notFound(`cannot found the group groups/${email}`);
    assertPermission(who, "bb.groups.delete", owns(who, current));
    await core.groups.remove(who.context, current.id, {});
    res.json({});
  };
}
