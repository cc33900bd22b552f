import { randomUUID } from "node:crypto";
import type { EventType, NewEvent } from "../events/catalogue.ts";
import type { RequestContext } from "./context.ts";
import type { Attributes, ChangeEvents, MemberRef, StoredGroup, StoredUser } from "./ports.ts";
import { defaultProjection, project } from "./projection.ts";
import { renderGroup, renderUser, type ScimResource } from "./render.ts";
import { sameJson } from "./resource/json.ts";
import { groupResourceType, userResourceType } from "./schema/resource-types.ts";
import type { SchemaView } from "./schema/view.ts";

// The change events of one request's writes (docs/events.md): the resource as a default GET of
// that tenant returns it, and for updates the attribute paths that changed with their former
// values.
export class RequestEvents implements ChangeEvents {
  constructor(
    private readonly context: RequestContext,
    private readonly view: SchemaView,
  ) {}

  userCreated(user: StoredUser): NewEvent[] {
    return [this.userEvent("user.created", user, user.lastModified)];
  }

  userUpdated(before: StoredUser, after: StoredUser, passwordChanged: boolean): NewEvent[] {
    const changes = attributeChanges(before.attributes, after.attributes);
    if (passwordChanged) changes.changed.push("password");
    if (changes.changed.length === 0) return [];
    return [this.userEvent(activityChange(before.attributes.active, after.attributes.active), after, after.lastModified, changes)];
  }

  userDeleted(user: StoredUser): NewEvent[] {
    return [this.userEvent("user.deleted", user, new Date())];
  }

  groupCreated(group: StoredGroup): NewEvent[] {
    return [this.groupEvent("group.created", group, group.lastModified), ...this.membersChanged(group, group.members ?? [], [])];
  }

  groupUpdated(before: StoredGroup, after: StoredGroup): NewEvent[] {
    const changes = attributeChanges(before.attributes, after.attributes);
    return changes.changed.length === 0 ? [] : [this.groupEvent("group.updated", after, after.lastModified, changes)];
  }

  groupDeleted(group: StoredGroup): NewEvent[] {
    return [this.groupEvent("group.deleted", group, new Date())];
  }

  // One event per member: the group is rendered once and shared by all of them.
  membersChanged(group: StoredGroup, added: readonly MemberRef[], removed: readonly MemberRef[]): NewEvent[] {
    if (added.length === 0 && removed.length === 0) return [];
    const { members: _members, ...withoutMembers } = group;
    const data = JSON.stringify(this.groupData(withoutMembers));
    const resource = JSON.stringify(resourceOf("Group", group));
    const occurredAt = group.lastModified;
    const event = (type: EventType, member: MemberRef): NewEvent => ({
      id: randomUUID(),
      type,
      resourceType: "Group",
      resourceId: group.id,
      occurredAt,
      payload: `{"occurredAt":"${occurredAt.toISOString()}","resource":${resource},"data":${data},"member":${JSON.stringify({ value: member.value, type: member.type })}}`,
    });
    return [...added.map((member) => event("group.member_added", member)), ...removed.map((member) => event("group.member_removed", member))];
  }

  private userEvent(type: EventType, user: StoredUser, occurredAt: Date, changes?: AttributeChanges): NewEvent {
    const data = project(
      renderUser(this.context, user),
      defaultProjection,
      this.view.registry,
      userResourceType,
    );
    return newEvent(type, "User", user, occurredAt, data, changes);
  }

  private groupEvent(type: EventType, group: StoredGroup, occurredAt: Date, changes?: AttributeChanges): NewEvent {
    const { members: _members, ...withoutMembers } = group;
    return newEvent(type, "Group", group, occurredAt, this.groupData(withoutMembers), changes);
  }

  private groupData(group: StoredGroup): ScimResource {
    return project(renderGroup(this.context, group), defaultProjection, this.view.registry, groupResourceType);
  }
}

interface AttributeChanges {
  readonly changed: string[];
  readonly previous: Record<string, unknown>;
}

function newEvent(
  type: EventType,
  resourceType: "User" | "Group",
  stored: StoredUser | StoredGroup,
  occurredAt: Date,
  data: ScimResource,
  changes?: AttributeChanges,
): NewEvent {
  const payload = {
    occurredAt: occurredAt.toISOString(),
    resource: resourceOf(resourceType, stored),
    data,
    ...(changes ? { changed: changes.changed, previous: changes.previous } : {}),
  };
  return { id: randomUUID(), type, resourceType, resourceId: stored.id, occurredAt, payload: JSON.stringify(payload) };
}

function resourceOf(type: "User" | "Group", stored: StoredUser | StoredGroup) {
  const externalId = stored.attributes.externalId;
  return { type, id: stored.id, externalId: typeof externalId === "string" ? externalId : null, version: stored.version };
}

// A change of `active` to false deactivates a user, one from false to true reactivates it; any
// other change is an update. The event names every attribute the change touched either way.
function activityChange(before: unknown, after: unknown): EventType {
  if (before !== false && after === false) return "user.deactivated";
  if (before === false && after === true) return "user.reactivated";
  return "user.updated";
}

// The paths whose values differ: a sub-attribute of a complex attribute ("name.givenName") or
// of an extension ("urn:...:User:department"), else the attribute ("emails", multi-valued ones
// as a whole). `previous` holds each one's former value, when it had one.
export function attributeChanges(before: Attributes, after: Attributes): AttributeChanges {
  const changed: string[] = [];
  const previous: Record<string, unknown> = {};
  const compare = (path: string, was: unknown, now: unknown) => {
    if (sameJson(was, now)) return;
    changed.push(path);
    if (was !== undefined && was !== null) previous[path] = was;
  };
  for (const key of unionOfKeys(before, after)) {
    const was = before[key];
    const now = after[key];
    if (isObject(was) || isObject(now)) {
      const separator = key.startsWith("urn:") ? ":" : ".";
      const wasObject = isObject(was) ? was : {};
      const nowObject = isObject(now) ? now : {};
      for (const sub of unionOfKeys(wasObject, nowObject)) compare(`${key}${separator}${sub}`, wasObject[sub], nowObject[sub]);
    } else {
      compare(key, was, now);
    }
  }
  return { changed, previous };
}

function unionOfKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
