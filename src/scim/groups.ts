import type { RequestContext } from "./context.ts";
import { ScimError } from "./errors.ts";
import {
  TenantExtensionsChanged,
  type Attributes, type ExtensionReader, type GroupStore, type GroupWrite, type MemberRef, type Page, type ListQuery, type SequenceStore,
  type StoredGroup, type WriteCondition,
} from "./ports.ts";
import { memberDisplayOption, type OptionReader } from "./options.ts";
import { carryAssignedValues, withAssignedValues } from "./resource/assigned.ts";
import { assertImmutableUnchanged } from "./resource/immutability.ts";
import { readResource } from "./resource/input.ts";
import type { ResourceSchemas } from "./resource/resource-schemas.ts";
import type { SchemaView } from "./schema/view.ts";
import { applyPatch } from "./patch/apply.ts";
import { membersOf, splitMemberOperations } from "./patch/members.ts";
import { readPatchRequest } from "./patch/operations.ts";
import { clientOperations } from "./patch/quirks/index.ts";
import { groupUrn } from "./schema/urns.ts";
import { RequestEvents } from "./change-events.ts";

// RFC 7644 §3.3, §3.4.1, §3.5.1, §3.6: the Group operations. Members are kept apart from the
// group's other attributes, so that membership can change without rewriting the group.
export class GroupService {
  constructor(
    private readonly store: GroupStore,
    private readonly sequences: SequenceStore,
    private readonly options: OptionReader,
    private readonly extensions: ExtensionReader,
  ) {}

  // RFC 7644 §3.3. As for users (UserService.create): the product ids of the tenant's extensions
  // are assigned in the write that creates the group, and other extensions are ignored.
  async create(context: RequestContext, body: unknown): Promise<StoredGroup> {
    for (let fresh = false; ; fresh = true) {
      const extensions = await this.extensions.extensionsOf(context.tenantId, fresh);
      const schemas = extensions.view.groups;
      const write = await this.withDisplays(context.tenantId, toWrite(body, schemas));
      const urns = schemas.extensions.map((extension) => extension.id);
      const attributes = await withAssignedValues(write.attributes, schemas, (name) => this.sequences.next(context.tenantId, name), urns);
      try {
        return await this.store.create(context.tenantId, { ...write, attributes }, new RequestEvents(context, extensions.view), extensions.stamp);
      } catch (error) {
        if (!(error instanceof TenantExtensionsChanged)) throw error;
      }
    }
  }

  // RFC 7644 §3.4.1
  async get(context: RequestContext, id: string, withMembers: boolean): Promise<StoredGroup> {
    const group = await this.store.get(context.tenantId, id, { withRelations: withMembers });
    if (!group) throw ScimError.notFound(`Group ${id} not found`);
    return group;
  }

  // RFC 7644 §3.5.1
  async replace(context: RequestContext, id: string, body: unknown, condition: WriteCondition): Promise<StoredGroup> {
    const current = await this.get(context, id, false);
    const view = await this.viewOf(context.tenantId);
    const write = await this.withDisplays(context.tenantId, toWrite(body, view.groups));
    assertImmutableUnchanged(current.attributes, write.attributes, view.groups);
    const attributes = carryAssignedValues(current.attributes, write.attributes, view.server.groups);
    return this.store.replace(context.tenantId, id, { ...write, attributes }, condition, new RequestEvents(context, view));
  }

  // RFC 7644 §3.5.2: attribute operations apply to the stored group, inside storage's transaction
  // on it, so that concurrent patches are applied one after the other and none is lost; member
  // operations become set operations that storage runs in SQL, so their cost does not grow with
  // the group.
  async patch(context: RequestContext, id: string, body: unknown, condition: WriteCondition, withMembers: boolean): Promise<StoredGroup> {
    const operations = clientOperations(readPatchRequest(body));
    const view = await this.viewOf(context.tenantId);
    const split = splitMemberOperations(operations, view.groupPatch.resourceType, view.registry);
    const { attributeOperations } = split;
    const keep = await this.keepsClientDisplay(context.tenantId);
    const memberChanges = split.memberChanges.map((change) =>
      change.kind === "add" || change.kind === "replace" ? { ...change, members: displays(change.members, keep) } : change,
    );
    const attributes =
      attributeOperations.length === 0
        ? undefined
        : (current: Attributes) => carryAssignedValues(current, applyPatch(current, attributeOperations, view.groupPatch), view.server.groups);
    const patch = { ...(attributes ? { attributes } : {}), memberChanges, extensions: view.groups.extensions };
    return this.store.patch(context.tenantId, id, patch, condition, { withRelations: withMembers }, new RequestEvents(context, view));
  }

  // RFC 7643 §4.2: members are shown with their current names; a display a client sends is kept
  // only where the tenant asks for it (options.ts).
  private async withDisplays(tenantId: string, write: GroupWrite): Promise<GroupWrite> {
    return { ...write, members: displays(write.members, await this.keepsClientDisplay(tenantId)) };
  }

  // The Group schemas with the extensions this tenant has.
  private async viewOf(tenantId: string): Promise<SchemaView> {
    return (await this.extensions.extensionsOf(tenantId, false)).view;
  }

  private async keepsClientDisplay(tenantId: string): Promise<boolean> {
    return (await this.options.option(tenantId, memberDisplayOption)) === "client";
  }

  // RFC 7644 §3.6
  async remove(context: RequestContext, id: string, condition: WriteCondition): Promise<void> {
    await this.store.remove(context.tenantId, id, condition, new RequestEvents(context, await this.viewOf(context.tenantId)));
  }

  // RFC 7644 §3.4.2
  list(context: RequestContext, query: ListQuery, withMembers: boolean): Promise<Page<StoredGroup>> {
    return this.store.list(context.tenantId, query, { withRelations: withMembers });
  }
}

function displays(members: readonly MemberRef[], keepClientDisplay: boolean): MemberRef[] {
  return keepClientDisplay ? [...members] : members.map(({ display: _display, ...member }) => member);
}

function toWrite(body: unknown, schemas: ResourceSchemas): GroupWrite {
  const { schemas: _schemas, members: _members, ...attributes } = readResource(body, schemas).resource;
  // RFC 7643 §4.2: members are referenced by id; storage settles each one's type and display from
  // what it is. They are read from the body as sent: reading the resource drops the readOnly
  // display, which would leave a member sent without a value looking like no member at all.
  return { attributes, members: membersOf(sentMembers(body)), extensions: schemas.extensions };
}

function sentMembers(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const names = new Set(["members", `${groupUrn}:members`.toLowerCase()]);
  return Object.entries(body).find(([key]) => names.has(key.toLowerCase()))?.[1];
}
