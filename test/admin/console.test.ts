import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";

// The console's files as the server answers them (docs/console.md); the console itself is driven
// in a browser by console.e2e.test.ts.

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function expectSecurityHeaders(headers: Record<string, string>) {
  expect(headers["content-security-policy"]).toBe(csp);
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("no-referrer");
}

describe("the console's page", () => {
  it.each(["/admin", "/admin/", "/admin/tenants", "/admin/tenants/acme/log", "/admin/tenants/acme/log/17", "/admin/tenants/acme/subscriptions/abc"])(
    "GET %s answers the HTML page with the security headers",
    async (path) => {
      const response = await app.http().get(path);
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^text\/html/);
      expect(response.headers["cache-control"]).toBe("no-store");
      expectSecurityHeaders(response.headers);
      expect(response.text).toContain('<script defer src="/admin/assets/console.js"></script>');
      expect(response.text).toContain('<link rel="stylesheet" href="/admin/assets/console.css">');
    },
  );

  it("has no inline script or style, which the policy would refuse", async () => {
    const response = await app.http().get("/admin");
    expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.text).not.toMatch(/<style|\sstyle=/);
  });
});

describe("the console's bundle", () => {
  it("answers the script, built from source once, with the security headers", async () => {
    const response = await app.http().get("/admin/assets/console.js");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/javascript/);
    expectSecurityHeaders(response.headers);
    expect(response.text.length).toBeGreaterThan(1000);
    const again = await app.http().get("/admin/assets/console.js").set("If-None-Match", response.headers["etag"] as string);
    expect(again.status).toBe(304);
  });

  it("answers the stylesheet, uPlot's included", async () => {
    const response = await app.http().get("/admin/assets/console.css");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/css/);
    expectSecurityHeaders(response.headers);
    expect(response.text).toContain(".u-legend");
    expect(response.text).toContain(".table-box");
  });

  it("answers 404 for a file it does not have, not the page", async () => {
    const response = await app.http().get("/admin/assets/other.js");
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).not.toMatch(/^text\/html/);
  });
});

describe("the admin API is not the console's", () => {
  it.each(["/admin/v1/tenants", "/admin/v1/session", "/admin/v1/no-such-thing", "/admin/v1"])("GET %s without a credential answers the API's 401 or 404", async (path) => {
    const response = await app.http().get(path);
    expect([401, 404]).toContain(response.status);
    expect(response.headers["content-type"]).toMatch(/json/);
    expect(response.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });

  it("GET /admin/v1/tenants with an admin credential answers the list", async () => {
    const { credential } = await app.server.adminCredentials.issue();
    const response = await app.http().get("/admin/v1/tenants").set("Authorization", `Bearer ${credential}`);
    expect(response.status).toBe(200);
    expect(response.body).toHaveProperty("data");
  });

  it("a POST under /admin is not answered by the page", async () => {
    const response = await app.http().post("/admin/tenants").send({});
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).not.toMatch(/^text\/html/);
  });
});
