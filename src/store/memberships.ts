import type { ChangeEvents } from "../scim/ports.ts";
import type { NewEvent } from "../events/catalogue.ts";
import { writeTime } from "./clock.ts";
import type { Sql } from "./driver/sql.ts";
import { resourceRow } from "./query/list.ts";
import { resourceColumnList, storedResource } from "./versioned.ts";

// Before a user or group is deleted (its membership rows go with it, by the foreign keys): the
// groups it was a member of get a new version, as their members changed, and a member_removed
// event each. In the deletion's transaction.
export async function leaveGroups(tx: Sql, tenantId: string, memberId: string, type: "User" | "Group", events: ChangeEvents): Promise<NewEvent[]> {
  const rows = await tx.query(
    `UPDATE "Group" SET "version" = "version" + 1, "lastModified" = ?
     WHERE "tenantId" = ? AND "id" IN (SELECT "groupId" FROM "GroupMember" WHERE "tenantId" = ? AND "memberId" = ?)
     RETURNING ${resourceColumnList}`,
    [writeTime(), tenantId, tenantId, memberId],
  );
  return rows.flatMap((row) => events.membersChanged(storedResource(resourceRow(row)), [], [{ value: memberId, type }]));
}
