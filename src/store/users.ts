import { randomUUID } from "node:crypto";
import { ScimError } from "../scim/errors.ts";
import type {
  Attributes,
  Versioned,
  GroupRef, ListQuery, Page, ReadOptions, StoredUser, UserStore, UserWrite, WriteCondition,
} from "../scim/ports.ts";
import type { Db } from "./database.ts";
import { writeTime } from "./clock.ts";
import { translateDatabaseError } from "./errors.ts";
import { extensionValueRows, extensionValuesChanged, indexedUserExtensionAttributes as indexed } from "./extension-values.ts";
import { elementOwners } from "./query/elements.ts";
import { listPage, type ListDelegate } from "./query/list.ts";
import { userTarget } from "./query/targets.ts";
import { multiValuedUserAttributes, userColumnValues, userValueRows } from "./user-columns.ts";

const userRow = { id: true, version: true, created: true, lastModified: true, doc: true } as const;

interface UserRow {
  id: string;
  version: number;
  created: Date;
  lastModified: Date;
  doc: string;
}

export class PrismaUserStore implements UserStore {
  constructor(private readonly prisma: Db) {}

  async create(tenantId: string, write: UserWrite): Promise<StoredUser> {
    const id = randomUUID();
    const now = writeTime();
    const row = await this.prisma.user
      .create({
        data: {
          id,
          tenantId,
          created: now,
          lastModified: now,
          ...userColumnValues(write.attributes),
          passwordHash: write.passwordHash ?? null,
          doc: JSON.stringify(write.attributes),
          values: { createMany: { data: userValueRows(tenantId, id, write.attributes).map(withoutUser) } },
          extensionValues: { createMany: { data: extensionValueRows(tenantId, write.attributes, indexed) } },
        },
        select: userRow,
      })
      .catch((error) => translateDatabaseError(error, "User"));
    return toStoredUser(row, []);
  }

  async get(tenantId: string, id: string, options: ReadOptions): Promise<StoredUser | undefined> {
    const row = await this.prisma.user.findFirst({ where: { tenantId, id }, select: userRow });
    if (!row) return undefined;
    return toStoredUser(row, options.withRelations ? await this.groupsOf(tenantId, [id]).then((map) => map.get(id) ?? []) : undefined);
  }

  async replace(tenantId: string, id: string, write: UserWrite, condition: WriteCondition): Promise<StoredUser> {
    const row = await this.prisma
      .$transaction(async (tx) => {
        const updated = await tx.user.updateMany({
          where: { tenantId, id, ...(condition.ifVersion === undefined ? {} : { version: condition.ifVersion }) },
          data: {
            ...userColumnValues(write.attributes),
            ...(write.passwordHash === undefined ? {} : { passwordHash: write.passwordHash }),
            doc: JSON.stringify(write.attributes),
            lastModified: writeTime(),
            version: { increment: 1 },
          },
        });
        if (updated.count === 0) throw await missingOrStale(tx, tenantId, id);
        await tx.userValue.deleteMany({ where: { userId: id } });
        await tx.userValue.createMany({ data: userValueRows(tenantId, id, write.attributes) });
        await tx.extensionValue.deleteMany({ where: { userId: id } });
        await tx.extensionValue.createMany({ data: extensionValueRows(tenantId, write.attributes, indexed).map((row) => ({ ...row, userId: id })) });
        return tx.user.findFirstOrThrow({ where: { tenantId, id }, select: userRow });
      })
      .catch((error) => translateDatabaseError(error, "User"));
    return toStoredUser(row, (await this.groupsOf(tenantId, [id])).get(id) ?? []);
  }

  // The version is bumped first: that holds the row (PostgreSQL row lock; SQLite runs one
  // transaction at a time), so concurrent patches of one user apply one after the other, each to
  // the state the previous one left.
  async patch(
    tenantId: string,
    id: string,
    change: (current: StoredUser) => Promise<UserWrite>,
    condition: WriteCondition,
  ): Promise<StoredUser> {
    const row = await this.prisma
      .$transaction(async (tx) => {
        const locked = await tx.user.updateMany({
          where: { tenantId, id, ...(condition.ifVersion === undefined ? {} : { version: condition.ifVersion }) },
          data: { lastModified: writeTime(), version: { increment: 1 } },
        });
        if (locked.count === 0) throw await missingOrStale(tx, tenantId, id);
        const current = await tx.user.findFirstOrThrow({ where: { tenantId, id }, select: userRow });
        const before = toStoredUser(current, undefined);
        const write = await change(before);
        const doc = JSON.stringify(write.attributes);
        await tx.user.updateMany({
          where: { tenantId, id },
          data: {
            ...userColumnValues(write.attributes),
            ...(write.passwordHash === undefined ? {} : { passwordHash: write.passwordHash }),
            doc,
          },
        });
        // Value rows are rewritten only when a multi-valued attribute changed (not for `active`).
        if (multiValuedChanged(before.attributes, write.attributes)) {
          await tx.userValue.deleteMany({ where: { userId: id } });
          await tx.userValue.createMany({ data: userValueRows(tenantId, id, write.attributes) });
        }
        if (extensionValuesChanged(before.attributes, write.attributes, indexed)) {
          await tx.extensionValue.deleteMany({ where: { userId: id } });
          await tx.extensionValue.createMany({ data: extensionValueRows(tenantId, write.attributes, indexed).map((row) => ({ ...row, userId: id })) });
        }
        return { ...current, doc };
      }, { timeout: 60_000, maxWait: 30_000 })
      .catch((error) => translateDatabaseError(error, "User"));
    return toStoredUser(row, (await this.groupsOf(tenantId, [id])).get(id) ?? []);
  }

  async remove(tenantId: string, id: string, condition: WriteCondition): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const deleted = await tx.user.deleteMany({
        where: { tenantId, id, ...(condition.ifVersion === undefined ? {} : { version: condition.ifVersion }) },
      });
      if (deleted.count === 0) throw await missingOrStale(tx, tenantId, id);
    });
  }

  async list(tenantId: string, query: ListQuery, options: ReadOptions): Promise<Page<StoredUser>> {
    const { totalResults, rows, nextCursor } = await listPage(this.prisma.user as unknown as ListDelegate<UserRow>, tenantId, query, userTarget, userRow, elementOwners(this.prisma));
    const groups = options.withRelations ? await this.groupsOf(tenantId, rows.map((row) => row.id)) : undefined;
    const resources = rows.map((row) => toStoredUser(row, groups ? groups.get(row.id) ?? [] : undefined));
    return { totalResults, resources, ...(nextCursor ? { nextCursor } : {}) };
  }

  async authenticate(
    tenantId: string | undefined,
    userName: string,
    check: (passwordHash: string) => Promise<boolean>,
  ): Promise<{ tenantId: string; user: StoredUser } | undefined> {
    const rows = await this.prisma.user.findMany({
      where: { ...(tenantId === undefined ? {} : { tenantId }), userName: userColumnValues({ userName }).userName },
      select: { ...userRow, tenantId: true, passwordHash: true },
      orderBy: { id: "asc" },
      take: 10,
    });
    for (const row of rows) {
      if (row.passwordHash && (await check(row.passwordHash))) return { tenantId: row.tenantId, user: toStoredUser(row, undefined) };
    }
    return undefined;
  }

  // The groups each user is a direct member of (RFC 7643 §4.1.2 "groups").
  private async groupsOf(tenantId: string, userIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    const byUser = new Map<string, GroupRef[]>();
    if (userIds.length === 0) return byUser;
    const memberships = await this.prisma.groupMember.findMany({
      where: { tenantId, memberId: { in: [...userIds] } },
      select: { memberId: true, groupId: true, group: { select: { doc: true } } },
      orderBy: { groupId: "asc" },
    });
    for (const membership of memberships) {
      const display = String((JSON.parse(membership.group.doc) as { displayName?: unknown }).displayName ?? "");
      const list = byUser.get(membership.memberId) ?? [];
      list.push({ value: membership.groupId, display, type: "direct" });
      byUser.set(membership.memberId, list);
    }
    return byUser;
  }
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// After a conditional write touched no row: 404 if the resource is gone, else 412.
export async function missingOrStale(
  tx: Pick<Tx, "user" | "group">,
  tenantId: string,
  id: string,
  model: "user" | "group" = "user",
): Promise<ScimError> {
  const exists =
    model === "user"
      ? await tx.user.count({ where: { tenantId, id } })
      : await tx.group.count({ where: { tenantId, id } });
  return exists === 0
    ? ScimError.notFound(`${model === "user" ? "User" : "Group"} ${id} not found`)
    : ScimError.preconditionFailed("The resource has changed since the version given in If-Match");
}

function multiValuedChanged(before: Attributes, after: Attributes): boolean {
  return multiValuedUserAttributes.some((attr) => JSON.stringify(before[attr]) !== JSON.stringify(after[attr]));
}

function withoutUser<T extends { userId: string }>({ userId: _userId, ...rest }: T): Omit<T, "userId"> {
  return rest;
}

function toStoredUser(row: UserRow, groups: GroupRef[] | undefined): StoredUser {
  return { ...storedResource(row), ...(groups ? { groups } : {}) };
}

// A resource row as the core sees it: its version, timestamps and stored attributes.
export function storedResource(row: UserRow): Versioned & { attributes: Attributes } {
  return {
    id: row.id,
    version: row.version,
    created: row.created,
    lastModified: row.lastModified,
    attributes: JSON.parse(row.doc) as Attributes,
  };
}
