import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { expectVyteError, unique, userBody, vyteClient, type VyteClient } from "./fixtures.ts";

// docs/compat/README.md §2 (JSON whatever the Content-Type) and docs/compat/vyte.md §3 (errors by
// status, body {status, message}; out-of-scope endpoints answer 404).

let app: TestApp;
let vyte: VyteClient;
beforeAll(async () => {
  app = await startTestApp({ MAX_BODY_BYTES: "4096" });
  vyte = await vyteClient(app, "vyte-errors");
});
afterAll(() => app.close());

const raw = (method: "post" | "put", path: string, contentType: string, body: string) =>
  app.http()[method](`/compat/vyte${path}`).set("Authorization", vyte.key).set("Content-Type", contentType).send(body);

describe("unknown routes and methods inside /compat/vyte", () => {
  it.each([
    ["GET", "/v2/nothing"],
    ["GET", "/"],
    ["GET", "/v1/users"],
    ["GET", "/v2/teams/5f2d28fb1e0662e70071d46b/events"],
    ["PUT", "/v2/teams/5f2d28fb1e0662e70071d46b/public"],
    ["GET", "/v2/availabilities"],
    ["PATCH", "/v2/users/5f2d28fb1e0662e70071d46b"],
    ["DELETE", "/v2/users"],
    ["POST", "/v2/auth/test"],
    ["POST", "/v2/teams/5f2d28fb1e0662e70071d46b"],
  ])("%s %s answers 404 in Vyte's envelope", async (method, path) => {
    const response = await app.http()[method.toLowerCase() as "get"](`/compat/vyte${path}`).set("Authorization", vyte.key);
    expectVyteError(response, 404);
  });
});

describe("request bodies", () => {
  it("reads JSON sent as a form or as text, as Vyte does", async () => {
    for (const contentType of ["application/x-www-form-urlencoded", "text/plain", "application/json"]) {
      const email = `${unique("typed")}@example.com`;
      const response = await raw("post", "/v2/users", contentType, JSON.stringify(userBody(vyte.organization, { email })));
      expect({ contentType, status: response.status, emails: response.body.user?.emails }).toEqual({ contentType, status: 200, emails: [email] });
    }
  });

  it("answers 400 for a body that is not JSON", async () => {
    expectVyteError(await raw("post", "/v2/users", "application/json", '{"organization": '), 400);
    expectVyteError(await raw("post", "/v2/users/batch", "application/json", "[{]"), 400);
  });

  it("answers 413 for a body over the size limit", async () => {
    const body = JSON.stringify(userBody(vyte.organization, { email: "big@example.com", first_name: "x".repeat(5000) }));
    expectVyteError(await raw("post", "/v2/users", "application/json", body), 413);
  });

  it.each([
    ["an array", "/v2/users", "post", [{ user: {} }]],
    ["null", "/v2/users", "post", null],
    ["a string user", "/v2/users", "post", { organization: "ORG", user: "someone" }],
    ["numbers as teams", "/v2/users", "post", { organization: "ORG", user: { email: "n@example.com" }, teams: [1, 2] }],
    ["a null member", "/v2/teams", "post", { name: "n", extid: "n", members: [null] }],
    ["a name that is not a string", "/v2/teams", "post", { name: 7, extid: "n" }],
    ["an array as a team update", "/v2/teams/5f2d28fb1e0662e70071d46b", "put", []],
  ])("answers 400, never 500, for %s", async (_name, path, method, body) => {
    const payload = JSON.parse(JSON.stringify(body).replaceAll("ORG", vyte.organization));
    const response = await raw(method as "post", path, "application/json", JSON.stringify(payload));
    expectVyteError(response, 400);
  });

  it("answers 400 for an empty POST /v2/users body (a user needs an email)", async () => {
    expectVyteError(await app.http().post("/compat/vyte/v2/users").set("Authorization", vyte.key), 400);
  });
});

describe("statuses Vyte does not send", () => {
  it("a uniqueness conflict in the store is a 400", async () => {
    const taken = `${unique("taken")}@example.com`;
    await vyte.post("/v2/users", userBody(vyte.organization, { email: taken })).expect(200);
    const other = (await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("other")}@example.com` })).expect(200)).body.user;
    const response = await vyte.put(`/v2/users/${other._id}`, { login: { credentials: { username: taken } } });
    expectVyteError(response, 400);
    expect(response.body.message).toMatch(/unique|already/i);
    expect((await vyte.get(`/v2/users/${other._id}`).expect(200)).body).toStrictEqual(other);
  });
});
