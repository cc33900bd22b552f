import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { accepting, alive, buildBundle, listeningPort, repoRoot, runTool, serverEnv, startProcess, type ServerProcess } from "../support/process.ts";

// The server as `npm start` runs it (the esbuild bundle under plain node): it reads .env, logs
// its start and stop, serves, and on SIGTERM or SIGINT finishes the requests in flight, closes the
// database and exits 0, whether it was started by npm or directly.

let database: TestDatabase;
let bundle: string;
const started: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  bundle = await buildBundle("start");
}, 180_000);

afterAll(async () => {
  for (const server of started) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
  await database.drop();
});

function startBundle(env: Record<string, string> = {}, cwd = repoRoot): ServerProcess {
  const server = startProcess(process.execPath, ["--enable-source-maps", bundle], {
    cwd,
    env: serverEnv({ DATABASE_URL: database.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env }),
  });
  started.push(server);
  return server;
}

// A POST /scim/v2/Users whose body is sent in two parts: the request is in flight between them.
function halfSentCreate(port: number, token: string) {
  const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `inflight-${Date.now()}` });
  const req = request({
    host: "127.0.0.1",
    port,
    method: "POST",
    path: "/scim/v2/Users",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json", "Content-Length": Buffer.byteLength(body) },
  });
  const response = new Promise<{ status: number; body: string }>((done, fail) => {
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => done({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", fail);
  });
  // Handled here too: the tests that expect it to fail look at it only after the server exits.
  response.catch(() => undefined);
  req.write(body.slice(0, 20));
  return { response, finish: () => req.end(body.slice(20)) };
}

// The token tool shares the database, so its token works on this server.
async function tokenFor(port: number): Promise<string> {
  const run = await runTool("token", ["--tenant", `start-${port}`], database.url);
  expect(run.code).toBe(0);
  return run.stdout.trim();
}

describe("npm start (the bundle)", { timeout: 120_000 }, () => {
  it("logs its version, database and address at start (no credentials), serves, and logs its stop", async () => {
    const secret = "n0t-a-real-password";
    const url = testDatabaseKind === "postgresql" ? database.url.replace("postgres@", `postgres:${secret}@`) : database.url;
    const server = startBundle({ DATABASE_URL: url });
    const port = await listeningPort(server);
    const line = server.lines.find((entry) => entry.port === port)!;
    expect(line).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: testDatabaseKind, address: `http://127.0.0.1:${port}` });
    expect(typeof line.time).toBe("string");
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
    expect(String(line.location)).toContain(testDatabaseKind === "sqlite" ? "scim.db" : new URL(database.url).pathname);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const users = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`);
    expect(users.status).toBe(401);
    expect(await users.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });

    server.child.kill("SIGTERM");
    expect(await server.exited()).toStrictEqual({ code: 0, signal: null });
    expect(server.lines.some((entry) => entry.signal === "SIGTERM")).toBe(true);
    expect(server.lines.at(-1)).toMatchObject({ msg: "stopped" });
    expect(JSON.stringify(server.lines)).not.toContain(secret);
    expect(server.stderr()).toBe("");
  });

  it("reads .env from its working directory; the real environment wins", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scim-dotenv-"));
    try {
      mkdirSync(join(dir, "from-dotenv"));
      const databaseUrl = testDatabaseKind === "sqlite" ? "file:./from-dotenv/scim.db" : database.url;
      // HOST in the file names an address this machine lacks: the server starts only because the
      // environment's HOST wins.
      writeFileSync(join(dir, ".env"), `# settings\nDATABASE_URL=${databaseUrl}\nHOST=10.255.255.1\nLOG_LEVEL=info\nTOKEN_ISSUER="from dotenv"\n`);
      const env = serverEnv({ PORT: "0", HOST: "127.0.0.1" });
      const server = startProcess(process.execPath, [bundle], { cwd: dir, env });
      started.push(server);
      const port = await listeningPort(server);
      const line = server.lines.find((entry) => entry.port === port)!;
      expect(line.address).toBe(`http://127.0.0.1:${port}`);
      if (testDatabaseKind === "sqlite") expect(line.location).toBe("sqlite ./from-dotenv/scim.db");
      server.child.kill("SIGTERM");
      expect(await server.exited()).toStrictEqual({ code: 0, signal: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("creates ./data for the default database only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scim-default-"));
    try {
      const server = startProcess(process.execPath, [bundle], { cwd: dir, env: serverEnv({ PORT: "0", HOST: "127.0.0.1" }) });
      started.push(server);
      const port = await listeningPort(server);
      expect(server.lines.find((entry) => entry.port === port)).toMatchObject({ database: "sqlite", location: "sqlite ./data/scim.db" });
      server.child.kill("SIGTERM");
      expect(await server.exited()).toStrictEqual({ code: 0, signal: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("on SIGTERM finishes a request in flight, refuses new connections, then exits 0", async () => {
    const server = startBundle();
    const port = await listeningPort(server);
    const token = await tokenFor(port);
    const inflight = halfSentCreate(port, token);
    await sleep(200);
    server.child.kill("SIGTERM");
    await server.waitFor((entry) => entry.signal === "SIGTERM");
    expect(await accepting(port)).toBe(false);
    expect(alive(server.child.pid!)).toBe(true);
    inflight.finish();
    const response = await inflight.response;
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ userName: expect.stringMatching(/^inflight-/) });
    expect(await server.exited()).toStrictEqual({ code: 0, signal: null });
  });

  it("cuts off requests still in flight after SHUTDOWN_TIMEOUT_SECONDS, and exits 0", async () => {
    const server = startBundle({ SHUTDOWN_TIMEOUT_SECONDS: "1" });
    const port = await listeningPort(server);
    const inflight = halfSentCreate(port, await tokenFor(port));
    await sleep(200);
    const signalled = Date.now();
    server.child.kill("SIGTERM");
    await expect(inflight.response).rejects.toThrow();
    expect(await server.exited()).toStrictEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(900);
    expect(Date.now() - signalled).toBeLessThan(10_000);
  });

  it("exits at once on a second SIGINT while a request is still in flight", async () => {
    const server = startBundle({ SHUTDOWN_TIMEOUT_SECONDS: "60" });
    const port = await listeningPort(server);
    const inflight = halfSentCreate(port, await tokenFor(port));
    await sleep(200);
    server.child.kill("SIGINT");
    await server.waitFor((entry) => entry.signal === "SIGINT");
    await sleep(800);
    expect(alive(server.child.pid!)).toBe(true);
    server.child.kill("SIGINT");
    expect((await server.exited()).code).toBe(130);
    await expect(inflight.response).rejects.toThrow();
  });

  it("SIGTERM to the `npm start` process stops the server: nothing is left on the port", async () => {
    const npm = startProcess("npm", ["start"], {
      cwd: repoRoot,
      env: serverEnv({ DATABASE_URL: database.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" }),
    });
    started.push(npm);
    const port = await listeningPort(npm);
    const nodePid = npm.lines.find((entry) => entry.port === port)!.pid as number;
    expect(nodePid).not.toBe(npm.child.pid);
    expect(await accepting(port)).toBe(true);
    npm.child.kill("SIGTERM");
    expect((await npm.exited()).code).toBe(0);
    expect(npm.lines.at(-1)).toMatchObject({ msg: "stopped" });
    expect(alive(nodePid)).toBe(false);
    expect(await accepting(port)).toBe(false);
  });
});
