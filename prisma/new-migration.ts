// Writes a new migration for both databases: the SQL that takes the committed migrations to the
// current schema.prisma, diffed by Prisma's own schema engine (WASM build, no native binary).
//   npm run db:migration -- <name> [--from <git revision whose schema the last migration matches>]
import { SchemaEngine, type DiffTarget } from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const name = process.argv[2];
const fromRevision = process.argv.includes("--from") ? process.argv[process.argv.indexOf("--from") + 1] ?? "HEAD" : "HEAD";
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name, lower_snake_case>");
  process.exit(2);
}

const providers = {
  sqlite: { folder: "prisma/sqlite", factory: () => new PrismaBetterSqlite3({ url: ":memory:" }) },
  postgresql: {
    folder: "prisma/postgresql",
    factory: () => new PrismaPg({ connectionString: process.env.SHADOW_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" }),
  },
} as const;

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);

for (const [provider, { folder, factory }] of Object.entries(providers)) {
  const schemaPath = join(folder, "schema.prisma");
  const content = readFileSync(schemaPath, "utf8");
  const migrationsDir = join(folder, "migrations");
  const existing = existsSync(migrationsDir)
    ? readdirSync(migrationsDir).filter((entry) => existsSync(join(migrationsDir, entry, "migration.sql"))).sort()
    : [];
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory()),
  );
  // The committed migrations were made from the schema as committed at `--from` (default HEAD), so
  // the new migration is the difference between that schema and the working one.
  const previous = existing.length === 0 ? undefined : committedSchema(fromRevision, schemaPath);
  const from: DiffTarget =
    previous === undefined
      ? { tag: "empty" }
      : { tag: "schemaDatamodel", files: [{ path: schemaPath, content: previous }] };
  const result = await engine.diff({
    from,
    to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  const script = result.stdout ?? "";
  const sql = provider === "postgresql" ? byteOrdered(script) : script;
  if (!sql.trim() || sql.includes("This is an empty migration")) {
    console.log(`${provider}: no changes`);
    continue;
  }
  const dir = join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  writeFileSync(join(migrationsDir, "migration_lock.toml"), `# Written by prisma/new-migration.ts\nprovider = "${provider}"\n`);
  console.log(`${provider}: wrote ${dir}/migration.sql`);
}

function committedSchema(revision: string, path: string): string {
  return execFileSync("git", ["show", `${revision}:${path}`], { encoding: "utf8" });
}

// PostgreSQL text columns are compared in byte order (COLLATE "C"), as SQLite does, so that
// range scans for prefix filters and sort orders are the same on both databases whatever the
// database's default collation.
function byteOrdered(sql: string): string {
  return sql.replace(/^(\s+"\w+" TEXT)/gm, '$1 COLLATE "C"');
}
