import { defineConfig } from "prisma/config";

// The CLI's default schema is the embedded (SQLite) one; prisma/postgresql holds the same model
// for PostgreSQL. The server applies each folder's migrations itself at start (src/store/migrate.ts).
export default defineConfig({
  schema: "prisma/sqlite/schema.prisma",
  migrations: { path: "prisma/sqlite/migrations" },
});
