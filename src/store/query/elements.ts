import type { Sql, SqlValue } from "../driver/sql.ts";
import { conditionSql, expressionSql } from "./condition.ts";
import { maxElementOwners, type ElementOwners } from "./list.ts";

// The owners of element rows meeting a condition, read from the element table by its index.
export function elementOwners(sql: Sql): ElementOwners {
  return async (element) => {
    const args: SqlValue[] = [];
    const owner = expressionSql(element.owner, args);
    const rows = await sql.query<{ owner: string | null }>(
      `SELECT ${owner} AS "owner" FROM "${element.table}" WHERE ${conditionSql(element.where, args)} LIMIT ${maxElementOwners + 1}`,
      args,
    );
    if (rows.length > maxElementOwners) return undefined;
    return [...new Set(rows.map((row) => row.owner).filter((id): id is string => typeof id === "string"))];
  };
}
