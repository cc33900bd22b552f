import type { Sql, SqlValue } from "../sql.ts";
import { maxElementOwners, type ElementOwners } from "./list.ts";
import { column, modelTables, whereSql } from "./statements.ts";

// The owners of element rows meeting a condition, read from the element table by its index.
export function elementOwners(sql: Sql): ElementOwners {
  return async (location, where) => {
    const table = modelTables[location.model];
    const args: SqlValue[] = [];
    const rows = await sql.query<{ owner: string | null }>(
      `SELECT ${column(table, location.owner)} AS "owner" FROM "${table}" WHERE ${whereSql(where, table, args)} LIMIT ${maxElementOwners + 1}`,
      args,
    );
    if (rows.length > maxElementOwners) return undefined;
    return [...new Set(rows.map((row) => row.owner).filter((id): id is string => typeof id === "string"))];
  };
}
