import { randomUUID } from "node:crypto";
import { sameJson } from "../scim/resource/json.ts";
import { TenantExtensionsChanged } from "../scim/ports.ts";
import type {
  Allocate,
  Attributes,
  GroupRef, ListQuery, Page, ReadOptions, StoredUser, UserStore, UserWrite, WriteCondition,
} from "../scim/ports.ts";
import { enterpriseUserUrn } from "../scim/schema/urns.ts";
import { writeTime } from "./clock.ts";
import { referenceName, referenceNameOf, refreshMemberDisplay } from "./member-display.ts";
import { translateDatabaseError } from "./errors.ts";
import { extensionsGuard } from "./tenants.ts";
import { extensionValueRows, extensionValuesChanged, indexedAttributesOf, type IndexedAttribute } from "./extension-values.ts";
import { elementOwners } from "./query/elements.ts";
import { listPage, resourceRow, type ResourceRow as UserRow } from "./query/list.ts";
import { placeholders } from "./query/condition.ts";
import { insertSql, updateSql } from "./query/statements.ts";
import { userTarget } from "./query/targets.ts";
import { bumpRow, deleteRow, equalities, readRow, resourceColumnList, storedResource, writableRow } from "./versioned.ts";
import { nextNumber } from "./sequences.ts";
import { runStatement, type Sql, type SqlRow, type SqlStatement } from "./driver/sql.ts";
import { changedColumnValues, derivedColumnNames, multiValuedUserAttributes, userColumnList, userColumnValues, userValueRows } from "./user-columns.ts";

// Users as SQL (the Sql port, driver/sql.ts): a row per user with its filterable attributes in columns, and value rows
// for multi-valued and indexed extension attributes, written in the same transaction.
export class SqlUserStore implements UserStore {
  constructor(private readonly sql: Sql) {}

  // One INSERT when the user has no multi-valued or indexed extension values, else the inserts in
  // one transaction; nothing is read back, since every column written is known here. Sent as a
  // batch, so that concurrent creates share a commit (driver/sqlite.ts).
  async create(tenantId: string, write: UserWrite, stamp?: string): Promise<StoredUser> {
    const id = randomUUID();
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
    if (stamp === undefined) {
      await this.sql.batch(statements).catch((error) => translateDatabaseError(error, "User"));
    } else {
      const guard = extensionsGuard(this.sql, tenantId, stamp);
      const held = await this.sql.guardedBatch(guard, statements).catch((error) => translateDatabaseError(error, "User"));
      if (held === undefined) throw new TenantExtensionsChanged();
    }
    return toStoredUser(row, []);
  }

  async get(tenantId: string, id: string, options: ReadOptions): Promise<StoredUser | undefined> {
    const row = await readRow(this.sql, "User", tenantId, id);
    if (!row) return undefined;
    return toStoredUser(row, options.withRelations ? await this.groupsOf(tenantId, [id]).then((map) => map.get(id) ?? []) : undefined);
  }

  async replace(tenantId: string, id: string, write: UserWrite, condition: WriteCondition): Promise<StoredUser> {
    const set = {
      ...userColumnValues(write.attributes),
      ...(write.passwordHash === undefined ? {} : { passwordHash: write.passwordHash }),
      doc: JSON.stringify(write.attributes),
    };
    const row = await this.sql
      .transaction(async (tx) => {
        const updated = await bumpRow(tx, "User", tenantId, id, condition, set);
        await rewriteValueRows(tx, tenantId, id, write.attributes, { values: true, extensions: true }, indexedOf(write));
        await refreshMemberDisplay(tx, tenantId, id, referenceName(write.attributes));
        return updated;
      })
      .catch((error) => translateDatabaseError(error, "User"));
    return toStoredUser(row, (await this.groupsOf(tenantId, [id])).get(id) ?? []);
  }

  // Optimistic first: the user is read, changed and written back only if its version is still
  // the one read, so a patch that changes only columns of the User row (active, name, title, ...)
  // is one read and one UPDATE of the columns that changed, without a transaction of its own (the
  // UPDATE is sent as a batch, so that concurrent writes share a commit: driver/sqlite.ts). When another
  // write came first, the change is applied again to what that write left; after a few such
  // retries (many writers on one user) the patch takes the row first and cannot lose again.
  // Either way concurrent patches of one user apply one after the other and none is lost.
  async patch(
    tenantId: string,
    id: string,
    change: (current: StoredUser, allocate: Allocate) => Promise<UserWrite>,
    condition: WriteCondition,
  ): Promise<StoredUser> {
    const allocate: Allocate = (name) => nextNumber(this.sql, tenantId, name);
    for (let attempt = 0; attempt < optimisticAttempts; attempt++) {
      const current = await writableRow(this.sql, "User", tenantId, id, condition);
      const before = toStoredUser(current, undefined);
      const write = await change(before, allocate);
      const next = { ...current, doc: JSON.stringify(write.attributes), lastModified: writeTime(), version: current.version + 1 };
      const data = { ...changedData(before.attributes, write), doc: next.doc, lastModified: next.lastModified, version: next.version };
      const where = { tenantId, id, version: current.version };
      const rewrites = valueRowRewrites(before.attributes, write.attributes, indexedOf(write));
      const renamed = referenceName(before.attributes) !== referenceName(write.attributes);
      const update = updateSql("User", data, where);
      const written =
        rewrites === undefined && !renamed
          ? (await this.sql.batch([update]).catch((error) => translateDatabaseError(error, "User")))[0] === 1
          : await this.sql
              .transaction(async (tx) => {
                if ((await tx.execute(update.text, update.args)) === 0) return false;
                if (rewrites) await rewriteValueRows(tx, tenantId, id, write.attributes, rewrites, indexedOf(write));
                if (renamed) await refreshMemberDisplay(tx, tenantId, id, referenceName(write.attributes));
                return true;
              })
              .catch((error) => translateDatabaseError(error, "User"));
      if (written) return toStoredUser(next, (await this.groupsOf(tenantId, [id])).get(id) ?? []);
    }
    return this.patchLocked(tenantId, id, change, condition);
  }

  // The version is bumped first: that holds the row (PostgreSQL row lock; SQLite runs one
  // transaction at a time), so the change is applied to a state no other write can replace.
  private async patchLocked(
    tenantId: string,
    id: string,
    change: (current: StoredUser, allocate: Allocate) => Promise<UserWrite>,
    condition: WriteCondition,
  ): Promise<StoredUser> {
    const row = await this.sql
      .transaction(async (tx) => {
        const current = await bumpRow(tx, "User", tenantId, id, condition, {});
        const before = toStoredUser(current, undefined);
        const write = await change(before, (name) => nextNumber(tx, tenantId, name));
        const doc = JSON.stringify(write.attributes);
        await runStatement(tx, updateSql("User", { ...changedData(before.attributes, write), doc }, { tenantId, id }));
        const rewrites = valueRowRewrites(before.attributes, write.attributes, indexedOf(write));
        if (rewrites) await rewriteValueRows(tx, tenantId, id, write.attributes, rewrites, indexedOf(write));
        if (referenceName(before.attributes) !== referenceName(write.attributes)) {
          await refreshMemberDisplay(tx, tenantId, id, referenceName(write.attributes));
        }
        return { ...current, doc };
      })
      .catch((error) => translateDatabaseError(error, "User"));
    return toStoredUser(row, (await this.groupsOf(tenantId, [id])).get(id) ?? []);
  }

  async remove(tenantId: string, id: string, condition: WriteCondition): Promise<void> {
    await this.sql
      .transaction(async (tx) => {
        await deleteRow(tx, "User", tenantId, id, condition);
        // Its reports lose their manager: each is a change, with a new version.
        const reports = await tx.query<{ id: string; doc: string }>(
          `SELECT "id", "doc" FROM "User" WHERE "tenantId" = ? AND "managerId" = ?`,
          [tenantId, userColumnValues({ userName: "", [enterpriseUserUrn]: { manager: { value: id } } }).managerId],
        );
        const now = writeTime();
        for (const report of reports) {
          const attributes = JSON.parse(report.doc) as Attributes;
          const { [enterpriseUserUrn]: extension, ...rest } = attributes;
          const { manager: _manager, ...enterprise } = extension as Record<string, unknown>;
          // An extension left empty is no extension (as a write that empties it).
          const doc = JSON.stringify(Object.keys(enterprise).length > 0 ? { ...rest, [enterpriseUserUrn]: enterprise } : rest);
          await tx.execute(
            `UPDATE "User" SET "doc" = ?, "managerId" = NULL, "version" = "version" + 1, "lastModified" = ? WHERE "tenantId" = ? AND "id" = ?`,
            [doc, now, tenantId, report.id],
          );
        }
      })
      .catch((error) => translateDatabaseError(error, "User"));
  }

  async names(tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (let i = 0; i < ids.length; i += namesPerQuery) {
      const chunk = ids.slice(i, i + namesPerQuery);
      const rows = await this.sql.query<{ id: string; doc: string }>(
        `SELECT "id", "doc" FROM "User" WHERE "tenantId" = ? AND "id" IN (${placeholders(chunk.length)})`,
        [tenantId, ...chunk],
      );
      for (const row of rows) names.set(row.id, referenceNameOf(row.doc));
    }
    return names;
  }

  async list(tenantId: string, query: ListQuery, options: ReadOptions): Promise<Page<StoredUser>> {
    const { totalResults, rows, nextCursor } = await listPage(this.sql, tenantId, query, userTarget, elementOwners(this.sql));
    const groups = options.withRelations ? await this.groupsOf(tenantId, rows.map((row) => row.id)) : undefined;
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

  // The groups each user is a direct member of (RFC 7643 §4.1.2 "groups"), with their names, in
  // one statement.
  private async groupsOf(tenantId: string, userIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    const byUser = new Map<string, GroupRef[]>();
    if (userIds.length === 0) return byUser;
    const memberships = await this.sql.query<{ memberId: string; groupId: string; doc: string }>(
      `SELECT "GroupMember"."memberId", "GroupMember"."groupId", "Group"."doc" FROM "GroupMember"
       JOIN "Group" ON "Group"."id" = "GroupMember"."groupId" AND "Group"."tenantId" = "GroupMember"."tenantId"
       WHERE "GroupMember"."tenantId" = ? AND "GroupMember"."memberId" IN (${placeholders(userIds.length)})
       ORDER BY "GroupMember"."groupId"`,
      [tenantId, ...userIds],
    );
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
