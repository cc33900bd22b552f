import { randomUUID } from "node:crypto";
import { foldCase } from "../scim/case.ts";
import { ScimError } from "../scim/errors.ts";
import type {
  GroupPatch, GroupStore, GroupWrite, ListQuery, MemberRef, Page, ReadOptions, StoredGroup, WriteCondition,
} from "../scim/ports.ts";
import type { Db } from "./database.ts";
import { writeTime } from "./clock.ts";
import { translateDatabaseError } from "./errors.ts";
import { assertNever } from "../scim/filter/ast.ts";
import type { MemberChange } from "../scim/patch/members.ts";
import { compileElementFilter } from "./query/compile.ts";
import { extensionValueRows, extensionValuesChanged, indexedGroupExtensionAttributes as indexed } from "./extension-values.ts";
import { elementOwners } from "./query/elements.ts";
import { listPage, resourceColumns, resourceRow } from "./query/list.ts";
import { groupTarget, membersLocation } from "./query/targets.ts";
import type { Sql } from "./sql.ts";
import { missingOrStale, placeholders, storedResource } from "./users.ts";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const groupRow = { id: true, version: true, created: true, lastModified: true, doc: true } as const;

interface GroupRow {
  id: string;
  version: number;
  created: Date;
  lastModified: Date;
  doc: string;
}

// Ids per statement when checking or writing members: well under the bind-parameter limits of
// SQLite (32766) and PostgreSQL (65535).
const chunkSize = 5000;

const selectGroup = `SELECT ${resourceColumns.map((name) => `"${name}"`).join(", ")} FROM "Group" WHERE "tenantId" = ? AND "id" = ?`;

// Reads (get, list, members) run as SQL (sql.ts); writes go through Prisma's transactions.
export class PrismaGroupStore implements GroupStore {
  constructor(
    private readonly prisma: Db,
    private readonly sql: Sql,
  ) {}

  async create(tenantId: string, write: GroupWrite): Promise<StoredGroup> {
    const id = randomUUID();
    const now = writeTime();
    const row = await this.prisma
      .$transaction(async (tx) => {
        const members = await resolveMembers(tx, tenantId, write.members, id);
        const created = await tx.group.create({
          data: {
            id, tenantId, created: now, lastModified: now, ...groupColumns(write), doc: JSON.stringify(write.attributes),
            extensionValues: { createMany: { data: extensionValueRows(tenantId, write.attributes, indexed) } },
          },
          select: groupRow,
        });
        await insertMembers(tx, tenantId, id, members);
        return { created, members };
      })
      .catch((error) => translateDatabaseError(error, "Group"));
    return toStoredGroup(row.created, row.members);
  }

  async get(tenantId: string, id: string, options: ReadOptions): Promise<StoredGroup | undefined> {
    const [found] = await this.sql.query(selectGroup, [tenantId, id]);
    if (!found) return undefined;
    const row = resourceRow(found);
    return toStoredGroup(row, options.withRelations ? (await this.membersOf([id])).get(id) ?? [] : undefined);
  }

  async replace(tenantId: string, id: string, write: GroupWrite, condition: WriteCondition): Promise<StoredGroup> {
    const row = await this.prisma
      .$transaction(async (tx) => {
        const updated = await tx.group.updateMany({
          where: { tenantId, id, ...(condition.ifVersion === undefined ? {} : { version: condition.ifVersion }) },
          data: { ...groupColumns(write), doc: JSON.stringify(write.attributes), lastModified: writeTime(), version: { increment: 1 } },
        });
        if (updated.count === 0) throw await missingOrStale(tx, tenantId, id, "group");
        const members = await resolveMembers(tx, tenantId, write.members, id);
        await tx.groupMember.deleteMany({ where: { groupId: id } });
        await insertMembers(tx, tenantId, id, members);
        await tx.extensionValue.deleteMany({ where: { groupId: id } });
        await tx.extensionValue.createMany({ data: extensionValueRows(tenantId, write.attributes, indexed).map((row) => ({ ...row, groupId: id })) });
        return { updated: await tx.group.findFirstOrThrow({ where: { tenantId, id }, select: groupRow }), members };
      })
      .catch((error) => translateDatabaseError(error, "Group"));
    return toStoredGroup(row.updated, row.members);
  }

  // Member changes are set operations in SQL: O(k) for k members, whatever the group's size. The
  // group row's version is bumped first: that holds the row (PostgreSQL row lock; SQLite runs one
  // transaction at a time), so concurrent patches of one group apply one after the other, each to
  // the attributes the previous one left.
  async patch(tenantId: string, id: string, patch: GroupPatch, condition: WriteCondition, options: ReadOptions): Promise<StoredGroup> {
    const row = await this.prisma
      .$transaction(async (tx) => {
        const updated = await tx.group.updateMany({
          where: { tenantId, id, ...(condition.ifVersion === undefined ? {} : { version: condition.ifVersion }) },
          data: { lastModified: writeTime(), version: { increment: 1 } },
        });
        if (updated.count === 0) throw await missingOrStale(tx, tenantId, id, "group");
        if (patch.attributes) {
          const current = await tx.group.findFirstOrThrow({ where: { tenantId, id }, select: { doc: true } });
          const before = JSON.parse(current.doc) as Record<string, unknown>;
          const attributes = patch.attributes(before);
          await tx.group.updateMany({
            where: { tenantId, id },
            data: { ...groupColumns({ attributes, members: [] }), doc: JSON.stringify(attributes) },
          });
          if (extensionValuesChanged(before, attributes, indexed)) {
            await tx.extensionValue.deleteMany({ where: { groupId: id } });
            await tx.extensionValue.createMany({ data: extensionValueRows(tenantId, attributes, indexed).map((row) => ({ ...row, groupId: id })) });
          }
        }
        for (const change of patch.memberChanges) await applyMemberChange(tx, tenantId, id, change);
        return tx.group.findFirstOrThrow({ where: { tenantId, id }, select: groupRow });
      }, { timeout: 60_000, maxWait: 30_000 })
      .catch((error) => translateDatabaseError(error, "Group"));
    return toStoredGroup(row, options.withRelations ? (await this.membersOf([id])).get(id) ?? [] : undefined);
  }

  async remove(tenantId: string, id: string, condition: WriteCondition): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const deleted = await tx.group.deleteMany({
        where: { tenantId, id, ...(condition.ifVersion === undefined ? {} : { version: condition.ifVersion }) },
      });
      if (deleted.count === 0) throw await missingOrStale(tx, tenantId, id, "group");
    });
  }

  async list(tenantId: string, query: ListQuery, options: ReadOptions): Promise<Page<StoredGroup>> {
    const { totalResults, rows, nextCursor } = await listPage(this.sql, "Group", tenantId, query, groupTarget, elementOwners(this.sql));
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

export function groupColumns(write: GroupWrite): { displayName: string; externalId: string | null } {
  const { displayName, externalId } = write.attributes;
  return {
    displayName: foldCase(String(displayName)),
    externalId: typeof externalId === "string" ? externalId : null,
  };
}

function dedupe(members: readonly MemberRef[]): MemberRef[] {
  const byId = new Map<string, MemberRef>();
  for (const member of members) if (!byId.has(member.value)) byId.set(member.value, member);
  return [...byId.values()];
}

// Checks that every member exists in the tenant, and settles its type from what it is. Its
// display is the one the client gave, else the member's own name (a user's displayName, else its
// userName; a group's displayName). A member of another tenant is as unknown as one that does not
// exist: an error, or with `skipUnknown` (PATCH add) left out.
async function resolveMembers(
  tx: Tx,
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
    for (const row of await tx.user.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, doc: true } })) users.set(row.id, displayOf(row.doc));
    // Groups are looked for only among the ids that named no user (ids are unique across both).
    const rest = ids.filter((id) => !users.has(id));
    if (rest.length === 0) continue;
    for (const row of await tx.group.findMany({ where: { tenantId, id: { in: rest } }, select: { id: true, doc: true } })) groups.set(row.id, displayOf(row.doc));
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

function displayOf(doc: string): string {
  const { displayName, userName } = JSON.parse(doc) as { displayName?: unknown; userName?: unknown };
  return String(displayName ?? userName ?? "");
}

async function applyMemberChange(tx: Tx, tenantId: string, groupId: string, change: MemberChange): Promise<void> {
  switch (change.kind) {
    case "add": {
      // An id that names no user or group of the tenant is left out, as adding it could not mean
      // anything (Microsoft's reference collection adds made-up ids and expects success).
      const members = await resolveMembers(tx, tenantId, change.members, groupId, true);
      const present = new Set<string>();
      for (let i = 0; i < members.length; i += chunkSize) {
        const ids = members.slice(i, i + chunkSize).map((member) => member.value);
        const rows = await tx.groupMember.findMany({ where: { groupId, memberId: { in: ids } }, select: { memberId: true } });
        for (const row of rows) present.add(row.memberId);
      }
      return insertMembers(tx, tenantId, groupId, members.filter((member) => !present.has(member.value)));
    }
    case "remove":
      for (let i = 0; i < change.ids.length; i += chunkSize) {
        await tx.groupMember.deleteMany({ where: { groupId, memberId: { in: change.ids.slice(i, i + chunkSize) } } });
      }
      return;
    case "removeWhere":
      await tx.groupMember.deleteMany({ where: { groupId, ...compileElementFilter(change.filter, membersLocation) } });
      return;
    case "replace": {
      const members = await resolveMembers(tx, tenantId, change.members, groupId);
      await tx.groupMember.deleteMany({ where: { groupId } });
      return insertMembers(tx, tenantId, groupId, members);
    }
    default:
      return assertNever(change);
  }
}

async function insertMembers(tx: Tx, tenantId: string, groupId: string, members: readonly MemberRef[]): Promise<void> {
  for (let i = 0; i < members.length; i += chunkSize) {
    await tx.groupMember.createMany({
      data: members.slice(i, i + chunkSize).map((member) => ({
        tenantId,
        groupId,
        memberId: member.value,
        type: foldCase(member.type),
        display: member.display ?? null,
        userId: member.type === "User" ? member.value : null,
        memberGroupId: member.type === "Group" ? member.value : null,
      })),
    });
  }
}

function toStoredGroup(row: GroupRow, members: MemberRef[] | undefined): StoredGroup {
  return { ...storedResource(row), ...(members ? { members } : {}) };
}
