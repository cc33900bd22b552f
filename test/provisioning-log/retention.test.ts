import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOf, redactedJson, type LoggedRequest } from "../../src/provisioning-log/entry.ts";
import { ProvisioningLogRecorder } from "../../src/provisioning-log/recorder.ts";
import type { AnsweredRequest } from "../../src/provisioning-log/request.ts";
import { SqlProvisioningLogStore } from "../../src/store/provisioning-log.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

// The provisioning log's storage: batches written together, entries past the retention period
// and beyond the size cap deleted, oldest first.

let app: TestApp;
let store: SqlProvisioningLogStore;
beforeAll(async () => {
  app = await startTestApp({ PROVISIONING_LOG: "off" });
  store = new SqlProvisioningLogStore(app.server.database.sql);
});
afterAll(() => app.close());

function request(tenantId: string, at: Date, body = ""): LoggedRequest {
  return {
    tenantId,
    at,
    surface: "scim",
    client: "other",
    userAgent: null,
    method: "GET",
    path: "/scim/v2/Users",
    status: 200,
    scimType: null,
    detail: null,
    durationMs: 1.5,
    resourceType: null,
    resourceId: null,
    requestBody: body,
    responseBody: null,
  };
}

function answered(tenantId: string): AnsweredRequest {
  return {
    tenantId, at: Date.now(), durationMs: 1.5, status: 200, method: "GET", path: "/scim/v2/Users", userAgent: null, location: null,
    requestBody: null, failureBody: null,
  };
}

describe("retention", () => {
  it("deletes the entries older than the retention period, then the oldest beyond the size cap", async () => {
    const { id } = await app.server.tenants.ensure("retention");
    const now = Date.now();
    const old = Array.from({ length: 5 }, (_, index) => request(id, new Date(now - 10 * 86_400_000 + index)));
    const recent = Array.from({ length: 300 }, (_, index) => request(id, new Date(now - 300 + index), "x".repeat(800)));
    await store.append([...old, ...recent]);
    expect(await store.list(id, { limit: 500 })).toHaveLength(305);

    // Each recent entry counts its path and body and 200 bytes for the row: 100 of them fit.
    const size = 200 + "/scim/v2/Users".length + 800;
    const pruned = await store.prune(new Date(now - 7 * 86_400_000), 100 * size);
    expect(pruned).toEqual({ expired: 5, overSize: 200 });
    const left = await store.list(id, { limit: 500 });
    expect(left).toHaveLength(100);
    expect(left.map((entry) => entry.at.getTime())).toEqual(recent.slice(200).reverse().map((entry) => entry.at.getTime()));
    expect(await store.prune(new Date(now - 7 * 86_400_000), 100 * size)).toEqual({ expired: 0, overSize: 0 });
  });

  it("writes what it gathered in batches, and on stop", async () => {
    const { id } = await app.server.tenants.ensure("batches");
    const recorder = new ProvisioningLogRecorder(store, { mode: "all", retentionDays: 7, maxBytes: 1 << 30, logger: pino({ level: "silent" }), flushEveryMs: 60_000, batchSize: 500 });
    recorder.start();
    const written = async () => (await store.list(id, { limit: 5000 })).length;
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
    const record = (count: number) => {
      for (let index = 0; index < count; index += 1) recorder.record(answered(id));
    };
    // A batch's worth is written without waiting for the timer; fewer wait for it, or for stop.
    record(499);
    await settle();
    expect(await written()).toBe(0);
    record(1);
    await settle();
    expect(await written()).toBe(500);
    record(10);
    await settle();
    expect(await written()).toBe(500);
    await recorder.stop();
    expect(await written()).toBe(510);
  });
});

describe("what a request is recorded as", () => {
  it("recognises Okta and Entra", () => {
    expect(clientOf("Okta SCIM Client 1.0.0", "/scim/v2/Users")).toBe("okta");
    expect(clientOf("Microsoft Azure Active Directory SCIM Client", "/scim/v2/Users")).toBe("entra");
    expect(clientOf(undefined, "/scim/v2/Users?aadOptscim062020")).toBe("entra");
    expect(clientOf("curl/8.5.0", "/scim/v2/Users")).toBe("other");
    expect(clientOf(undefined, "/scim/v2/Users")).toBe("other");
  });

  it("redacts secrets by name at any depth, and a PATCH value whose path names one", () => {
    expect(
      JSON.parse(redactedJson({
        userName: "a",
        password: "p",
        "urn:x:ext": { apiKey: "k", client_secret: "s", accessToken: "t", note: "kept" },
        Operations: [
          { op: "replace", path: "password", value: "p2" },
          { op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:password", value: "p3" },
          { op: "add", path: "emails", value: [{ value: "a@example.com" }] },
        ],
      })),
    ).toEqual({
      userName: "a",
      password: "[redacted]",
      "urn:x:ext": { apiKey: "[redacted]", client_secret: "[redacted]", accessToken: "[redacted]", note: "kept" },
      Operations: [
        { op: "replace", path: "password", value: "[redacted]" },
        { op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:password", value: "[redacted]" },
        { op: "add", path: "emails", value: [{ value: "a@example.com" }] },
      ],
    });
  });
});
