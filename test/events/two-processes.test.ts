import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.ts";
import { buildServer, type Server } from "../../src/server.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { buildBundle, listeningPort, repoRoot, serverEnv, startProcess, type ServerProcess } from "../support/process.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// Two server processes (the bundle under node) on one PostgreSQL database, both taking writes
// and both delivering: every write's event reaches each subscription once, none twice, while
// both run (docs/event-delivery.md, "Several processes"). SQLite has one serving process.

let database: TestDatabase;
let server: Server;
let bundle: string;
let receiver: Receiver;
const started: ServerProcess[] = [];

describe.runIf(testDatabaseKind === "postgresql")("two server processes on one PostgreSQL", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    [server, bundle, receiver] = await Promise.all([
      buildServer(readConfig({ DATABASE_URL: database.url }), pino({ level: "silent" })),
      buildBundle("events-two-processes"),
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
      env: serverEnv({ DATABASE_URL: database.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" }),
    });
    started.push(child);
    return child;
  }

  it("deliver every event of the writes both take, each once", async () => {
    const tenants = ["north", "south", "east", "west"];
    const clients: { token: string; name: string }[] = [];
    const paths: { path: string; name: string }[] = [];
    for (const name of tenants) {
      const tenant = await server.tenants.ensure(name);
      clients.push({ name, token: (await server.tokens.issue({ tenantId: tenant.id, scopes: ["scim:read", "scim:write"] })).token });
      // Two subscriptions per tenant, so that the processes have several to share.
      for (const copy of [1, 2]) {
        const path = `/${name}/${copy}`;
        const { secret } = await server.subscriptions.create({ tenantId: tenant.id, format: "webhook", url: receiver.url(path), types: [], audience: null, retryForSeconds: 3600 });
        receiver.expect(path, secret);
        paths.push({ path, name });
      }
    }
    const ports = await Promise.all([startServer(), startServer()].map((child) => listeningPort(child)));

    // Each tenant's users are created through both processes, then deactivated through the other.
    const created = new Map<string, string[]>(tenants.map((name) => [name, []]));
    await Promise.all(
      clients.flatMap(({ name, token }) =>
        ports.map(async (port, index) => {
          for (let i = 0; i < 40; i++) {
            const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" };
            const response = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
              method: "POST",
              headers,
              body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `${name}-${index}-${i}` }),
            });
            expect(response.status).toBe(201);
            const { id } = (await response.json()) as { id: string };
            created.get(name)!.push(id);
            const other = ports[1 - index];
            const patch = await fetch(`http://127.0.0.1:${other}/scim/v2/Users/${id}`, {
              method: "PATCH",
              headers,
              body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] }),
            });
            expect(patch.status).toBe(200);
          }
        }),
      ),
    );

    const perTenant = 2 * 40 * 2;
    await receiver.waitFor(perTenant * paths.length, { timeoutMs: 60_000 });
    // Both processes still run: nothing more arrives a moment later.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const { path, name } of paths) {
      const received = receiver.received.filter((entry) => entry.path === path);
      const ids = received.map((entry) => entry.eventId);
      expect(new Set(ids).size, `${path} received an event twice`).toBe(ids.length);
      expect(ids, path).toHaveLength(perTenant);
      const events = received.map((entry) => entry.event);
      expect(new Set(events.map((event) => event.sequence)), path).toStrictEqual(new Set(Array.from({ length: perTenant }, (_, i) => i + 1)));
      // Per user, its creation before its deactivation.
      for (const id of created.get(name)!) {
        expect(events.filter((event) => event.resource.id === id).map((event) => event.type), `${path} ${id}`).toStrictEqual(["user.created", "user.deactivated"]);
      }
    }
    expect(receiver.refused).toStrictEqual([]);
    for (const child of started) child.child.kill("SIGTERM");
    for (const child of started) expect((await child.exited()).code).toBe(0);
  });
});
