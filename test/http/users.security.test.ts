import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { describeAuthentication } from "./auth.suite.ts";
import { describeTenantIsolation, publicBaseUrl, resourceKinds } from "./resource.behaviour.ts";

describeAuthentication([
  { method: "GET", path: "/Users" },
  { method: "POST", path: "/Users", body: { schemas: [userUrn], userName: "intruder" } },
  { method: "GET", path: "/Users/:user" },
  { method: "PUT", path: "/Users/:user", body: { schemas: [userUrn], userName: "fixture-user", title: "Changed" } },
  {
    method: "PATCH",
    path: "/Users/:user",
    body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "Changed" }] },
  },
  { method: "DELETE", path: "/Users/:user" },
  { method: "POST", path: "/Users/.search", body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] }, reads: true },
  { method: "POST", path: "/.search", body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] }, reads: true },
  { method: "GET", path: "/Me" },
  {
    method: "POST",
    path: "/Bulk",
    body: {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [{ method: "POST", path: "/Users", bulkId: "intruder", data: { userName: "bulk-intruder" } }],
    },
  },
]);

describeTenantIsolation(resourceKinds.User);

// RFC 7643 §4.1.1, §7: password is writeOnly and returned "never", whatever the request asks for.
describe("password is never returned", () => {
  const password = "Correct-Horse-Battery-Staple-1";
  let app: TestApp;
  let scim: ScimClient;
  let id: string;
  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
    scim = await app.client();
    const created = await scim.post("/Users", { schemas: [userUrn], userName: "secretive", password }).expect(201);
    id = created.body.id;
  });
  afterAll(() => app.close());

  it.each([
    ["POST", () => scim.post("/Users", { userName: "other-secretive", password })],
    ["POST with attributes=password", () => scim.post("/Users?attributes=password", { userName: "third-secretive", password })],
    ["GET", () => scim.get(`/Users/${id}`)],
    ["GET with attributes=password", () => scim.get(`/Users/${id}?attributes=password`)],
    ["GET with attributes=userName,password", () => scim.get(`/Users/${id}?attributes=userName,password`)],
    ["GET with excludedAttributes=userName", () => scim.get(`/Users/${id}?excludedAttributes=userName`)],
    ["list", () => scim.get("/Users")],
    ["list with attributes=password", () => scim.get("/Users?attributes=password")],
    ["PUT", () => scim.put(`/Users/${id}`, { userName: "secretive", password })],
    ["PUT with attributes=password", () => scim.put(`/Users/${id}?attributes=password`, { userName: "secretive", password })],
  ])("%s never carries the password", async (_name, send) => {
    const response = await send();
    expect(response.status).toBeLessThan(300);
    expect(response.text).not.toContain(password);
    expect(response.text.toLowerCase()).not.toContain('"password"');
  });
});
