import { foldCase } from "../scim/case.ts";
import { ScimError } from "../scim/errors.ts";
import type {
  ChangeEvents, GroupPatch, GroupStore, GroupWrite, ListQuery, MemberRef, Page, ReadOptions, StoredGroup, WriteCondition,
} from "../scim/ports.ts";
import { sameJson } from "../scim/resource/json.ts";
import { writeTime } from "./clock.ts";
import { newId } from "./ids.ts";
import { referenceName, referenceNameOf, refreshMemberDisplay } from "./member-display.ts";
import { translateDatabaseError } from "./errors.ts";
import { extensionsGuard } from "./tenants.ts";
import { assertNever } from "../scim/filter/ast.ts";
import { TenantExtensionsChanged, type MemberChange } from "../scim/ports.ts";
import { compileElementFilter } from "./query/compile.ts";
import { extensionValueRows, extensionValuesChanged, indexedAttributesOf, type IndexedAttribute } from "./extension-values.ts";
import { elementOwners } from "./query/elements.ts";
import { PagePositions } from "./query/positions.ts";
import { listPage, resourceRow, type ResourceRow as GroupRow } from "./query/list.ts";
import { conditionSql, placeholders } from "./query/condition.ts";
import { insertSql, updateSql } from "./query/statements.ts";
import { groupTarget, membersLocation } from "./query/targets.ts";
import { lockedRow, readRow, resourceColumnList, storedResource, unlessUnchanged, Unchanged } from "./versioned.ts";
import { runStatement, runStatements, type Sql, type SqlStatement, type SqlValue } from "./driver/sql.ts";
import { eventStatements } from "./events.ts";
import { leaveGroups } from "./memberships.ts";

// Ids per statement when checking or writing members: well under the bind-parameter limits of
// SQLite (32766) and PostgreSQL (65535).
const chunkSize = 5000;

// Groups as SQL (the Sql port, driver/sql.ts): reads, and writes in transactions of the store's own.
export class SqlGroupStore implements GroupStore {
  // Where recent startIndex pages ended, so that the next page seeks (query/positions.ts).
  readonly #positions = new PagePositions();

  constructor(private readonly sql: Sql) {}

  async create(tenantId: string, write: GroupWrite, events: ChangeEvents, stamp?: string): Promise<StoredGroup> {
    const id = newId();
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
        await tx.batch([...memberInserts(tenantId, id, members), ...eventStatements(tenantId, events.groupCreated(toStoredGroup(row, members)))]);
        return members;
      })
      .catch((error) => translateDatabaseError(error, "Group"));
    return toStoredGroup(row, members);
  }

  async get(tenantId: string, id: string, options: ReadOptions): Promise<StoredGroup | undefined> {
    const row = await readRow(this.sql, "Group", tenantId, id);
    if (!row) return undefined;
    return toStoredGroup(row, options.withRelations ? (await membersOf(this.sql, [id])).get(id) ?? [] : undefined);
  }

  // Members sent with the same ids as the stored ones, and the same attributes, change nothing
  // (the displays a client sends, where the tenant keeps them, are not compared).
  async replace(tenantId: string, id: string, write: GroupWrite, condition: WriteCondition, events: ChangeEvents): Promise<StoredGroup> {
    return this.sql
      .transaction(async (tx) => {
        const current = await lockedRow(tx, "Group", tenantId, id, condition);
        const before = toStoredGroup(current, (await membersOf(tx, [id])).get(id) ?? []);
        const members = await resolveMembers(tx, tenantId, write.members, id);
        const had = new Set((before.members ?? []).map((member) => member.value));
        const has = new Set(members.map((member) => member.value));
        const added = members.filter((member) => !had.has(member.value));
        const removed = (before.members ?? []).filter((member) => !has.has(member.value));
        if (added.length === 0 && removed.length === 0 && sameJson(before.attributes, write.attributes)) return before;
        const next = { ...current, doc: JSON.stringify(write.attributes), version: current.version + 1, lastModified: writeTime() };
        await runStatement(tx, updateSql("Group", { ...groupColumns(write), doc: next.doc, version: next.version, lastModified: next.lastModified }, { tenantId, id }));
        await tx.execute('DELETE FROM "GroupMember" WHERE "groupId" = ?', [id]);
        await tx.batch(memberInserts(tenantId, id, members));
        await tx.execute('DELETE FROM "ExtensionValue" WHERE "groupId" = ?', [id]);
        await insertExtensionValues(tx, tenantId, id, write.attributes, indexedOf(write));
        await refreshMemberDisplay(tx, tenantId, id, referenceName(write.attributes));
        const after = toStoredGroup(next, members);
        const { members: _members, ...withoutMembers } = after;
        await runStatements(tx, eventStatements(tenantId, [...events.groupUpdated(before, after), ...events.membersChanged(withoutMembers, added, removed)]));
        return after;
      })
      .catch((error) => translateDatabaseError(error, "Group"));
  }

  // Member changes are set operations in SQL: O(k) for k members, whatever the group's size.
  async patch(tenantId: string, id: string, patch: GroupPatch, condition: WriteCondition, options: ReadOptions, events: ChangeEvents): Promise<StoredGroup> {
    const row = await this.patchLocked(tenantId, id, patch, condition, events);
    return toStoredGroup(row, options.withRelations ? (await membersOf(this.sql, [id])).get(id) ?? [] : undefined);
  }

  // The group row is held first (lockedRow), so concurrent patches of one group apply one after
  // the other, each to the attributes and members the previous one left. Member statements
  // return the members they added or removed, from which the events are made; when neither the
  // attributes nor the members changed, the transaction is rolled back. (An optimistic form, the
  // membership read first and the writes sent as a batch guarded by the version read, lost to
  // concurrent patches of the same group most of the time and cost more than holding the row:
  // docs/benchmarks.md, "Change events".)
  private async patchLocked(tenantId: string, id: string, patch: GroupPatch, condition: WriteCondition, events: ChangeEvents): Promise<GroupRow> {
    return unlessUnchanged(
      this.sql
        .transaction(async (tx) => {
          const current = await lockedRow(tx, "Group", tenantId, id, condition);
          const before = toStoredGroup(current, undefined);
          const attributes = patch.attributes ? patch.attributes(before.attributes) : before.attributes;
          const { added, removed } = await applyMemberChanges(tx, tenantId, id, patch.memberChanges);
          const attributesChanged = !sameJson(before.attributes, attributes);
          if (!attributesChanged && added.length === 0 && removed.length === 0) throw new Unchanged(current);
          const next = { ...current, doc: JSON.stringify(attributes), version: current.version + 1, lastModified: writeTime() };
          const columns = attributesChanged ? { ...groupColumns({ attributes }), doc: next.doc } : {};
          await runStatement(tx, updateSql("Group", { ...columns, version: next.version, lastModified: next.lastModified }, { tenantId, id }));
          if (extensionValuesChanged(before.attributes, attributes, indexedOf(patch))) {
            await tx.execute('DELETE FROM "ExtensionValue" WHERE "groupId" = ?', [id]);
            await insertExtensionValues(tx, tenantId, id, attributes, indexedOf(patch));
          }
          if (referenceName(before.attributes) !== referenceName(attributes)) await refreshMemberDisplay(tx, tenantId, id, referenceName(attributes));
          const after = toStoredGroup(next, undefined);
          await runStatements(tx, eventStatements(tenantId, [...events.groupUpdated(before, after), ...events.membersChanged(after, added, removed)]));
          return next;
        })
        .catch((error) => translateDatabaseError(error, "Group")),
    );
  }

  async remove(tenantId: string, id: string, condition: WriteCondition, events: ChangeEvents): Promise<void> {
    await this.sql
      .transaction(async (tx) => {
        const current = await lockedRow(tx, "Group", tenantId, id, condition);
        const written = [...events.groupDeleted(toStoredGroup(current, undefined)), ...(await leaveGroups(tx, tenantId, id, "Group", events))];
        await tx.execute('DELETE FROM "Group" WHERE "tenantId" = ? AND "id" = ?', [tenantId, id]);
        await runStatements(tx, eventStatements(tenantId, written));
      })
      .catch((error) => translateDatabaseError(error, "Group"));
  }

  async list(tenantId: string, query: ListQuery, options: ReadOptions): Promise<Page<StoredGroup>> {
    const { totalResults, rows, nextCursor } = await listPage(this.sql, tenantId, query, groupTarget, elementOwners(this.sql), this.#positions);
    const members = options.withRelations ? await membersOf(this.sql, rows.map((row) => row.id)) : undefined;
    const resources = rows.map((row) => toStoredGroup(row, members ? members.get(row.id) ?? [] : undefined));
    return { totalResults, resources, ...(nextCursor ? { nextCursor } : {}) };
  }
}

async function membersOf(sql: Sql, groupIds: readonly string[]): Promise<Map<string, MemberRef[]>> {
  const byGroup = new Map<string, MemberRef[]>();
  if (groupIds.length === 0) return byGroup;
  const rows = await sql.query<{ groupId: string; memberId: string; type: string; display: string | null }>(
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

function deletions(groupId: string, ids: readonly string[]): SqlStatement[] {
  const statements: SqlStatement[] = [];
  for (let i = 0; i < ids.length; i += chunkSize) {
    const chunk = ids.slice(i, i + chunkSize);
    statements.push({ text: `DELETE FROM "GroupMember" WHERE "groupId" = ? AND "memberId" IN (${placeholders(chunk.length)})`, args: [groupId, ...chunk] });
  }
  return statements;
}

// Runs the changes in order; the members they added and removed, from the rows each statement
// inserted or deleted: a member's state before is known from the first statement that touched it
// (inserted: it was absent; deleted: present), its state after from the last.
async function applyMemberChanges(tx: Sql, tenantId: string, groupId: string, changes: readonly MemberChange[]): Promise<{ added: MemberRef[]; removed: MemberRef[] }> {
  const before = new Map<string, boolean>();
  const after = new Map<string, MemberRef | undefined>();
  const seen = new Map<string, MemberRef>();
  for (const change of changes) {
    for (const statement of await memberChangeStatements(tx, tenantId, groupId, change)) {
      const inserting = statement.text.startsWith("INSERT");
      const rows = await tx.query<{ memberId: string; type: string }>(`${statement.text} RETURNING "memberId", "type"`, statement.args);
      for (const row of rows) {
        const member = memberRef(row);
        if (!before.has(member.value)) before.set(member.value, !inserting);
        after.set(member.value, inserting ? member : undefined);
        seen.set(member.value, member);
      }
    }
  }
  const added: MemberRef[] = [];
  const removed: MemberRef[] = [];
  for (const [id, was] of before) {
    const is = after.get(id) !== undefined;
    if (!was && is) added.push(seen.get(id) as MemberRef);
    if (was && !is) removed.push(seen.get(id) as MemberRef);
  }
  return { added, removed };
}

function memberRef(row: { memberId: string; type: string }): MemberRef {
  return { value: row.memberId, type: row.type === "group" ? "Group" : "User" };
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
    case "remove":
      return deletions(groupId, change.ids);
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
