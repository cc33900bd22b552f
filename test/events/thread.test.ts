import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { threadId as mainThreadId } from "node:worker_threads";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryThread } from "../../src/delivery-thread.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// The server delivers events from a thread of its own (src/delivery-thread.ts) with its own
// connection: writes through the API wake it, their events arrive signed, a thread that fails is
// started again, and a stopped one delivers nothing more.

let app: TestApp;
let scim: ScimClient;
let receiver: Receiver;
let tenantId: string;

beforeAll(async () => {
  app = await startTestApp();
  scim = await app.client("threaded");
  tenantId = (await app.server.tenants.ensure("threaded")).id;
  receiver = await startReceiver({ maxAgeSeconds: 300 });
});

afterAll(async () => {
  await receiver?.close();
  await app?.close();
});

async function subscribe(path: string): Promise<void> {
  const { secret } = await app.server.subscriptions.create({
    tenantId,
    format: "webhook",
    url: receiver.url(path),
    types: [],
    audience: null,
    retryForSeconds: 3600,
  });
  receiver.expect(path, secret);
}

const user = (userName: string) => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true });

describe(`event delivery on its own thread (${testDatabaseKind})`, () => {
  it("delivers the events of API writes from another thread, in order per resource, until stopped", async () => {
    const delivery = app.server.delivery;
    expect(delivery).toBeInstanceOf(DeliveryThread);
    const thread = delivery as DeliveryThread;
    await subscribe("/threaded");
    thread.start();
    expect(thread.threadId).toBeGreaterThan(mainThreadId);

    const created: string[] = [];
    for (let index = 0; index < 20; index++) {
      const response = await scim.post("/Users", user(`threaded.${index}@example.com`)).expect(201);
      created.push(String(response.body.id));
      await scim.patch(`/Users/${response.body.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] }).expect(200);
    }
    await receiver.waitFor(40, { path: "/threaded", timeoutMs: 10_000 });
    const received = receiver.received.filter((entry) => entry.path === "/threaded");
    expect(received).toHaveLength(40);
    expect(receiver.refused).toEqual([]);
    for (const id of created) {
      expect(received.filter((entry) => entry.event.resource.id === id).map((entry) => entry.event.type)).toEqual(["user.created", "user.deactivated"]);
    }

    await thread.stop();
    expect(thread.threadId).toBeUndefined();
    await scim.post("/Users", user("after-stop@example.com")).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(receiver.received.filter((entry) => entry.path === "/threaded")).toHaveLength(40);
  });

  it("starts another thread when one fails, and stops while waiting to", async () => {
    const lines: { msg: string; level: number }[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string; level: number }) });
    const dir = mkdtempSync(join(tmpdir(), "scim-thread-"));
    try {
      // A folder that does not exist: the thread cannot open its connection and ends.
      const thread = new DeliveryThread(
        {
          config: { DATABASE_URL: `file:${join(dir, "missing", "scim.db")}`, LOG_LEVEL: "silent", LOG_FORMAT: "json", EVENTS_RETENTION_DAYS: 30, EVENTS_LEASE_SECONDS: 30 },
          userAgent: "scim-server/test",
          issuer: "http://localhost",
          signingKey: app.server.securityEvents.key.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
          setMode: "full",
        },
        logger,
      );
      thread.start();
      const ended = () => lines.filter((line) => line.msg.startsWith("event delivery: the delivery thread ended")).length;
      const deadline = Date.now() + 15_000;
      while (ended() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(ended()).toBeGreaterThanOrEqual(2);
      expect(lines.some((line) => line.msg === "event delivery: the delivery thread failed" && line.level === 50)).toBe(true);
      const stopping = Date.now();
      await thread.stop();
      expect(Date.now() - stopping).toBeLessThan(5000);
      const after = ended();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(ended()).toBe(after);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes the provisioning log's entries over its own connection, and the serving thread does once it is stopped", async () => {
    const inserts: string[] = [];
    const logged = await startTestApp({}, pino({ level: "silent" }), {
      onQuery: (event) => void (event.query.startsWith('INSERT INTO "ProvisioningRequest"') && inserts.push(event.query)),
    });
    try {
      const admin = (await logged.server.adminCredentials.issue()).credential;
      const client = await logged.client("thread-log");
      const logOf = async () =>
        (await logged.http().get("/admin/v1/tenants/thread-log/log").set("Authorization", `Bearer ${admin}`).expect(200)).body.data as { path: string }[];
      logged.server.delivery.start();
      await client.post("/Users", user("thread-log-1@example.com")).expect(201);
      await client.get("/Users").expect(200);
      expect((await logOf()).map((entry) => entry.path)).toEqual(["/scim/v2/Users", "/scim/v2/Users"]);
      expect(inserts).toEqual([]);

      await logged.server.delivery.stop();
      await client.get("/Groups").expect(200);
      expect((await logOf()).map((entry) => entry.path)).toEqual(["/scim/v2/Groups", "/scim/v2/Users", "/scim/v2/Users"]);
      expect(inserts).toHaveLength(1);
    } finally {
      await logged.close();
    }
  });
});
