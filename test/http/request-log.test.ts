import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";

// One structured log line per request, with the tenant's name and id on every surface, an ISO
// time, and no tokens, passwords or query strings.

const lines: string[] = [];
let app: TestApp;
let scim: ScimClient;
beforeAll(async () => {
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString()), done()) });
  app = await startTestApp({}, createLogger({ LOG_LEVEL: "info", LOG_FORMAT: "json" }, sink));
  scim = await app.client();
});
afterAll(() => app.close());

// Runs the requests and answers the log lines they wrote.
async function logOf(send: () => Promise<unknown>, expectedLines: number): Promise<Record<string, unknown>[]> {
  lines.length = 0;
  await send();
  await vi.waitFor(() => expect(lines).toHaveLength(expectedLines));
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("request log", () => {
  it("writes one line per request with the tenant's name and id, method, path without query, status and duration", async () => {
    const tenantId = (await app.server.tenants.ensure("acme")).id;
    const entries = await logOf(async () => {
      await scim.post("/Users?attributes=userName", { userName: "logged" }).expect(201);
      await scim.get("/Users?startIndex=1&count=5").expect(200);
      await scim.get("/Users/no-such-user").expect(404);
    }, 3);
    expect(entries.map(({ tenant, tenantId: id, method, path, status }) => ({ tenant, tenantId: id, method, path, status }))).toStrictEqual([
      { tenant: "acme", tenantId, method: "POST", path: "/scim/v2/Users", status: 201 },
      { tenant: "acme", tenantId, method: "GET", path: "/scim/v2/Users", status: 200 },
      { tenant: "acme", tenantId, method: "GET", path: "/scim/v2/Users/no-such-user", status: 404 },
    ]);
    for (const entry of entries) {
      expect(entry.level).toBe(30);
      expect(typeof entry.durationMs).toBe("number");
      expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
    }
  });

  it.each([
    { surface: "bytebase", path: "/compat/bytebase/v1/users", header: (credential: string) => `Bearer ${credential}` },
    { surface: "vyte", path: "/compat/vyte/v2/users", header: (credential: string) => credential },
    { surface: "perm-api", path: "/compat/perm-api/api/v2/user", header: (credential: string) => `Bearer ${credential}` },
    { surface: "qase", path: "/compat/qase/scim/v2/Users", header: (credential: string) => `Bearer ${credential}` },
    { surface: "express-gateway", path: "/compat/express-gateway/users", header: (credential: string) => `apiKey ${credential}` },
  ] as const)("names the tenant on the $surface API too, also when the request is refused after authentication", async ({ surface, path, header }) => {
    const tenant = `log-${surface}`;
    const tenantId = (await app.server.tenants.ensure(tenant)).id;
    const reader = await app.credential(surface, tenant, { scopes: ["scim:read"] });
    const entries = await logOf(async () => {
      await app.http().get(path).set("Authorization", header(reader)).expect(200);
      await app.http().post(path).set("Authorization", header(reader)).set("Content-Type", "application/json").send("{}");
    }, 2);
    expect(entries.map((entry) => ({ tenant: entry.tenant, tenantId: entry.tenantId, path: entry.path }))).toStrictEqual([
      { tenant, tenantId, path },
      { tenant, tenantId, path },
    ]);
    expect(entries[1]!.status).toBeGreaterThanOrEqual(400);
  });

  it("LOG_FORMAT=pretty writes readable lines instead of JSON", () => {
    const written: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (written.push(chunk.toString()), done()) });
    createLogger({ LOG_LEVEL: "info", LOG_FORMAT: "pretty" }, sink).info({ tenant: "acme", status: 200 }, "request");
    const text = written.join("");
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}.*INFO.*request/);
    expect(text).toMatch(/tenant: "acme"/);
  });

  it("logs rejected requests too, without a tenant", async () => {
    const [entry] = await logOf(() => app.http().get("/scim/v2/Users").set("Authorization", "Bearer forged.token.value").expect(401), 1);
    expect(entry).toMatchObject({ method: "GET", path: "/scim/v2/Users", status: 401 });
    expect(entry?.tenant).toBeUndefined();
  });

  it("never contains the bearer token, a password or the query string", async () => {
    const password = "Sup3r-Secret-Passw0rd";
    const entries = await logOf(async () => {
      const created = await scim.post("/Users?secretParam=qs-secret-value", { userName: "private-person", password }).expect(201);
      await scim.put(`/Users/${created.body.id}`, { userName: "private-person", password }).expect(200);
      await app.http().get("/scim/v2/Users").set("Authorization", "Bearer forged-token-value").expect(401);
      await scim.post("/Users", { userName: "x", password: 42, note: password }).expect(400);
    }, 4);
    const text = JSON.stringify(entries);
    for (const secret of [scim.token, password, "forged-token-value", "qs-secret-value", "private-person", "authorization"]) {
      expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });
});
