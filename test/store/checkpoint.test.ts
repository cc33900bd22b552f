import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "../../src/store/driver/checkpoint.ts";

// The checkpoint worker (src/store/driver/checkpoint.ts): a connection of its own copies the log into
// the database file while the serving connection only appends to it.

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function database(): { path: string; db: Database.Database } {
  dir = mkdtempSync(join(tmpdir(), "checkpoint-"));
  const path = join(dir, "scim.db");
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // The serving connection never checkpoints here: whatever reaches the file is the worker's.
  db.pragma("wal_autocheckpoint = 0");
  db.exec("CREATE TABLE t (x TEXT)");
  return { path, db };
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

describe("startCheckpointer", () => {
  it("copies what the serving connection appends to the log into the database file", async () => {
    const { path, db } = database();
    const checkpointer = startCheckpointer(path);
    try {
      const before = statSync(path).size;
      const insert = db.prepare("INSERT INTO t VALUES (?)");
      db.transaction(() => {
        for (let i = 0; i < 500; i++) insert.run("x".repeat(2000));
      })();
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_000_000);

      expect(await until(() => statSync(path).size > before + 1_000_000, 5000)).toBe(true);
      expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 500 });
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it("stops: the worker ends and the database closes cleanly", async () => {
    const { path, db } = database();
    const checkpointer = startCheckpointer(path);
    db.prepare("INSERT INTO t VALUES (?)").run("x");
    await checkpointer.stop();
    db.close();

    const reopened = new Database(path, { readonly: true });
    expect(reopened.prepare("SELECT x FROM t").all()).toEqual([{ x: "x" }]);
    reopened.close();
  });
});
