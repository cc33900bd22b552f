import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { StartupError } from "../../config.ts";
import { databaseKind, sqlitePath } from "./url.ts";

// An online backup of the SQLite database: SQLite's backup API copies it page by page into a new
// file while the server keeps serving (writes made meanwhile are copied too), so the copy is a
// consistent database. PostgreSQL has its own tools (pg_dump, base backups), which this does not
// replace. Returns the number of pages copied.
export async function backupSqlite(url: string, destination: string): Promise<number> {
  if (databaseKind(url) !== "sqlite") {
    throw new StartupError("DATABASE_URL", "is PostgreSQL: back it up with pg_dump (e.g. pg_dump --format=custom --file=scim.dump \"$DATABASE_URL\"), see docs/operations.md");
  }
  const target = resolve(destination);
  if (existsSync(target)) throw new Error(`${target} already exists`);
  if (!existsSync(dirname(target))) throw new Error(`the folder ${dirname(target)} does not exist`);
  const source = sqlitePath(url);
  if (!existsSync(source)) throw new StartupError("DATABASE_URL", `${source} does not exist`);
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 30_000 });
  try {
    const { totalPages } = await db.backup(target);
    return totalPages;
  } finally {
    db.close();
  }
}
