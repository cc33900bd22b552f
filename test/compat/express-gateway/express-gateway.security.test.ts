import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../../support/app.ts";
import { egClient, prefix, startEgApp, steve, type EgClient } from "./express-gateway.fixture.ts";

// docs/compat/express-gateway.md §2: `apiKey <keyId>:<keySecret>` keys of this API only, bound to
// one tenant; 401 `Unauthorized` / 403 `Forbidden` in plain text; passwords never returned.

let app: TestApp;
let eg: EgClient;
let steveId: string;
beforeAll(async () => {
  ({ app, eg } = await startEgApp());
  steveId = (await eg.post("/users", steve).expect(200)).body.id;
});
afterAll(() => app.close());

const endpoints: readonly [method: "get" | "post" | "put" | "delete", path: string, body?: object][] = [
  ["get", "/users"],
  ["post", "/users", { username: "intruder", firstname: "I", lastname: "N" }],
  ["get", "/users/steve"],
  ["put", "/users/steve", { firstname: "Hacked" }],
  ["delete", "/users/steve"],
  ["put", "/users/steve/status", { status: false }],
  ["delete", "/users/steve/status", { status: false }],
  ["get", "/users/steve/nowhere"],
];

function send(method: (typeof endpoints)[number][0], path: string, body: object | undefined, authorization?: string) {
  const test = app.http()[method](`${prefix}${path}`);
  if (authorization !== undefined) test.set("Authorization", authorization);
  return body === undefined ? test : test.send(body);
}

async function expectUntouched() {
  const response = await eg.get("/users/steve").expect(200);
  expect(response.body).toMatchObject({ id: steveId, firstname: "Steve", isActive: true });
  await eg.get("/users/intruder").expect(404);
}

describe("401 Unauthorized", () => {
  const rejected: readonly [string, () => Promise<string | undefined>][] = [
    ["no Authorization header", async () => undefined],
    ["the key without the apiKey scheme", async () => eg.key],
    ["the key under the Bearer scheme", async () => `Bearer ${eg.key}`],
    ["a wrong secret", async () => `apiKey ${eg.key.split(":")[0]}:${"0".repeat(32)}`],
    ["a key id alone", async () => `apiKey ${eg.key.split(":")[0]}`],
    ["an empty secret", async () => `apiKey ${eg.key.split(":")[0]}:`],
    ["an unknown key id", async () => `apiKey 0123456789abcdef:${eg.key.split(":")[1]}`],
    ["the scheme alone", async () => "apiKey"],
    ["a SCIM bearer token", async () => `Bearer ${await app.token()}`],
    ["a SCIM bearer token under the apiKey scheme", async () => `apiKey ${await app.token()}`],
    [
      "a Vyte key of the same tenant, in this API's form",
      async () => {
        const vyte = await app.credential("vyte");
        return `apiKey ${vyte.slice(0, 16)}:${vyte.slice(16)}`;
      },
    ],
    ["a JWT issued for another compat API", async () => `apiKey ${await app.credential("qase")}`],
    [
      "a revoked key",
      async () => {
        const key = await app.credential("express-gateway");
        await app.server.keys.revoke(key.split(":")[0] as string);
        return `apiKey ${key}`;
      },
    ],
  ];

  it.each(rejected)("answers %s with 401 on every endpoint and changes nothing", async (_case, authorization) => {
    const header = await authorization();
    for (const [method, path, body] of endpoints) {
      const response = await send(method, path, body, header);
      expect({ path: `${method} ${path}`, status: response.status, text: response.text }).toEqual({ path: `${method} ${path}`, status: 401, text: "Unauthorized" });
      expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
    }
    await expectUntouched();
  });

  it("answers a valid key in the header with a wrong key in the query with 200 (the header wins)", async () => {
    await app.http().get(`${prefix}/users/steve?apiKey=nope:nope`).set("Authorization", `apiKey ${eg.key}`).expect(200);
  });

  it("answers an invalid key under the apiKey scheme with 401 even when the query has a valid one", async () => {
    const response = await app.http().get(`${prefix}/users/steve?apiKey=${eg.key}`).set("Authorization", "apiKey nope:nope");
    expect(response.status).toBe(401);
  });
});

describe("accepted credential forms", () => {
  it.each([["apiKey"], ["APIKEY"], ["apikey"], ["ApiKey"]])("accepts the %s scheme (case-insensitive)", async (scheme) => {
    await app.http().get(`${prefix}/users/steve`).set("Authorization", `${scheme} ${eg.key}`).expect(200);
  });

  it("takes the last space-separated part of the header as the key", async () => {
    await app.http().get(`${prefix}/users/steve`).set("Authorization", `apiKey  ignored ${eg.key}`).expect(200);
  });

  it("accepts the query parameter apiKey", async () => {
    const response = await app.http().get(`${prefix}/users/steve?apiKey=${encodeURIComponent(eg.key)}`).expect(200);
    expect(response.body.id).toBe(steveId);
  });

  it("falls back to the query when the header has another scheme", async () => {
    await app.http().get(`${prefix}/users/steve?apiKey=${eg.key}`).set("Authorization", "Basic YWRtaW46YWRtaW4=").expect(200);
  });
});

describe("403 Forbidden for a read-only key", () => {
  let reader: EgClient;
  beforeAll(async () => {
    reader = await egClient(app, "acme", ["scim:read"]);
  });

  it("reads", async () => {
    await reader.get("/users").expect(200);
    await reader.get("/users/steve").expect(200);
  });

  it.each(endpoints.filter(([method]) => method !== "get"))("%s %s answers 403 `Forbidden` and changes nothing", async (method, path, body) => {
    const response = await send(method, path, body, `apiKey ${reader.key}`);
    expect({ status: response.status, text: response.text }).toEqual({ status: 403, text: "Forbidden" });
    expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
    await expectUntouched();
  });
});

describe("tenant isolation", () => {
  let other: EgClient;
  beforeAll(async () => {
    other = await egClient(app, "globex");
  });

  it("another tenant's key sees none of this tenant's users", async () => {
    const list = await other.get("/users").expect(200);
    expect(list.body).toEqual({ users: [], nextKey: 0 });
    expect((await other.get("/users/steve").expect(404)).text).toBe("User not found: steve");
    expect((await other.get(`/users/${steveId}`).expect(404)).text).toBe(`User not found: ${steveId}`);
  });

  it("another tenant's key cannot change or delete them", async () => {
    await other.put("/users/steve", { firstname: "Hacked" }).expect(404);
    await other.put(`/users/${steveId}`, { firstname: "Hacked" }).expect(404);
    await other.put(`/users/${steveId}/status`, { status: false }).expect(404);
    await other.delete(`/users/${steveId}/status`, { status: false }).expect(404);
    await other.delete(`/users/${steveId}`).expect(404);
    await expectUntouched();
  });

  it("usernames are per tenant", async () => {
    const theirs = await other.post("/users", steve).expect(200);
    expect(theirs.body.id).not.toBe(steveId);
    expect((await other.get("/users/steve").expect(200)).body.id).toBe(theirs.body.id);
    expect((await eg.get("/users/steve").expect(200)).body.id).toBe(steveId);
  });

  it("tenant options apply to their own tenant only", async () => {
    await app.server.tenants.setOption("acme", "express-gateway.strictUpstreamStatus", "true");
    await app.server.tenants.setOption("globex", "express-gateway.requiredProperties", "username");
    await other.post("/users", { username: "only-name" }).expect(200);
    expect((await other.post("/users", { firstname: "F" })).status).toBe(400);
    const acme = await eg.post("/users", { username: "only-name" });
    expect({ status: acme.status, text: acme.text }).toEqual({ status: 500, text: "data should have required property 'firstname'" });
    await app.server.tenants.setOption("acme", "express-gateway.strictUpstreamStatus", undefined);
  });
});

describe("passwords", () => {
  it("are never returned, by any endpoint", async () => {
    const password = "Correct-Horse-Battery-9";
    const scim = await app.client();
    const created = await scim.post("/Users", { userName: "with-password", password, name: { givenName: "W", familyName: "P" } }).expect(201);
    const responses = [
      await eg.post("/users", { username: "eg-password", firstname: "E", lastname: "P", password }).expect(200),
      await eg.get("/users/with-password").expect(200),
      await eg.get(`/users/${created.body.id}`).expect(200),
      await eg.get("/users").expect(200),
      await eg.put("/users/with-password", { firstname: "Changed" }).expect(200),
    ];
    for (const response of responses) {
      expect(response.text).not.toContain(password);
      expect(response.text.toLowerCase()).not.toContain('"password"');
    }
  });
});
