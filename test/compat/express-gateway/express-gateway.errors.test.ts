import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../../support/app.ts";
import { prefix, startEgApp, steve, type EgClient } from "./express-gateway.fixture.ts";

// docs/compat/express-gateway.md §5 and §8: plain-text bodies, upstream's statuses (validation → 500,
// kept by the tenant option strictUpstreamStatus=true), and the two tenant options that change them.

let app: TestApp;
let eg: EgClient;
// Most cases here pin upstream's 500, which the tenant option "true" keeps (§8).
beforeAll(async () => {
  ({ app, eg } = await startEgApp());
  await eg.post("/users", steve).expect(200);
  await app.server.tenants.setOption("acme", "express-gateway.strictUpstreamStatus", "true");
});
afterAll(() => app.close());

const setOption = (name: string, value: string | undefined) => app.server.tenants.setOption("acme", `express-gateway.${name}`, value);

function expectText(response: { status: number; text: string; headers: Record<string, string> }, status: number, text: string) {
  expect({ status: response.status, text: response.text }).toEqual({ status, text });
  expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
}

describe("POST /users errors (§4.3)", () => {
  it("answers a duplicate username with 409 `username already exists`", async () => {
    expectText(await eg.post("/users", steve), 409, "username already exists");
  });

  it("treats a username differing only in case as taken (the core's userName is case-insensitive)", async () => {
    expectText(await eg.post("/users", { ...steve, username: "Steve" }), 409, "username already exists");
  });

  it.each([
    ["firstname missing", { username: "u1", lastname: "L" }, "data should have required property 'firstname'"],
    ["lastname missing", { username: "u1", firstname: "F" }, "data should have required property 'lastname'"],
    ["username missing", { firstname: "F", lastname: "L" }, "data should have required property 'username'"],
    ["everything missing: the first required property is reported", {}, "data should have required property 'username'"],
    ["a required property missing and a bad email: required comes first", { username: "u1", lastname: "L", email: "x" }, "data should have required property 'firstname'"],
    ["a bad email", { username: "u1", firstname: "F", lastname: "L", email: "steve" }, 'data.email should match format "email"'],
    ["a bad redirectUri", { username: "u1", firstname: "F", lastname: "L", redirectUri: "not a uri" }, 'data.redirectUri should match format "uri"'],
    ["an object for a string", { username: "u1", firstname: { a: 1 }, lastname: "L" }, "data.firstname should be string"],
    ["an array for a string", { username: ["u1"], firstname: "F", lastname: "L" }, "data.username should be string"],
    ["an array body", [{ username: "u1" }], "data should be object"],
  ])("answers %s with 500 and ajv's message", async (_case, body, message) => {
    expectText(await eg.post("/users", body), 500, message);
  });

  it("writes nothing when validation fails", async () => {
    await eg.post("/users", { username: "half", firstname: "H", lastname: "F", email: "bad" }).expect(500);
    await eg.get("/users/half").expect(404);
  });

  it("answers a body that is not JSON with 500, as upstream's error handler does", async () => {
    const response = await eg.post("/users").set("Content-Type", "application/json").send('{"username": ');
    expectText(response, 500, "The request body is not valid JSON");
  });

  it("answers a JSON string body with `data should be object`", async () => {
    const response = await eg.post("/users").set("Content-Type", "application/json").send('"steve"');
    expectText(response, 500, "data should be object");
  });
});

describe("tenant option express-gateway.requiredProperties", () => {
  afterEach(() => setOption("requiredProperties", undefined));

  it("changes the required set (comma-separated)", async () => {
    await setOption("requiredProperties", "username, email");
    expectText(await eg.post("/users", { username: "req1", firstname: "F" }), 500, "data should have required property 'email'");
    const response = await eg.post("/users", { username: "req1", email: "req1@example.com" }).expect(200);
    expect(response.body).not.toHaveProperty("firstname");
    expect(response.body).not.toHaveProperty("lastname");
  });

  it("requires nothing of EG's own when empty; the core still needs a username", async () => {
    await setOption("requiredProperties", "");
    const response = await eg.post("/users", { firstname: "No", lastname: "Name" });
    expect(response.status).toBe(500);
    expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(response.text).toMatch(/userName/);
  });
});

describe("tenant option express-gateway.strictUpstreamStatus", () => {
  afterEach(() => setOption("strictUpstreamStatus", "true"));

  it.each([["false"], [undefined]])("%s answers validation failures with 400 and the same text", async (value) => {
    await setOption("strictUpstreamStatus", value);
    expectText(await eg.post("/users", { username: "s1", lastname: "L" }), 400, "data should have required property 'firstname'");
    expectText(await eg.put("/users/steve", { foo: 1 }), 400, "one or more properties is invalid");
    expectText(await eg.get("/users?start=abc"), 400, "ERR invalid cursor");
    expectText(await eg.post("/users").set("Content-Type", "application/json").send("{"), 400, "The request body is not valid JSON");
    expectText(await eg.post("/users", steve), 409, "username already exists");
    expectText(await eg.get("/users/nobody"), 404, "User not found: nobody");
  });

  it("\"true\" keeps upstream's 500", async () => {
    await setOption("strictUpstreamStatus", "true");
    expectText(await eg.post("/users", { username: "s1", lastname: "L" }), 500, "data should have required property 'firstname'");
  });
});

describe("PUT /users/:idOrUsername errors (§4.5)", () => {
  it.each([["foo"], ["id"], ["isActive"], ["createdAt"], ["updatedAt"]])("answers a key outside the model (%s) with 500", async (key) => {
    expectText(await eg.put("/users/steve", { firstname: "Changed", [key]: "x" }), 500, "one or more properties is invalid");
    expect((await eg.get("/users/steve").expect(200)).body.firstname).toBe("Steve");
  });

  it("answers a non-string value with ajv's type message and changes nothing", async () => {
    expectText(await eg.put("/users/steve", { lastname: "X", firstname: { a: 1 } }), 500, "data.firstname should be string");
    expect((await eg.get("/users/steve").expect(200)).body.lastname).toBe("Brown");
  });

  it("answers an unknown user with 404 `User not found: <param>`", async () => {
    expectText(await eg.put("/users/nobody", { firstname: "X" }), 404, "User not found: nobody");
  });

  it("looks the user up before reading the body, as upstream", async () => {
    expectText(await eg.put("/users/nobody", { foo: 1 }), 404, "User not found: nobody");
  });
});

describe("not found (§4.4, §4.6, §4.7)", () => {
  it("GET and DELETE answer 404 `User not found: <param>`", async () => {
    expectText(await eg.get("/users/nobody"), 404, "User not found: nobody");
    expectText(await eg.delete("/users/nobody"), 404, "User not found: nobody");
    expectText(await eg.get("/users/47bc9fa2-f245-4b47-9cb4-29b8ccb49728"), 404, "User not found: 47bc9fa2-f245-4b47-9cb4-29b8ccb49728");
  });

  it("the status endpoint answers 404 `user not found: <param>` (lower case, as upstream)", async () => {
    expectText(await eg.put("/users/nobody/status", { status: false }), 404, "user not found: nobody");
    expectText(await eg.delete("/users/nobody/status", { status: true }), 404, "user not found: nobody");
  });

  it("echoes the decoded parameter as plain text, never as HTML", async () => {
    const response = await eg.get(`/users/${encodeURIComponent("<script>alert(1)</script>")}`);
    expectText(response, 404, "User not found: <script>alert(1)</script>");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("GET /users errors (§4.2)", () => {
  it.each([["abc"], ["-1"], ["1.5"], ["1e3"], [""]])("answers start=%s with 500 `ERR invalid cursor`", async (start) => {
    expectText(await eg.get(`/users?start=${start}`), 500, "ERR invalid cursor");
  });

  it("answers a repeated start with 500", async () => {
    expectText(await eg.get("/users?start=0&start=1"), 500, "ERR invalid cursor");
  });

  it.each([["abc"], ["0"], ["-5"]])("answers count=%s with 500", async (count) => {
    expectText(await eg.get(`/users?count=${count}`), 500, "ERR value is not an integer or out of range");
  });
});

describe("routes outside the API", () => {
  it.each([
    ["GET", "/users/steve/apps", "Cannot GET /users/steve/apps"],
    ["GET", "/apps", "Cannot GET /apps"],
    ["PATCH", "/users/steve", "Cannot PATCH /users/steve"],
    ["POST", "/users/steve", "Cannot POST /users/steve"],
    ["GET", "/users/steve/status", "Cannot GET /users/steve/status"],
    ["PUT", "/users", "Cannot PUT /users"],
  ])("%s %s answers 404 in Express's words", async (method, path, text) => {
    const test = app.http()[method.toLowerCase() as "get"](`${prefix}${path}`).set("Authorization", `apiKey ${eg.key}`);
    expectText(await test, 404, text);
  });
});

describe("limits", () => {
  it("answers a body over the size limit with 500 (upstream) and no stack trace", async () => {
    const response = await eg.post("/users", { username: "big", firstname: "x".repeat(2_000_000), lastname: "L" });
    expectText(response, 500, "The request body is too large");
  });
});
