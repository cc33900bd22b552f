import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";

// Credentials for the compat APIs: each works on its own API only, for its own tenant; API keys
// are stored as a hash of their secret; revocation applies at once in the issuing process.

let app: TestApp;
let tenantId: string;
beforeAll(async () => {
  app = await startTestApp();
  tenantId = (await app.server.tenants.ensure("acme")).id;
});
afterAll(() => app.close());

describe("API keys", () => {
  it("verify for their API and tenant, with their scopes and subject", async () => {
    const key = await app.server.keys.issue({ tenantId, surface: "vyte", scopes: ["scim:read"], subject: "u-1" });
    expect(await app.server.keys.verify(key.id, key.secret, "vyte")).toStrictEqual({
      tenantId,
      tenantName: "acme",
      scopes: ["scim:read"],
      credentialId: key.id,
      subject: "u-1",
    });
  });

  it.each([
    ["another API", (id: string, secret: string) => [id, secret, "express-gateway"]],
    ["a wrong secret", (id: string, secret: string) => [id, `${secret.slice(0, -1)}${secret.endsWith("0") ? "1" : "0"}`, "vyte"]],
    ["a truncated secret", (id: string, secret: string) => [id, secret.slice(1), "vyte"]],
    ["an unknown id", (_id: string, secret: string) => ["0000000000000000", secret, "vyte"]],
    ["the SCIM API", (id: string, secret: string) => [id, secret, "scim"]],
  ] as const)("refuse %s with a 401", async (_name, args) => {
    const key = await app.server.keys.issue({ tenantId, surface: "vyte", scopes: ["scim:read", "scim:write"] });
    const [id, secret, surface] = args(key.id, key.secret) as [string, string, string];
    await expect(app.server.keys.verify(id, secret, surface)).rejects.toMatchObject({ status: 401 });
  });

  it("keep only a hash of the secret", async () => {
    const key = await app.server.keys.issue({ tenantId, surface: "express-gateway", scopes: ["scim:read"] });
    const stored = await app.server.credentials.find(key.id);
    expect(stored).toMatchObject({ kind: "key:express-gateway", tenantId });
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.secretHash).not.toContain(key.secret);
  });

  it("stop working once their lifetime is over", async () => {
    const key = await app.server.keys.issue({ tenantId, surface: "express-gateway", scopes: ["scim:read"], ttlSeconds: 1 });
    expect((await app.server.credentials.find(key.id))?.expiresAt).toBeInstanceOf(Date);
    await app.server.keys.verify(key.id, key.secret, "express-gateway");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(app.server.keys.verify(key.id, key.secret, "express-gateway")).rejects.toMatchObject({ status: 401 });
  });

  it("stop working once revoked", async () => {
    const key = await app.server.keys.issue({ tenantId, surface: "vyte", scopes: ["scim:read"] });
    await app.server.keys.verify(key.id, key.secret, "vyte");
    expect(await app.server.keys.revoke(key.id)).toBe(true);
    await expect(app.server.keys.verify(key.id, key.secret, "vyte")).rejects.toMatchObject({ status: 401 });
  });
});

describe("bearer tokens bound to an API", () => {
  it("a compat API's token is refused by /scim/v2 and by the other compat APIs", async () => {
    const token = await app.credential("bytebase");
    expect((await app.server.tokens.verify(token, "bytebase")).tenantId).toBe(tenantId);
    await expect(app.server.tokens.verify(token, "qase")).rejects.toMatchObject({ status: 401 });
    expectScimError(await app.http().get("/scim/v2/Users").set("Authorization", `Bearer ${token}`), 401);
  });

  it("a SCIM token is refused by the compat APIs' verification", async () => {
    const { token } = await app.server.tokens.issue({ tenantId, scopes: ["scim:read"] });
    await expect(app.server.tokens.verify(token, "bytebase")).rejects.toMatchObject({ status: 401 });
    expect((await app.server.tokens.verify(token)).tenantId).toBe(tenantId);
  });
});

describe("tenant options", () => {
  it("are set, read and cleared per tenant", async () => {
    const globex = (await app.server.tenants.ensure("globex")).id;
    expect(await app.server.tenants.option(tenantId, "qase.scim")).toBeUndefined();
    await app.server.tenants.setOption("acme", "qase.scim", "disabled");
    expect(await app.server.tenants.option(tenantId, "qase.scim")).toBe("disabled");
    expect(await app.server.tenants.option(globex, "qase.scim")).toBeUndefined();
    await app.server.tenants.setOption("acme", "qase.scim", undefined);
    expect(await app.server.tenants.option(tenantId, "qase.scim")).toBeUndefined();
  });
});

describe("JWTs", () => {
  const expired = { status: 401, detail: expect.stringMatching(/expired/) };

  it("stop working when they expire, also after they were used while valid", async () => {
    // exp is in whole seconds, so a token of 1 s can have expired before its first use: 2 s leave
    // it valid for at least one.
    const { token } = await app.server.tokens.issue({ tenantId, scopes: ["scim:read"], ttlSeconds: 2 });
    const { exp } = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { exp: number };
    expect((await app.server.tokens.verify(token)).tenantId).toBe(tenantId);
    expect((await app.server.tokens.verify(token)).tenantId).toBe(tenantId);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 50));
    await expect(app.server.tokens.verify(token)).rejects.toMatchObject(expired);
    await expect(app.server.tokens.verify(token)).rejects.toMatchObject(expired);
  });

  it("are refused when one character of a token used before is changed", async () => {
    const { token } = await app.server.tokens.issue({ tenantId, scopes: ["scim:read"] });
    await app.server.tokens.verify(token);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    await expect(app.server.tokens.verify(flipped)).rejects.toMatchObject({ status: 401 });
    await expect(app.server.tokens.verify(token, "bytebase")).rejects.toMatchObject({ status: 401 });
  });
});
