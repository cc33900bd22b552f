import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../../support/app.ts";
import { createQaseUser, expectQaseError, newUser, patchOp, qaseBase, qaseClient, qaseListOf, startQaseApp, type QaseClient } from "./qase.client.ts";

// docs/compat/qase.md §2: Bearer tokens issued for the qase surface of one tenant;
// 401 for anything else, 403 when the tenant has SCIM disabled or the scopes do not allow it;
// every call sees only the caller's tenant; secrets never come back.

let app: TestApp;
let qase: QaseClient;
let user: Awaited<ReturnType<typeof createQaseUser>>;
beforeAll(async () => {
  ({ app, qase } = await startQaseApp());
  user = await createQaseUser(qase, "fixture@example.com");
});
afterAll(() => app.close());

interface Endpoint {
  readonly method: "get" | "post" | "put" | "patch" | "delete";
  readonly path: string;
  readonly body?: unknown;
}

const endpoints = (id: string): Endpoint[] => [
  { method: "get", path: "/Users" },
  { method: "get", path: `/Users/${id}` },
  { method: "post", path: "/Users", body: newUser("intruder@example.com") },
  { method: "put", path: `/Users/${id}`, body: newUser("intruder@example.com") },
  { method: "patch", path: `/Users/${id}`, body: patchOp({ op: "replace", path: "active", value: false }) },
  { method: "delete", path: `/Users/${id}` },
  { method: "get", path: "/ServiceProviderConfig" },
  { method: "get", path: "/Schemas" },
];

const send = (endpoint: Endpoint, authorization: string | undefined, prefix = qaseBase) => {
  let test = app.http()[endpoint.method](`${prefix}${endpoint.path}`);
  if (authorization !== undefined) test = test.set("Authorization", authorization);
  return endpoint.body === undefined ? test : test.set("Content-Type", "application/scim+json").send(JSON.stringify(endpoint.body));
};

async function expectFixtureUnchanged(): Promise<void> {
  const response = await qase.get(`/Users/${user.id}`).expect(200);
  expect(response.body).toStrictEqual(user);
}

describe("401 for anything but a Qase token of this server", () => {
  const rejected: [string, () => Promise<string | undefined>][] = [
    ["no Authorization header", async () => undefined],
    ["the token without the Bearer scheme", async () => qase.token],
    ["Basic credentials", async () => `Basic ${Buffer.from("admin:admin").toString("base64")}`],
    ["a bearer token that is no JWT", async () => "Bearer not-a-jwt"],
    ["an empty bearer token", async () => "Bearer "],
    ["the token signed with another secret", async () => `Bearer ${jwt.sign(jwt.decode(qase.token) as object, "another-secret-0123456789-0123456789")}`],
    ["a token for /scim/v2", async () => `Bearer ${await app.token()}`],
    ["a token for the Bytebase API", async () => `Bearer ${await app.credential("bytebase")}`],
    ["a token for the perm-api", async () => `Bearer ${await app.credential("perm-api")}`],
    ["a Vyte API key", async () => `Bearer ${await app.credential("vyte")}`],
    [
      "a revoked Qase token",
      async () => {
        const { id: tenantId } = await app.server.tenants.ensure("acme");
        const issued = await app.server.issueCompatCredential({ tenantId, surface: "qase", scopes: ["scim:read", "scim:write"] });
        await app.server.tokens.revoke(issued.id);
        return `Bearer ${issued.credential}`;
      },
    ],
    [
      "an expired Qase token",
      async () => {
        const { id: tenantId } = await app.server.tenants.ensure("acme");
        const issued = await app.server.issueCompatCredential({ tenantId, surface: "qase", scopes: ["scim:write"], ttlSeconds: 1 });
        await new Promise((resolve) => setTimeout(resolve, 2100));
        return `Bearer ${issued.credential}`;
      },
    ],
  ];

  it.each(rejected)("%s", async (_case, authorization) => {
    const header = await authorization();
    for (const endpoint of endpoints(user.id)) {
      const response = await send(endpoint, header);
      expectQaseError(response, 401);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
    }
    await expectFixtureUnchanged();
  });

  it("also on the /scim alias", async () => {
    expectQaseError(await send({ method: "delete", path: `/Users/${user.id}` }, undefined, "/compat/qase/scim"), 401);
    await expectFixtureUnchanged();
  });

  it("a Qase token does not open /scim/v2", async () => {
    expect((await app.http().get("/scim/v2/Users").set("Authorization", `Bearer ${qase.token}`)).status).toBe(401);
  });
});

describe("403 when SCIM is disabled for the tenant (option qase.scim=disabled)", () => {
  it("refuses every endpoint, for this tenant only, until enabled again", async () => {
    const other = await qaseClient(app, "other-workspace");
    await app.server.tenants.setOption("acme", "qase.scim", "disabled");
    try {
      for (const endpoint of endpoints(user.id)) {
        expectQaseError(await send(endpoint, `Bearer ${qase.token}`), 403, undefined, "SCIM is disabled for this workspace");
      }
      await other.get("/Users").expect(200);
    } finally {
      await app.server.tenants.setOption("acme", "qase.scim", undefined);
    }
    await expectFixtureUnchanged();
    await app.server.tenants.setOption("acme", "qase.scim", "enabled");
    await qase.get("/Users").expect(200);
  });
});

describe("scopes", () => {
  it("a read-only token reads, and gets 403 for every change", async () => {
    const reader = `Bearer ${await app.credential("qase", "acme", { scopes: ["scim:read"] })}`;
    for (const endpoint of endpoints(user.id)) {
      const response = await send(endpoint, reader);
      if (endpoint.method === "get") expect(response.status).toBe(200);
      else expectQaseError(response, 403);
    }
    await expectFixtureUnchanged();
  });
});

describe("tenant isolation", () => {
  let intruder: QaseClient;
  let theirs: Awaited<ReturnType<typeof createQaseUser>>;
  let mine: Awaited<ReturnType<typeof createQaseUser>>;
  beforeAll(async () => {
    const owner = await qaseClient(app, "isolated-owner");
    intruder = await qaseClient(app, "isolated-intruder");
    await createQaseUser(owner, "first@owner.example.com");
    theirs = await createQaseUser(owner, "theirs@owner.example.com");
    mine = await createQaseUser(intruder, "mine@intruder.example.com");
  });

  it("ids are per tenant: each tenant's first user is 1", async () => {
    expect(mine.id).toBe("1");
    expect(theirs.id).toBe("2");
  });

  it.each([
    ["GET", () => intruder.get(`/Users/${theirs.id}`)],
    ["PUT", () => intruder.put(`/Users/${theirs.id}`, newUser("stolen@example.com"))],
    ["PATCH", () => intruder.patch(`/Users/${theirs.id}`, patchOp({ op: "replace", path: "active", value: false }))],
    ["DELETE", () => intruder.delete(`/Users/${theirs.id}`)],
  ])("%s of another tenant's user id answers 404", async (_method, request) => {
    expectQaseError(await request(), 404);
    const owner = await qaseClient(app, "isolated-owner");
    expect((await owner.get(`/Users/${theirs.id}`).expect(200)).body).toStrictEqual(theirs);
  });

  it("the same id names the caller's own user", async () => {
    expect((await intruder.get(`/Users/${mine.id}`).expect(200)).body).toStrictEqual(mine);
  });

  it("lists and filters see the caller's users only", async () => {
    const all = qaseListOf(await intruder.get("/Users").expect(200));
    expect(all.Resources).toStrictEqual([mine]);
    const filtered = qaseListOf(await intruder.get(`/Users?filter=${encodeURIComponent('userName eq "theirs@owner.example.com" or id eq "2"')}`).expect(200));
    expect(filtered.totalResults).toBe(0);
  });

  it("userName uniqueness is per tenant", async () => {
    await createQaseUser(intruder, "theirs@owner.example.com");
  });
});

describe("secrets", () => {
  it("a password sent with a user is never returned", async () => {
    const password = "Correct-Horse-Battery-Staple-1";
    const created = await qase.post("/Users", newUser("secret@example.com", { password })).expect(201);
    const read = await qase.get(`/Users/${created.body.id}`).expect(200);
    const listed = await qase.get("/Users").expect(200);
    for (const response of [created, read, listed]) {
      expect(response.text).not.toContain(password);
      expect(response.text.toLowerCase()).not.toContain('"password"');
    }
  });
});
