import type { DatabaseKind } from "./sql.ts";

// Which database a DATABASE_URL names: a file: URL is SQLite, anything else PostgreSQL.
export function databaseKind(url: string): DatabaseKind {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

// The SQLite file a file: URL names.
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}
