import type Sqlite from "better-sqlite3";

// The planner's statistics on SQLite (sqlite_stat1, and sqlite_stat4's per-value samples, which
// better-sqlite3's build of SQLite keeps), refreshed by the server itself: at start and then
// periodically (openSqlite), so that a database loaded in bulk or grown tenfold is planned from
// what it now holds, without an operator running ANALYZE.
//
// SQLite's `PRAGMA optimize` says which tables need it (it checks each table's size against the
// last analysis); they are then analyzed whole rather than with the optimize pragma's own row
// limit, which leaves sqlite_stat4 empty, and the plan of a prefix filter over a common value
// depends on those samples. Samples are then dropped for indexes over keys, as below.
//
// Per-value samples are kept only for indexes over attribute values, where the plan rightly
// depends on the value: a familyName prefix that a quarter of the users share is best walked in
// id order, a rare one through its index. Indexes over keys (unique ones, ids, member and owner
// ids) lose theirs: every key value has about the same rows, and a statement whose parameter
// meets a sampled index is prepared again each time it runs with a new value (docs/benchmarks.md,
// "Statistics on key indexes").

export type StatisticsScope = "stale" | "all";

// The tables analyzed.
export function refreshStatistics(db: Sqlite.Database, scope: StatisticsScope): string[] {
  const analyze =
    scope === "all"
      ? ["ANALYZE"]
      // 0x10003: report, without running them, the ANALYZE statements that checking every table
      // (not only those this connection has read) calls for.
      : (db.pragma("optimize = 0x10003") as Array<{ optimize: string }>).map((row) => row.optimize);
  if (analyze.length === 0) return [];
  const limit = db.pragma("analysis_limit", { simple: true }) as number;
  db.pragma("analysis_limit = 0");
  try {
    for (const statement of analyze) db.exec(statement);
  } finally {
    db.pragma(`analysis_limit = ${Number(limit)}`);
  }
  pruneKeySamples(db);
  return scope === "all" ? ["*"] : analyze.map((statement) => statement.replace(/^ANALYZE "main"\."(.*)"$/, "$1"));
}

function pruneKeySamples(db: Sqlite.Database): void {
  if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'").get()) return;
  const sampled = db.prepare("SELECT DISTINCT idx, tbl FROM sqlite_stat4").all() as Array<{ idx: string; tbl: string }>;
  const drop = db.prepare("DELETE FROM sqlite_stat4 WHERE idx = ?");
  for (const { idx, tbl } of sampled) if (isKeyIndex(db, tbl, idx)) drop.run(idx);
  // Loads the statistics as they now are.
  db.exec("ANALYZE sqlite_schema");
}

// Unique, or led (after tenantId) by an id column (id, userId, memberId, externalId, ...) or by
// a column a unique index is led by (userName, across tenants).
function isKeyIndex(db: Sqlite.Database, table: string, index: string): boolean {
  const indexes = db.prepare('SELECT name, "unique" FROM pragma_index_list(?)').all(table) as Array<{ name: string; unique: number }>;
  if (indexes.find((listed) => listed.name === index)?.unique) return true;
  const leading = leadingColumn(db, index);
  if (leading === undefined) return false;
  if (/^(id|\w+Id)$/.test(leading)) return true;
  return indexes.some((listed) => listed.unique && leadingColumn(db, listed.name) === leading);
}

function leadingColumn(db: Sqlite.Database, index: string): string | undefined {
  const columns = db.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").all(index) as Array<{ name: string }>;
  return columns.map((column) => column.name).find((name) => name !== "tenantId");
}
