import { sameJson } from "../scim/resource/json.ts";
import { TenantExtensionsChanged } from "../scim/ports.ts";
import type {
  Allocate,
  Attributes,
  ChangeEvents, GroupRef, ListQuery, Page, ReadOptions, StoredUser, UserStore, UserWrite, WriteCondition,
} from "../scim/ports.ts";
import { enterpriseUserUrn } from "../scim/schema/urns.ts";
import { writeTime } from "./clock.ts";
import { newId } from "./ids.ts";
import { referenceName, referenceNameOf, refreshMemberDisplay } from "./member-display.ts";
import { translateDatabaseError } from "./errors.ts";
import { extensionsGuard } from "./tenants.ts";
import { extensionValueRows, extensionValuesChanged, indexedAttributesOf, type IndexedAttribute } from "./extension-values.ts";
import { elementOwners } from "./query/elements.ts";
import { PagePositions } from "./query/positions.ts";
import { listPage, resourceRow, type ResourceRow as UserRow } from "./query/list.ts";
import { placeholders } from "./query/condition.ts";
import { insertSql, updateSql } from "./query/statements.ts";
import { userTarget } from "./query/targets.ts";
import { equalities, lockedRow, readRow, resourceColumnList, rowStatement, storedResource, writableOf } from "./versioned.ts";
import { eventStatements } from "./events.ts";
import { leaveGroups } from "./memberships.ts";
import { nextNumber } from "./sequences.ts";
import { runStatement, runStatements, type Sql, type SqlRow, type SqlStatement } from "./driver/sql.ts";
import { changedColumnValues, derivedColumnNames, multiValuedUserAttributes, userColumnList, userColumnValues, userValueRows } from "./user-columns.ts";

// Users as SQL (the Sql port, driver/sql.ts): a row per user with its filterable attributes in columns, and value rows
// for multi-valued and indexed extension attributes, written in the same transaction.
export class SqlUserStore implements UserStore {
  // Where recent startIndex pages ended, so that the next page seeks (query/positions.ts).
  readonly #positions = new PagePositions();

  constructor(private readonly sql: Sql) {}

  // The INSERTs of the user, its value rows and its event, in one transaction; nothing is read
  // back, since every column written is known here. Sent as a batch, so that concurrent creates
  // share a commit (driver/sqlite.ts).
  async create(tenantId: string, write: UserWrite, events: ChangeEvents, stamp?: string): Promise<StoredUser> {
    const id = newId();
    const now = writeTime();
    const row = { id, version: 1, created: now, lastModified: now, doc: JSON.stringify(write.attributes) };
    const statements: SqlStatement[] = [
      {
        text: userInsertText,
        args: [id, tenantId, 1, now, now, row.doc, ...userColumnList(write.attributes), write.passwordHash ?? null],
      },
    ];
    const values = userValueRows(tenantId, id, write.attributes);
    if (values.length > 0) statements.push(insertSql("UserValue", values));
    const extensions = extensionValueRows(tenantId, write.attributes, indexedOf(write)).map((value) => ({ ...value, userId: id }));
    if (extensions.length > 0) statements.push(insertSql("ExtensionValue", extensions));
    const created = await withManagerName(this.sql, tenantId, toStoredUser(row, []));
    statements.push(...eventStatements(tenantId, events.userCreated(created)));
    if (stamp === undefined) {
      await this.sql.batch(statements).catch((error) => translateDatabaseError(error, "User"));
    } else {
      const guard = extensionsGuard(this.sql, tenantId, stamp);
      const held = await this.sql.guardedBatch(guard, statements).catch((error) => translateDatabaseError(error, "User"));
      if (held === undefined) throw new TenantExtensionsChanged();
    }
    return created;
  }

  async get(tenantId: string, id: string, options: ReadOptions): Promise<StoredUser | undefined> {
    const row = await readRow(this.sql, "User", tenantId, id);
    if (!row) return undefined;
    return toStoredUser(row, options.withRelations ? (await groupsOf(this.sql, tenantId, [id])).get(id) ?? [] : undefined);
  }

  async replace(tenantId: string, id: string, write: UserWrite, condition: WriteCondition, events: ChangeEvents): Promise<StoredUser> {
    return this.sql
      .transaction(async (tx) => {
        const current = await lockedRow(tx, "User", tenantId, id, condition);
        const groups = (await groupsOf(tx, tenantId, [id])).get(id) ?? [];
        const before = await withManagerName(tx, tenantId, toStoredUser(current, groups));
        if (unchanged(before, write)) return before;
        const doc = JSON.stringify(write.attributes);
        const next = { ...current, doc, version: current.version + 1, lastModified: writeTime() };
        const set = {
          ...userColumnValues(write.attributes),
          ...(write.passwordHash === undefined ? {} : { passwordHash: write.passwordHash }),
          doc,
          version: next.version,
          lastModified: next.lastModified,
        };
        await runStatement(tx, updateSql("User", set, { tenantId, id }));
        await rewriteValueRows(tx, tenantId, id, write.attributes, { values: true, extensions: true }, indexedOf(write));
        await refreshMemberDisplay(tx, tenantId, id, referenceName(write.attributes));
        const after = await withManagerName(tx, tenantId, toStoredUser(next, groups));
        await runStatements(tx, eventStatements(tenantId, events.userUpdated(before, after, write.passwordHash !== undefined)));
        return after;
      })
      .catch((error) => translateDatabaseError(error, "User"));
  }

  // Optimistic first: the user is read, changed and written back only if its version is still
  // the one read, so a patch that changes only columns of the User row (active, name, title, ...)
  // is two reads (the user, its groups) and one guarded batch of the UPDATE of the columns that
  // changed and the change's event, without a transaction of its own (the batch shares a commit
  // with concurrent writes: driver/sqlite.ts). When another write came first, the change is
  // applied again to what that write left; after a few such retries (many writers on one user)
  // the patch takes the row first and cannot lose again. Either way concurrent patches of one
  // user apply one after the other and none is lost.
  async patch(
    tenantId: string,
    id: string,
    change: (current: StoredUser, allocate: Allocate) => Promise<UserWrite>,
    condition: WriteCondition,
    events: ChangeEvents,
  ): Promise<StoredUser> {
    const allocate: Allocate = (name) => nextNumber(this.sql, tenantId, name);
    for (let attempt = 0; attempt < optimisticAttempts; attempt++) {
      // The user and its groups, read together.
      const [rows, memberships] = await this.sql.queries([rowStatement("User", tenantId, id), membershipsStatement(tenantId, [id])]);
      const current = writableOf(rows!, "User", id, condition);
      const groups = groupsFrom(memberships!).get(id) ?? [];
      const before = toStoredUser(current, groups);
      const write = await change(before, allocate);
      if (unchanged(before, write)) return before;
      const next = { ...current, doc: JSON.stringify(write.attributes), lastModified: writeTime(), version: current.version + 1 };
      const after = await withManagerName(this.sql, tenantId, toStoredUser(next, groups));
      const data = { ...changedData(before.attributes, write), doc: next.doc, lastModified: next.lastModified, version: next.version };
      const update = updateSql("User", data, { tenantId, id, version: current.version });
      const eventWrites = eventStatements(tenantId, events.userUpdated(before, after, write.passwordHash !== undefined));
      const rewrites = valueRowRewrites(before.attributes, write.attributes, indexedOf(write));
      const renamed = referenceName(before.attributes) !== referenceName(write.attributes);
      const written =
        rewrites === undefined && !renamed
          ? (await this.sql.guardedBatch({ text: `${update.text} RETURNING "id"`, args: update.args }, eventWrites).catch((error) => translateDatabaseError(error, "User"))) !== undefined
          : await this.sql
              .transaction(async (tx) => {
                if ((await tx.execute(update.text, update.args)) === 0) return false;
                if (rewrites) await rewriteValueRows(tx, tenantId, id, write.attributes, rewrites, indexedOf(write));
                if (renamed) await refreshMemberDisplay(tx, tenantId, id, referenceName(write.attributes));
                await runStatements(tx, eventWrites);
                return true;
              })
              .catch((error) => translateDatabaseError(error, "User"));
      if (written) return after;
    }
    return this.patchLocked(tenantId, id, change, condition, events);
  }

  // The row is held first (lockedRow), so the change is applied to a state no other write can
  // replace.
  private async patchLocked(
    tenantId: string,
    id: string,
    change: (current: StoredUser, allocate: Allocate) => Promise<UserWrite>,
    condition: WriteCondition,
    events: ChangeEvents,
  ): Promise<StoredUser> {
    return this.sql
      .transaction(async (tx) => {
        const current = await lockedRow(tx, "User", tenantId, id, condition);
        const groups = (await groupsOf(tx, tenantId, [id])).get(id) ?? [];
        const before = toStoredUser(current, groups);
        const write = await change(before, (name) => nextNumber(tx, tenantId, name));
        if (unchanged(before, write)) return before;
        const next = { ...current, doc: JSON.stringify(write.attributes), lastModified: writeTime(), version: current.version + 1 };
        const data = { ...changedData(before.attributes, write), doc: next.doc, lastModified: next.lastModified, version: next.version };
        await runStatement(tx, updateSql("User", data, { tenantId, id }));
        const rewrites = valueRowRewrites(before.attributes, write.attributes, indexedOf(write));
        if (rewrites) await rewriteValueRows(tx, tenantId, id, write.attributes, rewrites, indexedOf(write));
        if (referenceName(before.attributes) !== referenceName(write.attributes)) {
          await refreshMemberDisplay(tx, tenantId, id, referenceName(write.attributes));
        }
        const after = await withManagerName(tx, tenantId, toStoredUser(next, groups));
        await runStatements(tx, eventStatements(tenantId, events.userUpdated(before, after, write.passwordHash !== undefined)));
        return after;
      })
      .catch((error) => translateDatabaseError(error, "User"));
  }

  async remove(tenantId: string, id: string, condition: WriteCondition, events: ChangeEvents): Promise<void> {
    await this.sql
      .transaction(async (tx) => {
        const current = await lockedRow(tx, "User", tenantId, id, condition);
        const user = await withManagerName(tx, tenantId, toStoredUser(current, (await groupsOf(tx, tenantId, [id])).get(id) ?? []));
        const written = [...events.userDeleted(user), ...(await leaveGroups(tx, tenantId, id, "User", events))];
        await tx.execute('DELETE FROM "User" WHERE "tenantId" = ? AND "id" = ?', [tenantId, id]);
        // Its reports lose their manager: each is a change, with a new version.
        const reports = await tx.query(
          `SELECT ${resourceColumnList} FROM "User" WHERE "tenantId" = ? AND "managerId" = ?`,
          [tenantId, userColumnValues({ userName: "", [enterpriseUserUrn]: { manager: { value: id } } }).managerId],
        );
        const now = writeTime();
        const reportGroups = reports.length === 0 ? new Map<string, GroupRef[]>() : await groupsOf(tx, tenantId, reports.map((report) => report.id as string));
        for (const report of reports.map(resourceRow)) {
          const before = toStoredUser(report, reportGroups.get(report.id) ?? []);
          const { [enterpriseUserUrn]: extension, ...rest } = before.attributes;
          const { manager: _manager, ...enterprise } = extension as Record<string, unknown>;
          // An extension left empty is no extension (as a write that empties it).
          const doc = JSON.stringify(Object.keys(enterprise).length > 0 ? { ...rest, [enterpriseUserUrn]: enterprise } : rest);
          await tx.execute(
            `UPDATE "User" SET "doc" = ?, "managerId" = NULL, "version" = "version" + 1, "lastModified" = ? WHERE "tenantId" = ? AND "id" = ?`,
            [doc, now, tenantId, report.id],
          );
          const after = toStoredUser({ ...report, doc, version: report.version + 1, lastModified: now }, reportGroups.get(report.id) ?? []);
          written.push(...events.userUpdated(before, after, false));
        }
        await runStatements(tx, eventStatements(tenantId, written));
      })
      .catch((error) => translateDatabaseError(error, "User"));
  }

  names(tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
    return namesOf(this.sql, tenantId, ids);
  }

  async list(tenantId: string, query: ListQuery, options: ReadOptions): Promise<Page<StoredUser>> {
    const { totalResults, rows, nextCursor } = await listPage(this.sql, tenantId, query, userTarget, elementOwners(this.sql), this.#positions);
    const groups = options.withRelations ? await groupsOf(this.sql, tenantId, rows.map((row) => row.id)) : undefined;
    const resources = rows.map((row) => toStoredUser(row, groups ? groups.get(row.id) ?? [] : undefined));
    return { totalResults, resources, ...(nextCursor ? { nextCursor } : {}) };
  }

  async authenticate(
    tenantId: string | undefined,
    userName: string,
    check: (passwordHash: string) => Promise<boolean>,
  ): Promise<{ tenantId: string; user: StoredUser } | undefined> {
    const where = { ...(tenantId === undefined ? {} : { tenantId }), userName: userColumnValues({ userName }).userName };
    const rows = await this.sql.query<SqlRow & { tenantId: string; passwordHash: string | null }>(
      `SELECT ${resourceColumnList}, "tenantId", "passwordHash" FROM "User" WHERE ${equalities(where)} ORDER BY "id" ASC LIMIT 10`,
      Object.values(where),
    );
    for (const row of rows) {
      if (row.passwordHash && (await check(row.passwordHash))) return { tenantId: row.tenantId, user: toStoredUser(resourceRow(row), undefined) };
    }
    return undefined;
  }
}

// The groups each user is a direct member of (RFC 7643 §4.1.2 "groups"), with their names, in
// one statement.
async function groupsOf(sql: Sql, tenantId: string, userIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
  if (userIds.length === 0) return new Map();
  const statement = membershipsStatement(tenantId, userIds);
  return groupsFrom(await sql.query(statement.text, statement.args));
}

function membershipsStatement(tenantId: string, userIds: readonly string[]): SqlStatement {
  return {
    text: `SELECT "GroupMember"."memberId", "GroupMember"."groupId", "Group"."doc" FROM "GroupMember"
     JOIN "Group" ON "Group"."id" = "GroupMember"."groupId" AND "Group"."tenantId" = "GroupMember"."tenantId"
     WHERE "GroupMember"."tenantId" = ? AND "GroupMember"."memberId" IN (${placeholders(userIds.length)})
     ORDER BY "GroupMember"."groupId"`,
    args: [tenantId, ...userIds],
  };
}

// The groups of each user, of the rows membershipsStatement read.
function groupsFrom(rows: readonly SqlRow[]): Map<string, GroupRef[]> {
  const memberships = rows as readonly { memberId: string; groupId: string; doc: string }[];
  const byUser = new Map<string, GroupRef[]>();
  const names = new Map<string, string>();
  for (const membership of memberships) {
    let display = names.get(membership.groupId);
    if (display === undefined) {
      display = String((JSON.parse(membership.doc) as { displayName?: unknown }).displayName ?? "");
      names.set(membership.groupId, display);
    }
    const list = byUser.get(membership.memberId) ?? [];
    list.push({ value: membership.groupId, display, type: "direct" });
    byUser.set(membership.memberId, list);
  }
  return byUser;
}

// The INSERT of a user row: its own columns, the derived ones, the password hash.
const userInsertText = insertSql(
  "User",
  [Object.fromEntries(["id", "tenantId", "version", "created", "lastModified", "doc", ...derivedColumnNames, "passwordHash"].map((name) => [name, null]))],
).text;

// Ids per lookup of names, within SQLite's bind parameters.
const namesPerQuery = 500;

// Optimistic attempts of a PATCH before it takes the row (UserStore.patch).
const optimisticAttempts = 3;

// Which value rows a change of attributes rewrites, if any: UserValue rows only when a
// multi-valued attribute changed (not for `active`), ExtensionValue rows only when an indexed
// extension value did.
interface ValueRowRewrites {
  readonly values: boolean;
  readonly extensions: boolean;
}

function valueRowRewrites(before: Attributes, after: Attributes, indexed: readonly IndexedAttribute[]): ValueRowRewrites | undefined {
  const values = multiValuedChanged(before, after);
  const extensions = extensionValuesChanged(before, after, indexed);
  return values || extensions ? { values, extensions } : undefined;
}

// The extension attributes a write's rows index: those of the tenant's schemas it names.
function indexedOf(write: UserWrite): readonly IndexedAttribute[] {
  return indexedAttributesOf(write.extensions);
}

async function rewriteValueRows(
  tx: Sql,
  tenantId: string,
  id: string,
  attributes: Attributes,
  rewrites: ValueRowRewrites,
  indexed: readonly IndexedAttribute[],
): Promise<void> {
  if (rewrites.values) {
    await tx.execute('DELETE FROM "UserValue" WHERE "userId" = ?', [id]);
    const rows = userValueRows(tenantId, id, attributes);
    if (rows.length > 0) await runStatement(tx, insertSql("UserValue", rows));
  }
  if (rewrites.extensions) {
    await tx.execute('DELETE FROM "ExtensionValue" WHERE "userId" = ?', [id]);
    const rows = extensionValueRows(tenantId, attributes, indexed).map((row) => ({ ...row, userId: id }));
    if (rows.length > 0) await runStatement(tx, insertSql("ExtensionValue", rows));
  }
}

// What an UPDATE of a user must set besides doc and version: the columns whose values the write
// changes (index entries of the others are left alone), and a new password hash if any.
function changedData(before: Attributes, write: UserWrite) {
  return {
    ...changedColumnValues(before, write.attributes),
    ...(write.passwordHash === undefined ? {} : { passwordHash: write.passwordHash }),
  };
}

function multiValuedChanged(before: Attributes, after: Attributes): boolean {
  return multiValuedUserAttributes.some((attr) => !sameJson(before[attr], after[attr]));
}

function toStoredUser(row: UserRow, groups: GroupRef[] | undefined): StoredUser {
  return { ...storedResource(row), ...(groups ? { groups } : {}) };
}

// A write that would leave the user as it is: the same attributes, and no password set.
function unchanged(before: StoredUser, write: UserWrite): boolean {
  return write.passwordHash === undefined && sameJson(before.attributes, write.attributes);
}

async function namesOf(sql: Sql, tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += namesPerQuery) {
    const chunk = ids.slice(i, i + namesPerQuery);
    const rows = await sql.query<{ id: string; doc: string }>(
      `SELECT "id", "doc" FROM "User" WHERE "tenantId" = ? AND "id" IN (${placeholders(chunk.length)})`,
      [tenantId, ...chunk],
    );
    for (const row of rows) names.set(row.id, referenceNameOf(row.doc));
  }
  return names;
}

// The user with its manager's current name, as the core renders it (StoredUser.managerName), for
// its events: looked up through `sql`, the write's transaction when there is one.
async function withManagerName(sql: Sql, tenantId: string, user: StoredUser): Promise<StoredUser> {
  const manager = (user.attributes[enterpriseUserUrn] as { manager?: { value?: unknown } } | undefined)?.manager?.value;
  if (typeof manager !== "string") return user;
  const name = (await namesOf(sql, tenantId, [manager])).get(manager);
  return name === undefined ? user : { ...user, managerName: name };
}
