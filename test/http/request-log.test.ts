import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";

// One structured log line per request, without tokens, passwords or query strings.

const lines: string[] = [];
let app: TestApp;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp({}, pino({ level: "info" }, { write: (line: string) => void lines.push(line) }));
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
  it("writes one line per request with tenant, method, path without query, status and duration", async () => {
    const tenant = (await app.server.tenants.ensure("acme")).id;
    const entries = await logOf(async () => {
      await scim.post("/Users?attributes=userName", { userName: "logged" }).expect(201);
      await scim.get("/Users?startIndex=1&count=5").expect(200);
      await scim.get("/Users/no-such-user").expect(404);
    }, 3);
    expect(entries.map(({ tenant: t, method, path, status }) => ({ tenant: t, method, path, status }))).toStrictEqual([
      { tenant, method: "POST", path: "/scim/v2/Users", status: 201 },
      { tenant, method: "GET", path: "/scim/v2/Users", status: 200 },
      { tenant, method: "GET", path: "/scim/v2/Users/no-such-user", status: 404 },
    ]);
    for (const entry of entries) {
      expect(entry.level).toBe(30);
      expect(typeof entry.durationMs).toBe("number");
    }
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
