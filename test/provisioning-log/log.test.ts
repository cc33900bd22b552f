import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUser, qaseClient } from "../compat/qase/qase.client.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

// docs/provisioning-log.md: every request to /scim/v2 and /compat/* of a tenant, with its client,
// status, error and resource, its body redacted, read back through the admin API.

const patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const okta = "Okta SCIM Client 1.0.0";
const entra = "Microsoft Azure Active Directory SCIM Client 1.0";

let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = (await app.server.adminCredentials.issue()).credential;
});
afterAll(() => app.close());

async function logOf(tenant: string, query = ""): Promise<Record<string, unknown>[]> {
  const response = await app.http().get(`/admin/v1/tenants/${tenant}/log${query}`).set("Authorization", `Bearer ${admin}`).expect(200);
  return response.body.data;
}

async function entry(tenant: string, id: unknown): Promise<Record<string, unknown>> {
  return (await app.http().get(`/admin/v1/tenants/${tenant}/log/${String(id)}`).set("Authorization", `Bearer ${admin}`).expect(200)).body;
}

function scim(token: string, userAgent?: string) {
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json", ...(userAgent ? { "User-Agent": userAgent } : {}) };
  return {
    post: (path: string, body: unknown) => app.http().post(`/scim/v2${path}`).set(headers).send(JSON.stringify(body)),
    patch: (path: string, body: unknown) => app.http().patch(`/scim/v2${path}`).set(headers).send(JSON.stringify(body)),
    get: (path: string) => app.http().get(`/scim/v2${path}`).set(headers),
  };
}

describe("the provisioning log", () => {
  it("records a request and its answer: client, method, path with query, status, duration, resource", async () => {
    const token = await app.token("log-basic");
    const created = await scim(token, okta).post("/Users", { userName: "ann", displayName: "Ann" }).expect(201);
    await scim(token, entra).get(`/Users?filter=${encodeURIComponent('userName eq "ann"')}`).expect(200);
    const [read, create] = await logOf("log-basic");
    expect(create).toMatchObject({
      surface: "scim",
      client: "okta",
      userAgent: okta,
      method: "POST",
      path: "/scim/v2/Users",
      status: 201,
      scimType: null,
      detail: null,
      resourceType: "User",
      resourceId: created.body.id,
    });
    expect(create!.durationMs).toBeGreaterThan(0);
    expect(Date.parse(create!.at as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(read).toMatchObject({ client: "entra", method: "GET", path: `/scim/v2/Users?filter=${encodeURIComponent('userName eq "ann"')}`, status: 200 });
    const detail = await entry("log-basic", create!.id);
    expect(JSON.parse(detail.requestBody as string)).toEqual({ userName: "ann", displayName: "Ann" });
    // The response of a success is not kept; the request is.
    expect(detail.responseBody).toBeNull();
  });

  it("records a failure with its scimType, detail and response body", async () => {
    const token = await app.token("log-failure");
    await scim(token).post("/Users", { userName: "bob" }).expect(201);
    const refused = await scim(token).post("/Users", { userName: "bob" }).expect(409);
    const [failure] = await logOf("log-failure", "?status=error");
    expect(failure).toMatchObject({ status: 409, scimType: "uniqueness", detail: refused.body.detail, client: "other" });
    const detail = await entry("log-failure", failure!.id);
    expect(JSON.parse(detail.responseBody as string)).toEqual(refused.body);
  });

  it("never keeps a password, token or key, in a resource or in a PATCH operation", async () => {
    const token = await app.token("log-secrets");
    const created = await scim(token).post("/Users", { userName: "carol", password: "Sup3r-secret-1" }).expect(201);
    await scim(token)
      .patch(`/Users/${created.body.id}`, { schemas: [patchOp], Operations: [{ op: "replace", path: "password", value: "Sup3r-secret-2" }] })
      .expect(200);
    await scim(token)
      .patch(`/Users/${created.body.id}`, { schemas: [patchOp], Operations: [{ op: "replace", value: { password: "Sup3r-secret-3", nickName: "C" } }] })
      .expect(200);
    const entries = await logOf("log-secrets");
    expect(entries).toHaveLength(3);
    for (const listed of entries) {
      const text = JSON.stringify(await entry("log-secrets", listed.id));
      expect(text).not.toMatch(/Sup3r-secret|Bearer|eyJ/);
      expect(text).toContain("[redacted]");
    }
    const patched = await entry("log-secrets", entries[0]!.id);
    expect(JSON.parse(patched.requestBody as string).Operations[0].value).toEqual({ password: "[redacted]", nickName: "C" });
  });

  it("cuts a large body at PROVISIONING_LOG_BODY_BYTES", async () => {
    const small = await startTestApp({ PROVISIONING_LOG_BODY_BYTES: "256" });
    try {
      const credential = (await small.server.adminCredentials.issue()).credential;
      const token = await small.token("log-cut");
      const body = { userName: "dave", displayName: "x".repeat(5000) };
      await small.http().post("/scim/v2/Users").set({ Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" }).send(JSON.stringify(body)).expect(201);
      const list = await small.http().get("/admin/v1/tenants/log-cut/log").set("Authorization", `Bearer ${credential}`).expect(200);
      const detail = await small.http().get(`/admin/v1/tenants/log-cut/log/${list.body.data[0].id}`).set("Authorization", `Bearer ${credential}`).expect(200);
      expect(Buffer.byteLength(detail.body.requestBody)).toBeLessThan(400);
      expect(detail.body.requestBody).toMatch(/cut at 256 bytes/);
    } finally {
      await small.close();
    }
  });

  it("records each compat API's requests under its name, with the error its envelope carried", async () => {
    const qase = await qaseClient(app, "log-compat");
    await qase.post("/Users", newUser("erin@example.com")).expect(201);
    const refused = await qase.post("/Users", newUser("erin@example.com")).expect(400);
    await qase.get("/Users/no-such-user").expect(404);
    const [missing, duplicate, created] = await logOf("log-compat");
    expect(created).toMatchObject({ surface: "qase", method: "POST", status: 201, resourceType: "User" });
    expect(duplicate).toMatchObject({ surface: "qase", status: 400, scimType: "invalidValue", detail: refused.body.detail });
    expect(missing).toMatchObject({ surface: "qase", status: 404, resourceType: "User", resourceId: "no-such-user" });
    expect(missing!.detail).toEqual(expect.any(String));
  });

  it("keeps each tenant's requests to itself", async () => {
    await scim(await app.token("log-tenant-a")).post("/Users", { userName: "only-a" }).expect(201);
    await scim(await app.token("log-tenant-b")).post("/Users", { userName: "only-b" }).expect(201);
    const a = await logOf("log-tenant-a");
    expect(a.map((listed) => listed.path)).toEqual(["/scim/v2/Users"]);
    const [b] = await logOf("log-tenant-b");
    await app.http().get(`/admin/v1/tenants/log-tenant-a/log/${String(b!.id)}`).set("Authorization", `Bearer ${admin}`).expect(404);
  });

  it("does not record a request whose credential was refused (its tenant is unknown)", async () => {
    await app.token("log-refused");
    await app.http().get("/scim/v2/Users").set("Authorization", "Bearer not-a-token").expect(401);
    expect(await logOf("log-refused")).toEqual([]);
  });

  it("filters by status, client, resource and time, newest first, a page at a time", async () => {
    const token = await app.token("log-filters");
    const first = await scim(token, okta).post("/Users", { userName: "f1" }).expect(201);
    await scim(token, entra).post("/Users", { userName: "f1" }).expect(409);
    await scim(token, entra).get("/Users/missing").expect(404);
    await scim(token, okta).get(`/Users/${first.body.id}`).expect(200);
    expect((await logOf("log-filters", "?status=4xx")).map((listed) => listed.status)).toEqual([404, 409]);
    expect((await logOf("log-filters", "?status=409")).map((listed) => listed.status)).toEqual([409]);
    expect((await logOf("log-filters", "?client=okta")).map((listed) => listed.status)).toEqual([200, 201]);
    expect((await logOf("log-filters", `?resource=${first.body.id}`)).map((listed) => listed.method)).toEqual(["GET", "POST"]);
    expect(await logOf("log-filters", `?since=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
    const page = await app.http().get("/admin/v1/tenants/log-filters/log?limit=3").set("Authorization", `Bearer ${admin}`).expect(200);
    expect(page.body.data).toHaveLength(3);
    const rest = await app.http().get(`/admin/v1/tenants/log-filters/log?limit=3&cursor=${page.body.nextCursor}`).set("Authorization", `Bearer ${admin}`).expect(200);
    expect(rest.body.data.map((listed: { status: number }) => listed.status)).toEqual([201]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it("counts requests and errors per client over time", async () => {
    const token = await app.token("log-activity");
    await scim(token, okta).post("/Users", { userName: "g1" }).expect(201);
    await scim(token, okta).post("/Users", { userName: "g1" }).expect(409);
    await scim(token, entra).get("/Users").expect(200);
    const response = await app.http().get("/admin/v1/tenants/log-activity/activity?bucket=minute").set("Authorization", `Bearer ${admin}`).expect(200);
    expect(response.body.bucket).toBe("minute");
    const byClient = Object.fromEntries(
      ["okta", "entra"].map((client) => [
        client,
        response.body.data.filter((point: { client: string }) => point.client === client).reduce(
          (sum: { requests: number; errors: number }, point: { requests: number; errors: number }) => ({ requests: sum.requests + point.requests, errors: sum.errors + point.errors }),
          { requests: 0, errors: 0 },
        ),
      ]),
    );
    expect(byClient).toEqual({ okta: { requests: 2, errors: 1 }, entra: { requests: 1, errors: 0 } });
    for (const point of response.body.data) expect(new Date(point.at).getUTCSeconds()).toBe(0);
  });

  it("answers a bad filter with a SCIM error", async () => {
    await app.token("log-bad");
    for (const query of ["?status=6xx", "?client=ping", "?since=yesterday", "?limit=0", "?cursor=abc"]) {
      const response = await app.http().get(`/admin/v1/tenants/log-bad/log${query}`).set("Authorization", `Bearer ${admin}`).expect(400);
      expect(response.body).toMatchObject({ status: "400", scimType: "invalidValue" });
    }
  });
});

describe("PROVISIONING_LOG", () => {
  it("errors: only failures are recorded", async () => {
    const errorsOnly = await startTestApp({ PROVISIONING_LOG: "errors" });
    try {
      const credential = (await errorsOnly.server.adminCredentials.issue()).credential;
      const client = await errorsOnly.client("log-errors");
      await client.post("/Users", { userName: "h1" }).expect(201);
      await client.post("/Users", { userName: "h1" }).expect(409);
      const list = await errorsOnly.http().get("/admin/v1/tenants/log-errors/log").set("Authorization", `Bearer ${credential}`).expect(200);
      expect(list.body.data.map((listed: { status: number }) => listed.status)).toEqual([409]);
    } finally {
      await errorsOnly.close();
    }
  });

  it("off: nothing is recorded", async () => {
    const off = await startTestApp({ PROVISIONING_LOG: "off" });
    try {
      const credential = (await off.server.adminCredentials.issue()).credential;
      const client = await off.client("log-off");
      await client.post("/Users", { userName: "i1" }).expect(201);
      await client.post("/Users", { userName: "i1" }).expect(409);
      const list = await off.http().get("/admin/v1/tenants/log-off/log").set("Authorization", `Bearer ${credential}`).expect(200);
      expect(list.body.data).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
