import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

// `npm start` runs the esbuild bundle of src/main.ts (npm run build, dist/main.js) with plain node:
// the bundle builds, finds the committed migrations, applies them and serves.

let database: TestDatabase;
let server: ChildProcess;
let baseUrl: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await promisify(execFile)("npm", ["run", "-s", "build"], { timeout: 60_000 });
  server = spawn(process.execPath, ["--enable-source-maps", "dist/main.js"], {
    env: { ...process.env, DATABASE_URL: database.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: server.stdout! });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { port?: number; msg?: string };
    if (entry.port !== undefined) {
      baseUrl = `http://127.0.0.1:${entry.port}`;
      break;
    }
  }
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await once(server, "exit");
  }
  await database.drop();
});

describe("npm start (the bundle)", () => {
  it("serves: the health check answers, SCIM wants a token", async () => {
    const health = await fetch(`${baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toStrictEqual({ status: "ok", database: "reachable" });
    const users = await fetch(`${baseUrl}/scim/v2/Users`);
    expect(users.status).toBe(401);
    expect(await users.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
  });

  it("stops cleanly on SIGTERM", async () => {
    server.kill("SIGTERM");
    const [code] = await once(server, "exit");
    expect(code).toBe(0);
  });
});
