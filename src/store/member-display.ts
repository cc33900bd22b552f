import { writeTime } from "./clock.ts";
import type { Sql } from "./driver/sql.ts";

// RFC 7643 §4.2: a member's display is the member's current name (a user's displayName, else its
// userName; a group's displayName), never what a client once sent. When a user or group is renamed,
// the membership rows that show it follow in the same transaction, and the groups listing it get a
// new version and lastModified: their representation changed, so their ETag must.
export async function refreshMemberDisplay(tx: Sql, tenantId: string, memberId: string, name: string): Promise<void> {
  const stale = `"tenantId" = ? AND "memberId" = ? AND ("display" IS NULL OR "display" <> ?)`;
  await tx.execute(
    `UPDATE "Group" SET "version" = "version" + 1, "lastModified" = ?
     WHERE "tenantId" = ? AND "id" IN (SELECT "groupId" FROM "GroupMember" WHERE ${stale})`,
    [writeTime(), tenantId, tenantId, memberId, name],
  );
  await tx.execute(`UPDATE "GroupMember" SET "display" = ? WHERE ${stale}`, [name, tenantId, memberId, name]);
}

// The name a user or group shows as a member or manager, from its attributes.
export function referenceName(attributes: Record<string, unknown>): string {
  return String(attributes.displayName ?? attributes.userName ?? "");
}

// The same, from a stored document.
export function referenceNameOf(doc: string): string {
  return referenceName(JSON.parse(doc) as Record<string, unknown>);
}
