import type { UnitOfWork, UnitServices } from "../scim/unit-of-work.ts";
import type { Sql } from "./driver/sql.ts";

// The core's unit of work as one database transaction. `servicesOver` builds the services on the
// transaction's Sql, and every statement of the unit must go through it: on SQLite the
// transaction holds the one connection (driver/sqlite.ts, ConnectionGate), so a statement sent through
// another Sql would wait for the unit's end; on PostgreSQL it would run on another connection,
// outside the transaction, and could wait for a row lock the transaction holds.
export function transactionalUnitOfWork(sql: Sql, servicesOver: (tx: Sql) => UnitServices): UnitOfWork {
  return { run: (work) => sql.transaction((tx) => work(servicesOver(tx))) };
}
