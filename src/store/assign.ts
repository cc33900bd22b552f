import type { Allocate, Attributes } from "../scim/ports.ts";
import { sameJson } from "../scim/resource/json.ts";
import { writeTime } from "./clock.ts";
import { extensionValueRows, type IndexedAttribute } from "./extension-values.ts";
import { insertSql } from "./query/statements.ts";
import { layoutSequenceName, nextNumber } from "./sequences.ts";
import { runStatement, type Sql, type SqlValue } from "./driver/sql.ts";

// Rows read at a time while every resource of a tenant is gone through.
const rowsPerRead = 500;

const owners = { User: "userId", Group: "groupId" } as const;

/**
 * Gives each resource of the tenant what `complete` makes of its attributes (the product ids of a
 * compat API being enabled, the values of a tenant schema being removed), in the caller's
 * transaction. A resource that changes is a new version, with its lastModified and the index
 * rows of the extensions whose values changed (`indexed`: the indexed attributes of the tenant's
 * extensions); the others are left as they were. Returns how many changed.
 */
export async function completeResources(
  tx: Sql,
  tenantId: string,
  table: "User" | "Group",
  complete: (attributes: Attributes, allocate: Allocate) => Promise<Attributes>,
  indexed: readonly IndexedAttribute[],
): Promise<number> {
  const owner = owners[table];
  const allocate: Allocate = (name) => nextNumber(tx, tenantId, name);
  let changed = 0;
  // Oldest first, so that sequence numbers follow the order the resources were made in.
  for (let after: { created: SqlValue; id: string } | undefined; ; ) {
    const rows = await tx.query<{ id: string; doc: string; created: SqlValue }>(
      `SELECT "id", "doc", "created" FROM "${table}" WHERE "tenantId" = ?${after ? ' AND ("created", "id") > (?, ?)' : ""} ORDER BY "created", "id" LIMIT ?`,
      after ? [tenantId, after.created, after.id, rowsPerRead] : [tenantId, rowsPerRead],
    );
    for (const row of rows) {
      const before = JSON.parse(row.doc) as Attributes;
      const next = await complete(before, allocate);
      if (sameJson(before, next)) continue;
      await tx.execute(`UPDATE "${table}" SET "doc" = ?, "version" = "version" + 1, "lastModified" = ? WHERE "tenantId" = ? AND "id" = ?`, [
        JSON.stringify(next),
        writeTime(),
        tenantId,
        row.id,
      ]);
      const changedUrns = Object.keys({ ...before, ...next }).filter((key) => key.startsWith("urn:") && !sameJson(before[key], next[key]));
      for (const urn of changedUrns) {
        await tx.execute(`DELETE FROM "ExtensionValue" WHERE "${owner}" = ? AND substr("attr", 1, ?) = ?`, [row.id, urn.length + 1, `${urn}:`]);
      }
      const rewritten = indexed.filter((attribute) => changedUrns.includes(attribute.urn));
      const values = extensionValueRows(tenantId, next, rewritten).map((value) => ({ ...value, [owner]: row.id }));
      if (values.length > 0) await runStatement(tx, insertSql("ExtensionValue", values));
      changed++;
    }
    if (rows.length < rowsPerRead) {
      if (changed > 0) await nextNumber(tx, tenantId, layoutSequenceName);
      return changed;
    }
    after = rows.at(-1);
  }
}
