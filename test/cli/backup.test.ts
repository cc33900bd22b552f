import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";
import { runTool, type ToolRun } from "../support/process.ts";

// `npm run backup -- <file>`: an online copy of the SQLite database, taken while a server holds
// it open and writes; on PostgreSQL it points to pg_dump.

let app: TestApp;
let scim: ScimClient;
let dir: string;

const backup = (...args: string[]): Promise<ToolRun> => runTool("backup", args, app.database.url);

beforeAll(async () => {
  app = await startTestApp();
  scim = await app.client();
  dir = mkdtempSync(join(tmpdir(), "scim-backup-"));
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(testDatabaseKind === "sqlite")("npm run backup on SQLite", { timeout: 120_000 }, () => {
  it("copies the database while the server writes; the copy opens and holds what was committed", async () => {
    for (let index = 0; index < 50; index += 1) await scim.post("/Users", { userName: `kept-${index}` }).expect(201);
    let writing = true;
    const writes = (async () => {
      for (let index = 0; writing; index += 1) await scim.post("/Users", { userName: `during-${index}` }).expect(201);
    })();
    const file = join(dir, "copy.db");
    const run = await backup(file);
    writing = false;
    await writes;
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/backed up .* to .*copy\.db \(\d+ pages\)/);

    const copy = await openDatabase(`file:${file}`);
    try {
      const [integrity] = await copy.sql.query<{ integrity_check: string }>("PRAGMA integrity_check", []);
      expect(integrity?.integrity_check).toBe("ok");
      const rows = await copy.sql.query<{ userName: string }>('SELECT "userName" FROM "User" WHERE "userName" LIKE ?', ["kept-%"]);
      expect(rows).toHaveLength(50);
    } finally {
      await copy.close();
    }
  });

  it("refuses to overwrite a file, and needs exactly one file argument", async () => {
    const file = join(dir, "twice.db");
    expect((await backup(file)).code).toBe(0);
    const again = await backup(file);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    const none = await backup();
    expect(none.code).toBe(2);
    expect(none.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe.runIf(testDatabaseKind === "postgresql")("npm run backup on PostgreSQL", { timeout: 120_000 }, () => {
  it("points to PostgreSQL's own tools and writes nothing", async () => {
    const file = join(dir, "copy.db");
    const run = await backup(file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DATABASE_URL: is PostgreSQL: back it up with pg_dump/);
    expect(existsSync(file)).toBe(false);
  });
});
