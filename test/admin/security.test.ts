import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";

// docs/admin-api.md, Authentication: the admin API takes an admin credential and nothing else,
// and an admin credential works nowhere else.

let app: TestApp;
let admin: { id: string; credential: string };
beforeAll(async () => {
  app = await startTestApp({ TOKEN_CACHE_SECONDS: "1" });
  admin = await app.server.adminCredentials.issue();
});
afterAll(() => app.close());

function expectUnauthorized(response: { status: number; body: Record<string, unknown> }): void {
  expect(response.status).toBe(401);
  expect(response.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
}

describe("the admin API's credential", () => {
  it("is required: no credential, a malformed one, a tenant's token or a compat key is refused", async () => {
    const tenantToken = await app.token("acme");
    const qaseToken = await app.credential("qase", "acme");
    const vyteKey = await app.credential("vyte", "acme");
    for (const authorization of [undefined, "Bearer", "Basic YWRtaW46YWRtaW4=", `Bearer ${tenantToken}`, `Bearer ${qaseToken}`, `Bearer ${vyteKey}`, `Bearer scimadm_${"0".repeat(16)}_${"0".repeat(32)}`]) {
      for (const path of ["/admin/v1/tenants", "/admin/v1/tenants/acme/log", "/admin/v1/nothing-here"]) {
        const request = app.http().get(path);
        const response = authorization === undefined ? await request : await request.set("Authorization", authorization);
        expectUnauthorized(response);
        expect(response.headers["www-authenticate"]).toBe('Bearer realm="admin"');
      }
    }
  });

  it("works on /admin/v1 only: SCIM, the events API and the compat APIs refuse it", async () => {
    const bearer = { Authorization: `Bearer ${admin.credential}` };
    await app.http().get("/admin/v1/tenants").set(bearer).expect(200);
    expectUnauthorized(await app.http().get("/scim/v2/Users").set(bearer));
    expect((await app.http().get("/events").set(bearer)).status).toBe(401);
    expect((await app.http().get("/compat/qase/scim/v2/Users").set(bearer)).status).toBe(401);
    expect((await app.http().get("/compat/vyte/api/v2/users").set(bearer)).status).toBe(401);
  });

  it("stops working once revoked", async () => {
    const revoked = await app.server.adminCredentials.issue();
    await app.http().get("/admin/v1/session").set("Authorization", `Bearer ${revoked.credential}`).expect(200);
    expect(await app.server.adminCredentials.revoke(revoked.id)).toBe(true);
    expectUnauthorized(await app.http().get("/admin/v1/session").set("Authorization", `Bearer ${revoked.credential}`));
    // The secret matters, not only the id.
    const forged = admin.credential.replace(/_[0-9a-f]{32}$/, `_${"f".repeat(32)}`);
    expectUnauthorized(await app.http().get("/admin/v1/session").set("Authorization", `Bearer ${forged}`));
  });

  it("is stored as a hash only, and listed without it", async () => {
    const secret = admin.credential.split("_").at(-1) as string;
    const rows = await app.server.database.sql.query<Record<string, unknown>>(`SELECT * FROM "AdminCredential"`, []);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows.map((row) => row.id)).toContain(admin.id);
  });
});

describe("npm run token -- --admin", () => {
  it("prints a credential the admin API accepts, lists it, and revokes it", async () => {
    const env = { ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: "silent" };
    const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/token.ts", ...args], { env, encoding: "utf8" });
    const issued = run("--admin");
    expect(issued.status).toBe(0);
    const credential = issued.stdout.trim();
    expect(credential).toMatch(/^scimadm_[0-9a-f]{16}_[0-9a-f]{32}$/);
    const id = credential.split("_")[1] as string;
    expect(issued.stderr).toContain(id);
    await app.http().get("/admin/v1/session").set("Authorization", `Bearer ${credential}`).expect(200);

    const listed = run("--admin", "--list", "--json");
    expect(listed.status).toBe(0);
    const rows = JSON.parse(listed.stdout) as { id: string; revoked: string }[];
    expect(rows.find((row) => row.id === id)).toMatchObject({ revoked: "" });
    expect(listed.stdout).not.toContain(credential.split("_")[2]);

    expect(run("--revoke", id).status).toBe(0);
    // Another process's revocation: refused once the cache's lifetime has passed.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expectUnauthorized(await app.http().get("/admin/v1/session").set("Authorization", `Bearer ${credential}`));
    expect(run("--admin", "--tenant", "acme").status).toBe(2);
  }, 60_000);
});
