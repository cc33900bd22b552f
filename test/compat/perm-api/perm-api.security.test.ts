import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { createRole, permApi, prefix, uniqueEmail, type CreatedRole, type PermApiClient } from "./fixtures.ts";

// docs/compat/perm-api.md §2: a bearer JWT issued for this API and bound to one tenant; DRF's 401
// and 403 bodies; every call scoped to the caller's tenant; no password ever returned (§3.1).

let app: TestApp;
let api: PermApiClient;
let scim: ScimClient;
let token: string;
let role: CreatedRole;
let user: { id: string; email: string };

beforeAll(async () => {
  app = await startTestApp();
  token = await app.credential("perm-api");
  api = permApi(app, token);
  scim = await app.client();
  role = await createRole(scim, "Admin", ["users.write"]);
  user = (await api.post("/api/v2/user", { email: uniqueEmail("acme"), password: "acme-Secret-1", groups: [role.roleId] }).expect(201)).body;
});
afterAll(() => app.close());

// Every endpoint, with a body where it takes one.
const endpoints = (id: string) =>
  [
    ["get", "/api/v2/user", undefined],
    ["post", "/api/v2/user", { email: "new@example.com", password: "pw" }],
    ["get", `/api/v2/user/${id}`, undefined],
    ["patch", `/api/v2/user/${id}`, { first_name: "Mallory" }],
    ["delete", `/api/v2/user/${id}`, undefined],
    ["get", "/api/v2/group", undefined],
  ] as const;

const send = (method: "get" | "post" | "patch" | "delete", path: string, body: unknown, authorization?: string) => {
  const test = app.http()[method](`${prefix}${path}`);
  if (authorization !== undefined) test.set("Authorization", authorization);
  return body === undefined ? test : test.set("Content-Type", "application/json").send(JSON.stringify(body));
};

describe("401 in DRF's words, with WWW-Authenticate", () => {
  // [case, Authorization header (undefined: none), expected detail]
  const rejected: readonly [string, () => Promise<string | undefined>, string][] = [
    ["no Authorization header", async () => undefined, "Authentication credentials were not provided."],
    ["another scheme", async () => `Token ${token}`, "Authentication credentials were not provided."],
    ["Basic credentials", async () => `Basic ${Buffer.from("admin:admin").toString("base64")}`, "Authentication credentials were not provided."],
    ["the token without a scheme", async () => token, "Authentication credentials were not provided."],
    ["Bearer and nothing else", async () => "Bearer", "Invalid token header. No credentials provided."],
    ["two tokens", async () => `Bearer ${token} ${token}`, "Invalid token header. Token string should not contain spaces."],
    ["a token that is no JWT", async () => "Bearer not-a-jwt", "Invalid token."],
    ["a SCIM token", async () => `Bearer ${await app.token("acme")}`, "Invalid token."],
    ["a Bytebase token", async () => `Bearer ${await app.credential("bytebase")}`, "Invalid token."],
    ["a Qase token", async () => `Bearer ${await app.credential("qase")}`, "Invalid token."],
    ["a Vyte key", async () => `Bearer ${await app.credential("vyte")}`, "Invalid token."],
    ["an Express Gateway key", async () => `Bearer ${await app.credential("express-gateway")}`, "Invalid token."],
    ["a tampered token", async () => `Bearer ${token.slice(0, -2)}${token.endsWith("xx") ? "yy" : "xx"}`, "Invalid token."],
  ];

  it.each(rejected)("%s", async (_case, header, detail) => {
    const authorization = await header();
    for (const [method, path, body] of endpoints(user.id)) {
      const response = await send(method, path, body, authorization);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.body).toEqual({ detail });
      expect(response.headers["www-authenticate"]).toBe('Bearer realm="api"');
    }
  });

  it("the bearer scheme is case-insensitive", async () => {
    await send("get", "/api/v2/group", undefined, `bearer ${token}`).expect(200);
  });

  it("a revoked token", async () => {
    const { id: tenantId } = await app.server.tenants.ensure("acme");
    const issued = await app.server.issueCompatCredential({ tenantId, surface: "perm-api", scopes: ["scim:read", "scim:write"] });
    await send("get", "/api/v2/group", undefined, `Bearer ${issued.credential}`).expect(200);
    await app.server.tokens.revoke(issued.id);
    await send("get", "/api/v2/group", undefined, `Bearer ${issued.credential}`).expect(401, { detail: "Invalid token." });
  });

  it("an expired token", async () => {
    const { id: tenantId } = await app.server.tenants.ensure("acme");
    const issued = await app.server.issueCompatCredential({ tenantId, surface: "perm-api", scopes: ["scim:read"], ttlSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await send("get", "/api/v2/group", undefined, `Bearer ${issued.credential}`).expect(401, { detail: "Invalid token." });
  });

  it("this API's token does not open /scim/v2", async () => {
    await app.http().get("/scim/v2/Users").set("Authorization", `Bearer ${token}`).expect(401);
  });
});

describe("403 for a read-only token on writes", () => {
  it("reads work; POST, PATCH and DELETE answer 403 and change nothing", async () => {
    const readOnly = `Bearer ${await app.credential("perm-api", "acme", { scopes: ["scim:read"] })}`;
    const before = (await api.get(`/api/v2/user/${user.id}`).expect(200)).body;
    const count = (await api.get("/api/v2/user").expect(200)).body.length;
    for (const [method, path, body] of endpoints(user.id)) {
      const response = await send(method, path, body, readOnly);
      if (method === "get") {
        expect(response.status, path).toBe(200);
      } else {
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(response.body).toEqual({ detail: "You do not have permission to perform this action." });
      }
    }
    expect((await api.get(`/api/v2/user/${user.id}`).expect(200)).body).toEqual(before);
    expect((await api.get("/api/v2/user").expect(200)).body.length).toBe(count);
  });
});

describe("tenant isolation", () => {
  let globex: PermApiClient;
  beforeAll(async () => {
    globex = permApi(app, await app.credential("perm-api", "globex"));
  });

  it("another tenant's user is not found by GET, PATCH or DELETE, and is not changed", async () => {
    const before = (await api.get(`/api/v2/user/${user.id}`).expect(200)).body;
    await globex.get(`/api/v2/user/${user.id}`).expect(404, { detail: "Not found." });
    await globex.patch(`/api/v2/user/${user.id}`, { first_name: "Mallory", groups: [] }).expect(404, { detail: "Not found." });
    await globex.delete(`/api/v2/user/${user.id}`).expect(404, { detail: "Not found." });
    expect((await api.get(`/api/v2/user/${user.id}`).expect(200)).body).toEqual(before);
  });

  it("lists show only the caller's users and roles", async () => {
    await globex.get("/api/v2/user").expect(200, []);
    await globex.get("/api/v2/group").expect(200, []);
  });

  it("another tenant's role ids do not exist", async () => {
    await globex
      .post("/api/v2/user", { email: uniqueEmail("globex"), password: "pw", groups: [role.roleId] })
      .expect(400, { groups: [`Invalid pk "${role.roleId}" - object does not exist.`] });
  });

  it("the same email may exist in two tenants; company is the caller's tenant", async () => {
    const created = await globex.post("/api/v2/user", { email: user.email, password: "pw" }).expect(201);
    const { id: globexId } = await app.server.tenants.ensure("globex");
    expect(created.body.company).toBe(globexId);
    expect(created.body.id).not.toBe(user.id);
    expect((await api.get(`/api/v2/user/${user.id}`).expect(200)).body.company).not.toBe(globexId);
  });
});

describe("secrets", () => {
  it("no response carries a password or its hash", async () => {
    const password = "n3ver-Shown-Secret";
    const created = await api.post("/api/v2/user", { email: uniqueEmail("secret"), password, groups: [role.roleId] }).expect(201);
    const responses = [
      created,
      await api.get(`/api/v2/user/${created.body.id}`).expect(200),
      await api.patch(`/api/v2/user/${created.body.id}`, { password: `${password}-2` }).expect(200),
      await api.get("/api/v2/user").expect(200),
    ];
    for (const response of responses) {
      expect(response.text).not.toContain(password);
      expect(response.text).not.toMatch(/password|scrypt/i);
    }
  });
});
