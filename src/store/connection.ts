import type { Sql } from "./driver/sql.ts";
import { openPostgres } from "./driver/postgresql.ts";
import { openSqlite } from "./driver/sqlite.ts";
import { databaseKind, sqlitePath } from "./driver/url.ts";

// A connection of its own to a database the server has already opened and migrated
// (database.ts), for a worker thread: no migrations, no checkpointer, no Prisma client. On SQLite
// it is a second connection to the file, which waits for the serving connection's write lock as
// another process's would; on PostgreSQL a pool of `poolSize`.
export interface Connection {
  readonly sql: Sql;
  close(): Promise<void>;
}

export function openConnection(url: string, poolSize: number): Connection {
  if (databaseKind(url) === "sqlite") {
    const driver = openSqlite(sqlitePath(url));
    return { sql: driver.sql, close: async () => driver.close() };
  }
  const driver = openPostgres(url, poolSize);
  return { sql: driver.sql, close: () => driver.close() };
}
