import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

// Each test file gets a database of its own: a temporary SQLite file, or a fresh PostgreSQL
// database created on the server named by TEST_POSTGRES_URL. TEST_DATABASE picks which.

export type TestDatabaseKind = "sqlite" | "postgresql";

export const testDatabaseKind: TestDatabaseKind =
  process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";

export const defaultPostgresUrl = "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: TestDatabaseKind = testDatabaseKind): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "scim-test-"));
    return { url: `file:${join(dir, "scim.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.TEST_POSTGRES_URL ?? defaultPostgresUrl;
  const name = `scim_test_${randomBytes(6).toString("hex")}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function postgresReachable(url = process.env.TEST_POSTGRES_URL ?? defaultPostgresUrl): Promise<boolean> {
  try {
    await withClient(url, (client) => client.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}
