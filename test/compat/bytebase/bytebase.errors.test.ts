import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { adminClient, expectBytebaseError, newUser, prefix, type BytebaseClient } from "./client.ts";

// docs/compat/bytebase.md §3: grpc-gateway's error body and status for every failure, routing
// errors included; never a stack trace, never a SCIM error body.

let app: TestApp;
let bb: BytebaseClient;
let user: { name: string };
beforeAll(async () => {
  app = await startTestApp({ MAX_BODY_BYTES: "2048" });
  bb = await adminClient(app);
  user = (await bb.post("/v1/users", newUser()).expect(200)).body;
});
afterAll(() => app.close());

describe("routing errors", () => {
  it.each(["/v1/foo", "/v1/users/101/extra", "/v2/users", "/", "/v1/auth/logout"])(
    "an unknown path (%s) answers 404 code 5 with the request URI, with or without credentials",
    async (path) => {
      const anonymous = await app.http().get(`${prefix}${path}?x=1`);
      expectBytebaseError(anonymous, 404, 5, `Routing error. Please check the request URI ${prefix}${path}?x=1`);
      expectBytebaseError(await bb.get(path), 404, 5, `Routing error. Please check the request URI ${prefix}${path}`);
    },
  );

  it.each([
    ["PUT", "/v1/users/101"],
    ["POST", "/v1/users/101"],
    ["DELETE", "/v1/users"],
    ["PUT", "/v1/groups"],
    ["PUT", "/v1/groups/contractor@example.com"],
    ["POST", "/v1/groups/contractor@example.com"],
    ["GET", "/v1/auth/login"],
    ["PATCH", "/v1/auth/login"],
  ] as const)("%s %s (a method the path lacks) answers 501 code 12 Method Not Allowed", async (method, path) => {
    const request = () => {
      const http = app.http();
      const url = `${prefix}${path}`;
      const verbs = { GET: () => http.get(url), PUT: () => http.put(url), POST: () => http.post(url), DELETE: () => http.delete(url), PATCH: () => http.patch(url) };
      return verbs[method]();
    };
    expectBytebaseError(await request(), 501, 12, "Method Not Allowed");
    expectBytebaseError(await request().set("Authorization", `Bearer ${bb.token}`), 501, 12, "Method Not Allowed");
  });
});

describe("request errors", () => {
  it("a body that is not JSON answers 400 code 3", async () => {
    expectBytebaseError(await bb.post("/v1/users").set("Content-Type", "application/json").send("{not json"), 400, 3);
    expectBytebaseError(await bb.patch(`/v1/${user.name}`).set("Content-Type", "application/x-www-form-urlencoded").send("title=x"), 400, 3);
  });

  it("a body over the size limit answers 429 code 8, as gRPC's message size limit does", async () => {
    const response = await bb.post("/v1/users", newUser({ title: "x".repeat(4096) }));
    expectBytebaseError(response, 429, 8);
  });

  it("an undecodable path segment answers 400 code 3", async () => {
    expectBytebaseError(await bb.get("/v1/users/%E0%A4%A"), 400, 3);
  });

  it("never answers with a stack trace or a SCIM error body", async () => {
    const responses = [
      await bb.get("/v1/users/99999"),
      await bb.post("/v1/users", {}),
      await bb.patch(`/v1/${user.name}`, { foo: 1 }),
      await app.http().get(`${prefix}/v1/users`),
    ];
    for (const response of responses) {
      expect(response.text).not.toMatch(/\bat .*\.ts:\d+/);
      expect(response.text).not.toContain("urn:ietf:params:scim");
      expect(Object.keys(response.body)).toStrictEqual(["code", "message", "details"]);
    }
  });
});
