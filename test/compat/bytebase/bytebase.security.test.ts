import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { adminClient, bytebaseClient, expectBytebaseError, memberClient, newUser, prefix, scimIdOf, type BytebaseClient } from "./client.ts";

// docs/compat/bytebase.md §2 and docs/compat/README.md §4: credentials bound to the Bytebase
// surface and to one tenant, permissions; the deactivated lose their tokens; passwords never leave
// the server.

let app: TestApp;
let bb: BytebaseClient;
let user: { name: string; email: string };
beforeAll(async () => {
  app = await startTestApp();
  bb = await adminClient(app);
  user = (await bb.post("/v1/users", newUser({ password: "Secret-Pass-1" })).expect(200)).body;
});
afterAll(() => app.close());

const endpoints = [
  ["GET", "/v1/users"],
  ["POST", "/v1/users"],
  ["GET", "/v1/users/101"],
  ["PATCH", "/v1/users/101"],
  ["DELETE", "/v1/users/101"],
  ["POST", "/v1/users/101:undelete"],
  ["GET", "/v1/groups"],
  ["POST", "/v1/groups?group_email=g@example.com"],
  ["GET", "/v1/groups/g@example.com"],
  ["PATCH", "/v1/groups/g@example.com"],
  ["DELETE", "/v1/groups/g@example.com"],
] as const;

function send(method: (typeof endpoints)[number][0], path: string, headers: Record<string, string> = {}) {
  const http = app.http();
  const url = `${prefix}${path}`;
  const verbs = { GET: () => http.get(url), POST: () => http.post(url), PATCH: () => http.patch(url), DELETE: () => http.delete(url) };
  let test = verbs[method]();
  for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
  return method === "GET" || method === "DELETE" ? test : test.send({ title: "x" });
}

function expectUnauthenticated(response: Awaited<ReturnType<typeof send>>, message: string): void {
  expectBytebaseError(response, 401, 16, message);
  expect(response.headers["www-authenticate"]).toBe(message);
}

describe("authentication", () => {
  it.each(endpoints)("%s %s without a token answers 401 code 16 access token not found", async (method, path) => {
    expectUnauthenticated(await send(method, path), "access token not found");
  });

  it.each([
    ["another scheme", (token: string) => `Token ${token}`],
    ["no token after Bearer", () => "Bearer"],
    ["three parts", (token: string) => `Bearer ${token} extra`],
    ["Basic credentials", () => "Basic dXNlcjpwYXNz"],
  ])("an Authorization header with %s answers 401 (format)", async (_name, header) => {
    expectUnauthenticated(await send("GET", "/v1/users", { Authorization: header(bb.token) }), "authorization header format must be Bearer {token}");
  });

  it("reads the scheme in any case", async () => {
    await send("GET", "/v1/users", { Authorization: `bearer ${bb.token}` }).expect(200);
    await send("GET", "/v1/users", { Authorization: `BEARER   ${bb.token}` }).expect(200);
  });

  it("accepts the access-token cookie, the header winning when both are sent", async () => {
    await send("GET", "/v1/users", { Cookie: `theme=dark; access-token=${bb.token}` }).expect(200);
    expectUnauthenticated(await send("GET", "/v1/users", { Cookie: `access-token=${bb.token}`, Authorization: "Token x" }), "authorization header format must be Bearer {token}");
  });

  it.each([
    ["a malformed token", async () => "not-a-jwt"],
    ["a SCIM token", () => app.token("acme")],
    ["a Qase token", () => app.credential("qase", "acme")],
    ["a perm-api token", () => app.credential("perm-api", "acme")],
  ])("%s answers 401 failed to parse claim", async (_name, token) => {
    expectUnauthenticated(await send("GET", "/v1/users", { Authorization: `Bearer ${await token()}` }), "failed to parse claim");
  });

  it("an expired token answers 401 access token expired", async () => {
    const { id } = await app.server.tenants.ensure("acme");
    const { credential } = await app.server.issueCompatCredential({ tenantId: id, surface: "bytebase", scopes: ["scim:read"], ttlSeconds: -60 });
    expectUnauthenticated(await send("GET", "/v1/users", { Authorization: `Bearer ${credential}` }), "access token expired");
  });

  it("a revoked token answers 401", async () => {
    const { id } = await app.server.tenants.ensure("acme");
    const issued = await app.server.issueCompatCredential({ tenantId: id, surface: "bytebase", scopes: ["scim:read"] });
    await send("GET", "/v1/users", { Authorization: `Bearer ${issued.credential}` }).expect(200);
    await app.server.tokens.revoke(issued.id);
    expectBytebaseError(await send("GET", "/v1/users", { Authorization: `Bearer ${issued.credential}` }), 401, 16);
  });
});

describe("a token acting for a user", () => {
  it("stops working when the user is deactivated, and works again once activated", async () => {
    const target = (await bb.post("/v1/users", newUser({ password: "Worker-Pass-1" })).expect(200)).body;
    const signedIn = await app.http().post(`${prefix}/v1/auth/login`).send({ email: target.email, password: "Worker-Pass-1" }).expect(200);
    const own = bytebaseClient(app, signedIn.body.token);
    await own.get("/v1/users").expect(200);
    await bb.delete(`/v1/${target.name}`).expect(200);
    const uid = target.name.slice("users/".length);
    expectUnauthenticated(await own.get("/v1/users"), `user ID "${uid}" has been deactivated by administrators`);
    await bb.post(`/v1/${target.name}:undelete`).expect(200);
    await own.get("/v1/users").expect(200);
  });

  it("stops working when the user is deleted through SCIM", async () => {
    const target = (await bb.post("/v1/users", newUser()).expect(200)).body;
    const id = await scimIdOf(app, target.email);
    const own = bytebaseClient(app, await app.credential("bytebase", "acme", { subject: id }));
    await own.get("/v1/users").expect(200);
    await (await app.client()).delete(`/Users/${id}`).expect(204);
    expectUnauthenticated(await own.get("/v1/users"), `user ID "${id}" not exists in the access token`);
  });
});

describe("permissions", () => {
  it("a read-only token reads but cannot write", async () => {
    const reader = await adminClient(app, "acme", ["scim:read"]);
    await reader.get("/v1/users").expect(200);
    await reader.get(`/v1/${user.name}`).expect(200);
    await reader.get("/v1/groups").expect(200);
    expectBytebaseError(await reader.post("/v1/users", newUser()), 403, 7, 'user does not have permission "bb.users.create"');
    expectBytebaseError(await reader.patch(`/v1/${user.name}`, { title: "x" }), 403, 7, 'user does not have permission "bb.users.update"');
    expectBytebaseError(await reader.delete(`/v1/${user.name}`), 403, 7, 'user does not have permission "bb.users.delete"');
    expectBytebaseError(await reader.post(`/v1/${user.name}:undelete`), 403, 7, 'user does not have permission "bb.users.undelete"');
    expectBytebaseError(await reader.post("/v1/groups?group_email=r@example.com", {}), 403, 7, 'user does not have permission "bb.groups.create"');
    expectBytebaseError(await reader.patch("/v1/users/reader-new@example.com?allow_missing=true", { title: "x", userType: "USER" }), 403, 7, 'user does not have permission "bb.users.create"');
  });

  it("a write-only token cannot read", async () => {
    const writer = await adminClient(app, "acme", ["scim:write"]);
    expectBytebaseError(await writer.get("/v1/users"), 403, 7, 'user does not have permission "bb.users.list"');
  });

  it("a non-admin user updates itself and nobody else", async () => {
    const self = await memberClient(app, user.email);
    const other = (await bb.post("/v1/users", newUser()).expect(200)).body;
    expect((await self.patch(`/v1/${user.name}`, { title: "Self service" }).expect(200)).body.title).toBe("Self service");
    expect((await self.patch(`/v1/users/${user.email}?update_mask=phone`, { phone: "+14155550100" }).expect(200)).body.phone).toBe("+14155550100");
    expectBytebaseError(await self.patch(`/v1/${other.name}`, { title: "Not mine" }), 403, 7, 'user does not have permission "bb.users.update"');
    expectBytebaseError(await self.delete(`/v1/${user.name}`), 403, 7);
  });
});

describe("tenant isolation", () => {
  let other: BytebaseClient;
  beforeAll(async () => {
    other = await adminClient(app, "other-tenant");
    await bb.post("/v1/groups?group_email=acme-group@example.com", { title: "Acme group" }).expect(200);
  });

  it("another tenant's users and groups are invisible and untouchable", async () => {
    expectBytebaseError(await other.get(`/v1/${user.name}`), 404, 5);
    expectBytebaseError(await other.get(`/v1/users/${user.email}`), 404, 5);
    expectBytebaseError(await other.patch(`/v1/${user.name}`, { title: "x" }), 404, 5);
    expectBytebaseError(await other.delete(`/v1/${user.name}`), 404, 5);
    expectBytebaseError(await other.get("/v1/groups/acme-group@example.com"), 404, 5);
    expectBytebaseError(await other.delete("/v1/groups/acme-group@example.com"), 404, 5);
    expect((await other.get("/v1/users?show_deleted=true").expect(200)).body.users).toStrictEqual([]);
    expect((await other.get("/v1/groups").expect(200)).body.groups).toStrictEqual([]);
    expectBytebaseError(await other.post("/v1/groups?group_email=x@example.com", { members: [{ member: `users/${user.email}`, role: "MEMBER" }] }), 400, 3, `cannot found member users/${user.email}`);
  });

  it("uids are per tenant: the same name means another user in another tenant", async () => {
    const created = await other.post("/v1/users", newUser()).expect(200);
    expect(created.body.name).toBe("users/101");
    expect((await bb.get("/v1/users/101").expect(200)).body.email).not.toBe(created.body.email);
    expect((await other.get("/v1/users/101").expect(200)).body.email).toBe(created.body.email);
  });
});

describe("secrets", () => {
  it("passwords and service keys are never returned after creation", async () => {
    const password = "Never-Returned-Pass-1";
    const responses = [
      await bb.post("/v1/users", newUser({ password })),
      await bb.get(`/v1/${user.name}`),
      await bb.get("/v1/users?show_deleted=true"),
      await bb.patch(`/v1/${user.name}`, { password }),
      await app.http().post(`${prefix}/v1/auth/login`).send({ email: user.email, password }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.text).not.toContain(password);
    }
    const account = (await bb.post("/v1/users", newUser({ email: "secret@service.bytebase.com", userType: "SERVICE_ACCOUNT" })).expect(200)).body;
    expect((await bb.get("/v1/users").expect(200)).text).not.toContain(account.serviceKey);
    const scim = await app.client();
    expect((await scim.get("/Users").expect(200)).text).not.toContain(account.serviceKey);
  });
});
