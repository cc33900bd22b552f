import { randomUUID } from "node:crypto";
import { foldCase } from "../scim/case.ts";
import { ScimError } from "../scim/errors.ts";
import type {
  GroupPatch, GroupStore, GroupWrite, ListQuery, MemberRef, Page, ReadOptions, StoredGroup, WriteCondition,
} from "../scim/ports.ts";
import { writeTime } from "./clock.ts";
import { referenceName, referenceNameOf, refreshMemberDisplay } from "./member-display.ts";
import { translateDatabaseError } from "./errors.ts";
import { extensionsGuard } from "./tenants.ts";
import { assertNever } from "../scim/filter/ast.ts";
import { TenantExtensionsChanged, type MemberChange } from "../scim/ports.ts";
import { compileElementFilter } from "./query/compile.ts";
import { extensionValueRows, extensionValuesChanged, indexedAttributesOf, type IndexedAttribute } from "./extension-values.ts";
import { elementOwners } from "./query/elements.ts";
import { listPage, resourceRow, type ResourceRow as GroupRow } from "./query/list.ts";
import { conditionSql, placeholders } from "./query/condition.ts";
import { insertSql, updateSql } from "./query/statements.ts";
import { groupTarget, membersLocation } from "./query/targets.ts";
import { bumpRow, bumpStatement, deleteRow, missingOrStale, readRow, storedResource, writableRow } from "./versioned.ts";
import { runStatement, type Sql, type SqlRow, type SqlStatement, type SqlValue } from "./driver/sql.ts";

// Ids per statement when checking or writing members: well under the bind-parameter limits of
// SQLite (32766) and PostgreSQL (65535).
const chunkSize = 5000;

// Groups as SQL (the Sql port, driver/sql.ts): reads, and writes in transactions of the store's own.
export class SqlGroupStore implements GroupStore {
  constructor(private readonly sql: Sql) {}

  async create(tenantId: string, write: GroupWrite, stamp?: string): Promise<StoredGroup> {
    const id = randomUUID();
    const now = writeTime();
    const row = { id, version: 1, created: now, lastModified: now, doc: JSON.stringify(write.attributes) };
    const members = await this.sql
      .transaction(async (tx) => {
        if (stamp !== undefined) {
          const guard = extensionsGuard(tx, tenantId, stamp);
          if ((await tx.query(guard.text, guard.args)).length === 0) throw new TenantExtensionsChanged();
        }
        const members = await resolveMembers(tx, tenantId, write.members, id);
        await runStatement(tx, insertSql("Group", [{ ...row, tenantId, ...groupColumns(write) }]));
        await insertExtensionValues(tx, tenantId, id, write.attributes, indexedOf(write));
        await tx.batch(memberInserts(tenantId, id, members));
        return members;
      })
      .catch((error) => translateDatabaseError(error, "Group"));
    return toStoredGroup(row, members);
  }

  async get(tenantId: string, id: string, options: ReadOptions): Promise<StoredGroup | undefined> {
    const row = await readRow(this.sql, "Group", tenantId, id);
    if (!row) return undefined;
    return toStoredGroup(row, options.withRelations ? (await this.membersOf([id])).get(id) ?? [] : undefined);
  }

  async replace(tenantId: string, id: string, write: GroupWrite, condition: WriteCondition): Promise<StoredGroup> {
    const row = await this.sql
      .transaction(async (tx) => {
        const updated = await bumpRow(tx, "Group", tenantId, id, condition, { ...groupColumns(write), doc: JSON.stringify(write.attributes) });
        const members = await resolveMembers(tx, tenantId, write.members, id);
        await tx.execute('DELETE FROM "GroupMember" WHERE "groupId" = ?', [id]);
        await tx.batch(memberInserts(tenantId, id, members));
        await tx.execute('DELETE FROM "ExtensionValue" WHERE "groupId" = ?', [id]);
        await insertExtensionValues(tx, tenantId, id, write.attributes, indexedOf(write));
        await refreshMemberDisplay(tx, tenantId, id, referenceName(write.attributes));
        return { updated, members };
      })
      .catch((error) => translateDatabaseError(error, "Group"));
    return toStoredGroup(row.updated, row.members);
  }

  // Member changes are set operations in SQL: O(k) for k members, whatever the group's size.
  async patch(tenantId: string, id: string, patch: GroupPatch, condition: WriteCondition, options: ReadOptions): Promise<StoredGroup> {
    const row = patch.attributes ? await this.patchLocked(tenantId, id, patch, condition) : await this.patchMembers(tenantId, id, patch.memberChanges, condition);
    return toStoredGroup(row, options.withRelations ? (await this.membersOf([id])).get(id) ?? [] : undefined);
  }

  // Member changes alone depend on no row of the group: the members are resolved first, then the
  // version bump and the member statements go as one guarded batch (driver/sql.ts), which shares a commit
  // with concurrent writes. The bump is the guard: when the group is missing or at another version
  // than If-Match names, nothing is written. Should the batch fail (a member deleted after it was
  // resolved), the patch runs again in a transaction of its own.
  private async patchMembers(tenantId: string, id: string, changes: readonly MemberChange[], condition: WriteCondition): Promise<GroupRow> {
    let statements: SqlStatement[];
    try {
      statements = await memberStatements(this.sql, tenantId, id, changes);
    } catch (error) {
      // A missing group or a stale If-Match answers first, as it does when the bump comes first.
      await writableRow(this.sql, "Group", tenantId, id, condition);
      throw error;
    }
    let row: SqlRow | undefined;
    try {
      row = await this.sql.guardedBatch(bumpStatement("Group", tenantId, id, condition, {}), statements);
    } catch {
      // No attribute changes: no extension rows are written.
      return this.patchLocked(tenantId, id, { memberChanges: changes, extensions: [] }, condition);
    }
    if (!row) throw await missingOrStale(this.sql, "Group", tenantId, id);
    return resourceRow(row);
  }

  // The group row's version is bumped first: that holds the row (PostgreSQL row lock; SQLite runs
  // one write transaction at a time), so concurrent patches of one group apply one after the
  // other, each to the attributes the previous one left.
  private async patchLocked(tenantId: string, id: string, patch: GroupPatch, condition: WriteCondition): Promise<GroupRow> {
    return this.sql
      .transaction(async (tx) => {
        let row = await bumpRow(tx, "Group", tenantId, id, condition, {});
        if (patch.attributes) {
          const before = JSON.parse(row.doc) as Record<string, unknown>;
          const attributes = patch.attributes(before);
          row = { ...row, doc: JSON.stringify(attributes) };
          await runStatement(tx, updateSql("Group", { ...groupColumns({ attributes }), doc: row.doc }, { tenantId, id }));
          if (extensionValuesChanged(before, attributes, indexedOf(patch))) {
            await tx.execute('DELETE FROM "ExtensionValue" WHERE "groupId" = ?', [id]);
            await insertExtensionValues(tx, tenantId, id, attributes, indexedOf(patch));
          }
          if (referenceName(before) !== referenceName(attributes)) await refreshMemberDisplay(tx, tenantId, id, referenceName(attributes));
        }
        await tx.batch(await memberStatements(tx, tenantId, id, patch.memberChanges));
        return row;
      })
      .catch((error) => translateDatabaseError(error, "Group"));
  }

  async remove(tenantId: string, id: string, condition: WriteCondition): Promise<void> {
    await deleteRow(this.sql, "Group", tenantId, id, condition);
  }

  async list(tenantId: string, query: ListQuery, options: ReadOptions): Promise<Page<StoredGroup>> {
    const { totalResults, rows, nextCursor } = await listPage(this.sql, tenantId, query, groupTarget, elementOwners(this.sql));
    const members = options.withRelations ? await this.membersOf(rows.map((row) => row.id)) : undefined;
    const resources = rows.map((row) => toStoredGroup(row, members ? members.get(row.id) ?? [] : undefined));
    return { totalResults, resources, ...(nextCursor ? { nextCursor } : {}) };
  }

  private async membersOf(groupIds: readonly string[]): Promise<Map<string, MemberRef[]>> {
    const byGroup = new Map<string, MemberRef[]>();
    if (groupIds.length === 0) return byGroup;
    const rows = await this.sql.query<{ groupId: string; memberId: string; type: string; display: string | null }>(
      `SELECT "groupId", "memberId", "type", "display" FROM "GroupMember" WHERE "groupId" IN (${placeholders(groupIds.length)}) ORDER BY "groupId", "memberId"`,
      groupIds,
    );
    for (const row of rows) {
      const list = byGroup.get(row.groupId) ?? [];
      list.push({ value: row.memberId, type: row.type === "group" ? "Group" : "User", ...(row.display === null ? {} : { display: row.display }) });
      byGroup.set(row.groupId, list);
    }
    return byGroup;
  }
}

export function groupColumns(write: Pick<GroupWrite, "attributes">): { displayName: string; externalId: string | null } {
  const { displayName, externalId } = write.attributes;
  return {
    displayName: foldCase(String(displayName)),
    externalId: typeof externalId === "string" ? externalId : null,
  };
}

// The extension attributes a write's rows index: those of the tenant's schemas it names.
function indexedOf(write: { readonly extensions: GroupWrite["extensions"] }): readonly IndexedAttribute[] {
  return indexedAttributesOf(write.extensions);
}

async function insertExtensionValues(
  tx: Sql,
  tenantId: string,
  groupId: string,
  attributes: Record<string, unknown>,
  indexed: readonly IndexedAttribute[],
): Promise<void> {
  const rows = extensionValueRows(tenantId, attributes, indexed).map((row) => ({ ...row, groupId }));
  if (rows.length > 0) await runStatement(tx, insertSql("ExtensionValue", rows));
}

function dedupe(members: readonly MemberRef[]): MemberRef[] {
  const byId = new Map<string, MemberRef>();
  for (const member of members) if (!byId.has(member.value)) byId.set(member.value, member);
  return [...byId.values()];
}

// Checks that every member exists in the tenant, and settles its type and display from what it
// is: its display is the member's own current name (member-display.ts), unless the caller passes
// one on (the tenant keeps clients' displays: scim/options.ts).
// A member of another tenant is as unknown as one that does not exist: an error, or with
// `skipUnknown` (PATCH add) left out.
async function resolveMembers(
  tx: Sql,
  tenantId: string,
  members: readonly MemberRef[],
  groupId: string,
  skipUnknown = false,
): Promise<MemberRef[]> {
  const wanted = dedupe(members);
  if (wanted.some((member) => member.value === groupId)) throw ScimError.invalidValue("A group cannot be a member of itself");
  const users = new Map<string, string>();
  const groups = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += chunkSize) {
    const ids = wanted.slice(i, i + chunkSize).map((member) => member.value);
    for (const row of await docsOf(tx, "User", tenantId, ids)) users.set(row.id, referenceNameOf(row.doc));
    // Groups are looked for only among the ids that named no user (ids are unique across both).
    const rest = ids.filter((id) => !users.has(id));
    if (rest.length === 0) continue;
    for (const row of await docsOf(tx, "Group", tenantId, rest)) groups.set(row.id, referenceNameOf(row.doc));
  }
  const missing = wanted.filter((member) => !users.has(member.value) && !groups.has(member.value));
  if (missing.length > 0 && !skipUnknown) {
    throw ScimError.invalidValue(`Unknown member${missing.length > 1 ? "s" : ""}: ${missing.slice(0, 5).map((m) => m.value).join(", ")}`);
  }
  return wanted.flatMap((member): MemberRef[] => {
    if (users.has(member.value)) return [{ value: member.value, type: "User", display: member.display ?? (users.get(member.value) as string) }];
    if (groups.has(member.value)) return [{ value: member.value, type: "Group", display: member.display ?? (groups.get(member.value) as string) }];
    return [];
  });
}

function docsOf(tx: Sql, table: "User" | "Group", tenantId: string, ids: readonly string[]): Promise<Array<{ id: string; doc: string }>> {
  return tx.query(`SELECT "id", "doc" FROM "${table}" WHERE "tenantId" = ? AND "id" IN (${placeholders(ids.length)})`, [tenantId, ...ids]);
}

// The statements that make the changes, in order. Reads only to resolve the members added.
async function memberStatements(sql: Sql, tenantId: string, groupId: string, changes: readonly MemberChange[]): Promise<SqlStatement[]> {
  const statements: SqlStatement[] = [];
  for (const change of changes) statements.push(...(await memberChangeStatements(sql, tenantId, groupId, change)));
  return statements;
}

async function memberChangeStatements(sql: Sql, tenantId: string, groupId: string, change: MemberChange): Promise<SqlStatement[]> {
  switch (change.kind) {
    case "add": {
      // An id that names no user or group of the tenant is left out, as adding it could not mean
      // anything (Microsoft's reference collection adds made-up ids and expects success).
      // Members already in the group are left as they are.
      const members = await resolveMembers(sql, tenantId, change.members, groupId, true);
      return memberInserts(tenantId, groupId, members, ' ON CONFLICT ("groupId", "memberId") DO NOTHING');
    }
    case "remove": {
      const statements: SqlStatement[] = [];
      for (let i = 0; i < change.ids.length; i += chunkSize) {
        const ids = change.ids.slice(i, i + chunkSize);
        statements.push({ text: `DELETE FROM "GroupMember" WHERE "groupId" = ? AND "memberId" IN (${placeholders(ids.length)})`, args: [groupId, ...ids] });
      }
      return statements;
    }
    case "removeWhere": {
      const args: SqlValue[] = [groupId];
      const where = conditionSql(compileElementFilter(change.filter, membersLocation), args);
      return [{ text: `DELETE FROM "GroupMember" WHERE "GroupMember"."groupId" = ? AND ${where}`, args }];
    }
    case "replace": {
      const members = await resolveMembers(sql, tenantId, change.members, groupId);
      return [{ text: 'DELETE FROM "GroupMember" WHERE "groupId" = ?', args: [groupId] }, ...memberInserts(tenantId, groupId, members)];
    }
    default:
      return assertNever(change);
  }
}

// Rows per INSERT of members: 7 values each, within SQLite's 32766 bind parameters.
const membersPerInsert = 4000;

function memberInserts(tenantId: string, groupId: string, members: readonly MemberRef[], onConflict = ""): SqlStatement[] {
  const statements: SqlStatement[] = [];
  for (let i = 0; i < members.length; i += membersPerInsert) {
    const rows = members.slice(i, i + membersPerInsert).map((member) => ({
      tenantId,
      groupId,
      memberId: member.value,
      type: foldCase(member.type),
      display: member.display ?? null,
      userId: member.type === "User" ? member.value : null,
      memberGroupId: member.type === "Group" ? member.value : null,
    }));
    const insert = insertSql("GroupMember", rows);
    statements.push({ text: insert.text + onConflict, args: insert.args });
  }
  return statements;
}

function toStoredGroup(row: GroupRow, members: MemberRef[] | undefined): StoredGroup {
  return { ...storedResource(row), ...(members ? { members } : {}) };
}
