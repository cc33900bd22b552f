import type { SequenceStore } from "../scim/ports.ts";
import type { Sql } from "./driver/sql.ts";

// Per-tenant counters in the Sequence table. One upsert (INSERT ... ON CONFLICT DO UPDATE ...
// RETURNING) per number: atomic on both databases, so concurrent servers never hand out the same
// number twice.
export class SqlSequenceStore implements SequenceStore {
  constructor(private readonly sql: Sql) {}

  next(tenantId: string, name: string): Promise<number> {
    return nextNumber(this.sql, tenantId, name);
  }
}

// The next number of a counter, through `sql`: inside a transaction it is handed out only if the
// transaction commits.
export async function nextNumber(sql: Sql, tenantId: string, name: string): Promise<number> {
  const [row] = await sql.query<{ last: number }>(
    `INSERT INTO "Sequence" ("tenantId", "name", "last") VALUES (?, ?, 1)
     ON CONFLICT ("tenantId", "name") DO UPDATE SET "last" = "Sequence"."last" + 1
     RETURNING "last"`,
    [tenantId, name],
  );
  return Number((row as { last: number }).last);
}

// Counts the writes that reorder a tenant's resources without change events (assign.ts), which
// a remembered page position must not outlive (query/positions.ts).
export const layoutSequenceName = "~layout";
