import type { NewEvent } from "../events/catalogue.ts";
import type { AttributeRef, Filter } from "./filter/ast.ts";
import type { SchemaDefinition } from "./schema/types.ts";
import type { SchemaView } from "./schema/view.ts";

// The storage ports the core calls. store/ implements them over Prisma; the core never sees rows.

// A resource's attributes as the core keeps them: canonical attribute names, core attributes at
// the top level, extension attributes under their schema URN. No id, meta, password or groups.
export type Attributes = Record<string, unknown>;

export interface Versioned {
  readonly id: string;
  readonly version: number;
  readonly created: Date;
  readonly lastModified: Date;
}

export interface MemberRef {
  readonly value: string;
  readonly type: "User" | "Group";
  readonly display?: string;
}

export interface GroupRef {
  readonly value: string;
  readonly display: string;
  readonly type: "direct";
}

export interface StoredUser extends Versioned {
  readonly attributes: Attributes;
  // Present when requested: the groups the user is a direct member of.
  readonly groups?: readonly GroupRef[];
  // The current name of the user's manager (its displayName, else its userName), when the user
  // has one that exists: rendered as manager.displayName, never stored.
  readonly managerName?: string;
}

export interface StoredGroup extends Versioned {
  readonly attributes: Attributes;
  // Present when requested.
  readonly members?: readonly MemberRef[];
}

export interface UserWrite {
  readonly attributes: Attributes;
  // A hash to store; null clears the password; undefined keeps the stored one.
  readonly passwordHash: string | null | undefined;
  // The extension schemas of the user's tenant, whose simple attributes storage indexes for
  // filters.
  readonly extensions: readonly SchemaDefinition[];
}

export interface GroupWrite {
  readonly attributes: Attributes;
  readonly members: readonly MemberRef[];
  // As UserWrite.extensions.
  readonly extensions: readonly SchemaDefinition[];
}

export interface PageRequest {
  // RFC 7644 §3.4.2.4: 1-based.
  readonly startIndex: number;
  readonly count: number;
}

// RFC 7644 §3.4.2: a list request, resolved against the resource type's schema.
export interface ListQuery extends PageRequest {
  readonly filter?: Filter;
  readonly sortBy?: AttributeRef;
  readonly sortOrder?: "ascending" | "descending";
  // RFC 9865: present for cursor pagination ("" asks for the first page); startIndex is then unused.
  readonly cursor?: string;
}

export interface Page<T> {
  readonly totalResults: number;
  readonly resources: readonly T[];
  // RFC 9865: with cursor pagination, the cursor of the next page when there is one.
  readonly nextCursor?: string;
}

export interface ReadOptions {
  readonly withRelations: boolean;
}

export interface WriteCondition {
  // When set, the write happens only if the stored version is this one (RFC 7644 §3.14).
  readonly ifVersion?: number;
}

// The extension schemas a tenant has beyond those every tenant has (the product extensions of the
// compat APIs it enabled), as read at one moment, named by `stamp`.
export interface TenantExtensions {
  readonly stamp: string;
  // The tenant's schemas: those extensions, and the ones its operator defined.
  readonly view: SchemaView;
}

export interface ExtensionReader {
  // `fresh`: read now, not from a cache (after a create found the tenant changed).
  extensionsOf(tenantId: string, fresh: boolean): Promise<TenantExtensions>;
}

// A create given a stamp writes only while the tenant's extensions are still the ones it names,
// checked in the create's transaction, so that an extension enabled meanwhile (whose ids are
// assigned to the resources that exist when it is enabled) cannot miss the new resource. When
// they are not, nothing is written and the create throws this.
export class TenantExtensionsChanged extends Error {
  constructor() {
    super("The tenant's extensions changed while the resource was being created");
  }
}

// What a change means as events (docs/events.md), as the core describes it: storage calls these
// with the states it read and wrote, inside the write, and writes the events they return in the
// change's transaction. A write that changes nothing is not made, and describes no event.
export interface ChangeEvents {
  userCreated(user: StoredUser): NewEvent[];
  // `passwordChanged`: the write set a password (which no state shows).
  userUpdated(before: StoredUser, after: StoredUser, passwordChanged: boolean): NewEvent[];
  userDeleted(user: StoredUser): NewEvent[];
  // With its members: their member_added events follow.
  groupCreated(group: StoredGroup): NewEvent[];
  // The group's own attributes; members are membersChanged's.
  groupUpdated(before: StoredGroup, after: StoredGroup): NewEvent[];
  groupDeleted(group: StoredGroup): NewEvent[];
  // `group` as it is after the change, without members.
  membersChanged(group: StoredGroup, added: readonly MemberRef[], removed: readonly MemberRef[]): NewEvent[];
}

export interface UserStore {
  create(tenantId: string, write: UserWrite, events: ChangeEvents, stamp?: string): Promise<StoredUser>;
  get(tenantId: string, id: string, options: ReadOptions): Promise<StoredUser | undefined>;
  // A replacement equal to the stored user (and setting no password) writes nothing.
  replace(tenantId: string, id: string, write: UserWrite, condition: WriteCondition, events: ChangeEvents): Promise<StoredUser>;
  // RFC 7644 §3.5.2: the new state is computed from the stored one while storage holds the user,
  // so that concurrent patches apply one after the other and none is lost. Sequence numbers the
  // change needs come from `allocate`, in the same transaction as the write when there is one.
  // A change that leaves the user as it was writes nothing.
  patch(
    tenantId: string,
    id: string,
    change: (current: StoredUser, allocate: Allocate) => Promise<UserWrite>,
    condition: WriteCondition,
    events: ChangeEvents,
  ): Promise<StoredUser>;
  // Also takes the user out of its reports' manager and out of its groups (a change to each of
  // them, in the same transaction), as a reference to a user that no longer exists would mean
  // nothing.
  remove(tenantId: string, id: string, condition: WriteCondition, events: ChangeEvents): Promise<void>;
  list(tenantId: string, query: ListQuery, options: ReadOptions): Promise<Page<StoredUser>>;
  // The current names (displayName, else userName) of those of `ids` that are users of the tenant.
  names(tenantId: string, ids: readonly string[]): Promise<Map<string, string>>;
  // The user with this userName (compared as userName is, case-insensitively) whose password
  // hash `check` accepts, in the tenant given or, for a sign-in that names no tenant, in any.
  authenticate(
    tenantId: string | undefined,
    userName: string,
    check: (passwordHash: string) => Promise<boolean>,
  ): Promise<{ tenantId: string; user: StoredUser } | undefined>;
}

// RFC 7644 §3.5.2 on a group: how its attributes change (computed from the stored ones while
// storage holds the group), when they do, and membership changes.
// A change of a group's members, as PATCH operations on `members` become (patch/members.ts).
export type MemberChange =
  | { readonly kind: "add"; readonly members: readonly MemberRef[] }
  | { readonly kind: "remove"; readonly ids: readonly string[] }
  | { readonly kind: "removeWhere"; readonly filter: Filter }
  | { readonly kind: "replace"; readonly members: readonly MemberRef[] };

export interface GroupPatch {
  readonly attributes?: (current: Attributes) => Attributes;
  // As UserWrite.extensions.
  readonly extensions: readonly SchemaDefinition[];
  readonly memberChanges: readonly MemberChange[];
}

export interface GroupStore {
  create(tenantId: string, write: GroupWrite, events: ChangeEvents, stamp?: string): Promise<StoredGroup>;
  get(tenantId: string, id: string, options: ReadOptions): Promise<StoredGroup | undefined>;
  // As for users, a replacement or a patch that changes nothing writes nothing.
  replace(tenantId: string, id: string, write: GroupWrite, condition: WriteCondition, events: ChangeEvents): Promise<StoredGroup>;
  patch(tenantId: string, id: string, patch: GroupPatch, condition: WriteCondition, options: ReadOptions, events: ChangeEvents): Promise<StoredGroup>;
  // Also takes the group out of the groups it is a member of.
  remove(tenantId: string, id: string, condition: WriteCondition, events: ChangeEvents): Promise<void>;
  list(tenantId: string, query: ListQuery, options: ReadOptions): Promise<Page<StoredGroup>>;
}

// The next number of a tenant's sequence (SequenceStore.next for one tenant).
export type Allocate = (sequence: string) => Promise<number>;

// Per-tenant integer sequences for server-assigned attributes. `next` returns 1, 2, 3, ... for
// one (tenant, name), each number once, whichever process asks.
export interface SequenceStore {
  next(tenantId: string, name: string): Promise<number>;
}
