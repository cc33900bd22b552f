import type { RequestContext } from "./context.ts";
import { assertImmutableUnchanged } from "./resource/immutability.ts";
import { readResource } from "./resource/input.ts";
import type { ResourceSchemas } from "./resource/resource-schemas.ts";
import type { SchemaView } from "./schema/view.ts";
import {
  TenantExtensionsChanged,
  type Attributes, type ExtensionReader, type Page, type ListQuery, type SequenceStore, type StoredUser, type UserStore, type UserWrite,
  type WriteCondition,
} from "./ports.ts";
import { carryAssignedValues, withAssignedValues } from "./resource/assigned.ts";
import { ScimError } from "./errors.ts";
import { applyPatch } from "./patch/apply.ts";
import { clientOperations } from "./patch/quirks/index.ts";
import { readPatchRequest } from "./patch/operations.ts";
import { enterpriseUserUrn } from "./schema/urns.ts";
import { managerReferencesOption, type OptionReader } from "./options.ts";
import { RequestEvents } from "./change-events.ts";

// How passwords are hashed and checked (auth/passwords.ts).
export interface Passwords {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

// RFC 7644 §3.3, §3.4.1, §3.5.1, §3.6: the User operations.
export class UserService {
  constructor(
    private readonly store: UserStore,
    private readonly passwords: Passwords,
    private readonly sequences: SequenceStore,
    private readonly options: OptionReader,
    private readonly extensions: ExtensionReader,
  ) {}

  // RFC 7644 §3.3. The user gets the server-assigned values (product ids) of every extension the
  // tenant has, in the write that creates it; extensions the tenant lacks are ignored like unknown
  // schemas. Should the tenant gain an extension meanwhile, the create starts again (ports.ts).
  async create(context: RequestContext, body: unknown): Promise<StoredUser> {
    for (let fresh = false; ; fresh = true) {
      const extensions = await this.extensions.extensionsOf(context.tenantId, fresh);
      const schemas = extensions.view.users;
      const write = await this.toWrite(body, schemas);
      await this.assertManager(context.tenantId, undefined, write.attributes);
      const urns = schemas.extensions.map((extension) => extension.id);
      const attributes = await withAssignedValues(write.attributes, schemas, (name) => this.sequences.next(context.tenantId, name), urns);
      try {
        const events = new RequestEvents(context, extensions.view);
        return this.withManagerName(context.tenantId, await this.store.create(context.tenantId, { ...write, attributes }, events, extensions.stamp));
      } catch (error) {
        if (!(error instanceof TenantExtensionsChanged)) throw error;
      }
    }
  }

  // The user whose userName is `userName` and whose password is `password`, if any, in the
  // tenant given or, for a sign-in that names no tenant, in whichever tenant has one.
  authenticate(tenantId: string | undefined, userName: string, password: string): Promise<{ tenantId: string; user: StoredUser } | undefined> {
    return this.store.authenticate(tenantId, userName, (hash) => this.passwords.verify(password, hash));
  }

  // RFC 7644 §3.4.1
  async get(context: RequestContext, id: string, withGroups: boolean): Promise<StoredUser> {
    const user = await this.store.get(context.tenantId, id, { withRelations: withGroups });
    if (!user) throw ScimError.notFound(`User ${id} not found`);
    return this.withManagerName(context.tenantId, user);
  }

  // RFC 7644 §3.5.1: attributes the body omits are cleared, readOnly ones ignored, immutable ones
  // must not change. A password the body omits is kept: clients cannot read it back to resend it.
  async replace(context: RequestContext, id: string, body: unknown, condition: WriteCondition): Promise<StoredUser> {
    const current = await this.get(context, id, false);
    const view = await this.viewOf(context.tenantId);
    const write = await this.toWrite(body, view.users);
    assertImmutableUnchanged(current.attributes, write.attributes, view.users);
    await this.assertManager(context.tenantId, current.attributes, write.attributes);
    const attributes = carryAssignedValues(current.attributes, write.attributes, view.server.users);
    const replaced = await this.store.replace(context.tenantId, id, { ...write, attributes }, condition, new RequestEvents(context, view));
    return this.withManagerName(context.tenantId, replaced);
  }

  // RFC 7644 §3.5.2: operations apply to the stored user all or nothing, inside storage's
  // transaction on it, so that concurrent patches are applied one after the other and none is lost.
  async patch(context: RequestContext, id: string, body: unknown, condition: WriteCondition): Promise<StoredUser> {
    const operations = clientOperations(readPatchRequest(body));
    const view = await this.viewOf(context.tenantId);
    const patched = await this.store.patch(
      context.tenantId,
      id,
      async (current) => {
        const { password, ...attributes } = applyPatch(current.attributes, operations, view.userPatch);
        await this.assertManager(context.tenantId, current.attributes, attributes);
        return {
          // The patched resource is read back like a PUT body, which drops readOnly values. A removed
          // `active` stays unassigned (RFC 7644 §3.5.2.2), unlike one a create or PUT leaves out.
          attributes: carryAssignedValues(current.attributes, attributes, view.server.users),
          extensions: view.users.extensions,
          passwordHash: typeof password === "string" ? await this.passwords.hash(password) : undefined,
        };
      },
      condition,
      new RequestEvents(context, view),
    );
    return this.withManagerName(context.tenantId, patched);
  }

  // RFC 7644 §3.6
  async remove(context: RequestContext, id: string, condition: WriteCondition): Promise<void> {
    await this.store.remove(context.tenantId, id, condition, new RequestEvents(context, await this.viewOf(context.tenantId)));
  }

  // RFC 7644 §3.4.2
  async list(context: RequestContext, query: ListQuery, withGroups: boolean): Promise<Page<StoredUser>> {
    const page = await this.store.list(context.tenantId, query, { withRelations: withGroups });
    return { ...page, resources: await this.withManagerNames(context.tenantId, page.resources) };
  }

  // RFC 7643 §4.3: manager.value names another user of the same tenant. Checked when it changes
  // (unless the tenant reads it as opaque: options.ts); its displayName and $ref are the server's
  // (filled when read, from the tenant's own users only), so only the value is stored.
  private async assertManager(tenantId: string, before: Attributes | undefined, after: Record<string, unknown>): Promise<void> {
    const enterprise = after[enterpriseUserUrn] as Record<string, unknown> | undefined;
    const manager = enterprise?.manager as Record<string, unknown> | undefined;
    if (manager === undefined) return;
    const value = manager.value;
    if (typeof value !== "string" || value === "") throw ScimError.invalidValue("manager.value must name a user");
    // Whatever the client sent besides the value (a $ref, a display name) is not kept.
    (enterprise as Record<string, unknown>).manager = { value };
    if (managerOf(before) === value) return;
    if ((await this.options.option(tenantId, managerReferencesOption)) === "opaque") return;
    if (!(await this.store.names(tenantId, [value])).has(value)) {
      throw ScimError.invalidValue(`manager.value "${value}" is not a user of this tenant`);
    }
  }

  private async withManagerName(tenantId: string, user: StoredUser): Promise<StoredUser> {
    return (await this.withManagerNames(tenantId, [user]))[0] as StoredUser;
  }

  // One lookup for every manager a page of users names (a write's user comes from storage with
  // its manager's name already, read for its event).
  private async withManagerNames(tenantId: string, users: readonly StoredUser[]): Promise<StoredUser[]> {
    const ids = [...new Set(users.flatMap((user) => (user.managerName === undefined ? managerOf(user.attributes) ?? [] : [])))];
    if (ids.length === 0) return [...users];
    const names = await this.store.names(tenantId, ids);
    return users.map((user) => {
      if (user.managerName !== undefined) return user;
      const name = names.get(managerOf(user.attributes) ?? "");
      return name === undefined ? user : { ...user, managerName: name };
    });
  }

  // The User schemas with the extensions this tenant has.
  private async viewOf(tenantId: string): Promise<SchemaView> {
    return (await this.extensions.extensionsOf(tenantId, false)).view;
  }

  private async toWrite(body: unknown, schemas: ResourceSchemas): Promise<UserWrite> {
    const { schemas: _schemas, password, ...attributes } = readResource(body, schemas).resource;
    return {
      attributes: withActive(attributes),
      extensions: schemas.extensions,
      passwordHash: typeof password === "string" ? await this.passwords.hash(password) : undefined,
    };
  }
}

function managerOf(attributes: Attributes | undefined): string | undefined {
  const manager = (attributes?.[enterpriseUserUrn] as Record<string, unknown> | undefined)?.manager as Record<string, unknown> | undefined;
  return typeof manager?.value === "string" ? manager.value : undefined;
}

// A user created or replaced without `active` is active: stored and returned so, so that filters
// and reads agree (RFC 7644 §3.5.1 lets the server assign defaults). Only a PATCH that removes it
// leaves it unassigned.
function withActive(attributes: Attributes): Attributes {
  return attributes.active === undefined ? { ...attributes, active: true } : attributes;
}
