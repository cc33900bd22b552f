import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.ts";
import { buildServer, type Server } from "../../src/server.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { buildBundle, listeningPort, repoRoot, serverEnv, startProcess, type ServerProcess } from "../support/process.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// The server as it runs (the bundle under node), killed with SIGKILL while it takes writes and
// delivers their events, then started again: the event of every write it acknowledged reaches
// the receiver (at least once; the outbox is written in the write's own transaction).

let database: TestDatabase;
let server: Server;
let bundle: string;
let receiver: Receiver;
const started: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  [server, bundle, receiver] = await Promise.all([
    buildServer(readConfig({ DATABASE_URL: database.url }), pino({ level: "silent" })),
    buildBundle("events-crash"),
    startReceiver(),
  ]);
}, 180_000);

afterAll(async () => {
  for (const child of started) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill("SIGKILL");
  await receiver?.close();
  await server?.close();
  await database?.drop();
});

function startServer(): ServerProcess {
  const child = startProcess(process.execPath, ["--enable-source-maps", bundle], {
    cwd: repoRoot,
    // A short lease: the restarted process takes the killed one's subscriptions over soon.
    env: serverEnv({ DATABASE_URL: database.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", EVENTS_LEASE_SECONDS: "2" }),
  });
  started.push(child);
  return child;
}

// Creates users on the server at `port` from `writers` loops until `stop()`; the ids of the
// creates it acknowledged with 201.
function writeLoad(port: number, token: string, writers: number) {
  const acknowledged: string[] = [];
  let stopping = false;
  let next = 0;
  const loop = async () => {
    while (!stopping) {
      const userName = `crash-${process.pid}-${port}-${next++}`;
      try {
        const response = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
          body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName }),
        });
        const body = (await response.json()) as { id?: string };
        if (response.status === 201 && body.id) acknowledged.push(body.id);
      } catch {
        // The process was killed under this request: it was not acknowledged.
        return;
      }
    }
  };
  const loops = Array.from({ length: writers }, loop);
  return {
    acknowledged,
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
    },
    // Resolves once every loop has ended by itself (the server went away).
    ended: () => Promise.all(loops),
  };
}

describe(`kill -9 under write load (${testDatabaseKind})`, { timeout: 90_000 }, () => {
  it("every acknowledged write's event arrives after the server is killed and started again", async () => {
    const tenant = await server.tenants.ensure("crash");
    const { token } = await server.tokens.issue({ tenantId: tenant.id, scopes: ["scim:read", "scim:write"] });
    const { secret } = await server.subscriptions.create({ tenantId: tenant.id, format: "webhook", url: receiver.url("/crash"), types: ["user.created"], audience: null, retryForSeconds: 3600 });
    receiver.expect("/crash", secret);

    const first = startServer();
    const firstLoad = writeLoad(await listeningPort(first), token, 8);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.child.kill("SIGKILL");
    expect((await first.exited()).signal).toBe("SIGKILL");
    await firstLoad.ended();

    const second = startServer();
    const secondLoad = writeLoad(await listeningPort(second), token, 4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await secondLoad.stop();

    const acknowledged = [...firstLoad.acknowledged, ...secondLoad.acknowledged];
    expect(firstLoad.acknowledged.length).toBeGreaterThan(20);
    const arrived = () => new Set(receiver.received.filter((entry) => entry.event.type === "user.created").map((entry) => entry.event.resource.id));
    const deadline = performance.now() + 20_000;
    while (acknowledged.some((id) => !arrived().has(id)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const missing = acknowledged.filter((id) => !arrived().has(id));
    expect(missing, `${missing.length} of ${acknowledged.length} acknowledged creates have no event at the receiver`).toStrictEqual([]);
    expect(receiver.refused).toStrictEqual([]);
    second.child.kill("SIGTERM");
    expect((await second.exited()).code).toBe(0);
  });
});
