import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { alive, buildBundle, listeningPort, repoRoot, runTool, serverEnv, startProcess, type ServerProcess } from "../support/process.ts";

// WORKERS=N (src/workers.ts): N server processes on one port, on PostgreSQL; refused on SQLite
// with one line. A worker that dies is replaced; SIGTERM stops them all cleanly.

let bundle: string;
const started: ServerProcess[] = [];

beforeAll(async () => {
  bundle = await buildBundle("workers");
}, 180_000);

afterAll(() => {
  for (const server of started) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
});

function startBundle(env: Record<string, string>): ServerProcess {
  const server = startProcess(process.execPath, ["--enable-source-maps", bundle], {
    cwd: repoRoot,
    env: serverEnv({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env }),
  });
  started.push(server);
  return server;
}

const workerLine = (line: Record<string, unknown>) => typeof line.port === "number" && typeof line.address === "string";

describe("WORKERS", { timeout: 120_000 }, () => {
  it("is refused on SQLite with one line naming it, before anything starts", async () => {
    const folder = mkdtempSync(join(tmpdir(), "scim-workers-"));
    try {
      const server = startBundle({ DATABASE_URL: `file:${join(folder, "scim.db")}`, WORKERS: "2" });
      const { code } = await server.exited();
      expect(code).toBe(2);
      expect(server.stderr().trim().split("\n")).toStrictEqual(["scim-server cannot start: WORKERS: must be 1 on SQLite, which one process serves (several processes need PostgreSQL)"]);
      expect(server.lines.filter(workerLine)).toStrictEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("is refused when it is not a whole number of at least 1", async () => {
    const server = startBundle({ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", WORKERS: "0" });
    expect((await server.exited()).code).toBe(2);
    expect(server.stderr()).toMatch(/^scim-server cannot start: WORKERS: /);
  });
});

describe.runIf(testDatabaseKind === "postgresql")("WORKERS on PostgreSQL", { timeout: 180_000 }, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(() => database?.drop());

  it("runs N processes on one port that share the work, replaces one that dies, and stops them all on SIGTERM", async () => {
    const server = startBundle({ DATABASE_URL: database.url, WORKERS: "3" });
    const port = await listeningPort(server);
    await expect.poll(() => new Set(server.lines.filter(workerLine).map((line) => line.pid)).size, { timeout: 60_000 }).toBe(3);
    const workers = [...new Set(server.lines.filter(workerLine).map((line) => line.pid as number))];
    expect(workers).not.toContain(server.child.pid);
    expect(server.lines.filter(workerLine).every((line) => line.port === port)).toBe(true);

    const token = (await runTool("token", ["--tenant", "workers"], database.url)).stdout.trim();
    const get = () => fetch(`http://127.0.0.1:${port}/scim/v2/Users?count=1`, { headers: { authorization: `Bearer ${token}`, connection: "close" } });
    const statuses = await Promise.all(Array.from({ length: 60 }, async () => (await get()).status));
    expect(new Set(statuses)).toStrictEqual(new Set([200]));
    // Every request is logged by the process that answered it: more than one answered.
    const answeredBy = new Set(server.lines.filter((line) => line.path === "/scim/v2/Users" && line.status === 200).map((line) => line.pid));
    expect(answeredBy.size).toBeGreaterThan(1);

    // A worker that dies is replaced, and the port keeps answering.
    process.kill(workers[0]!, "SIGKILL");
    await server.waitFor((line) => line.msg === "a worker exited: starting another" && line.worker === workers[0]);
    await expect.poll(() => new Set(server.lines.filter(workerLine).map((line) => line.pid)).size, { timeout: 60_000 }).toBe(4);
    expect((await get()).status).toBe(200);

    server.child.kill("SIGTERM");
    const { code } = await server.exited();
    expect(code).toBe(0);
    const live = [...new Set(server.lines.filter(workerLine).map((line) => line.pid as number))].filter((pid) => pid !== workers[0]);
    expect(live.filter(alive)).toStrictEqual([]);
    expect(server.lines.filter((line) => line.msg === "stopped").length).toBe(3);
    expect(server.lines.at(-1)).toMatchObject({ msg: "every worker stopped" });
  });
});
