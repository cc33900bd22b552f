import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyIdLength } from "../../../src/auth/api-keys.ts";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { expectVyteError, documentedBody, unique, userBody, vyteClient, type VyteClient } from "./fixtures.ts";

// docs/compat/vyte.md §2 and docs/compat/README.md §4: the raw organisation key (leniently Bearer /
// apiKey), bound to the Vyte API and to one tenant. Secrets never come back.

let app: TestApp;
let vyte: VyteClient;
let other: VyteClient;
let userId: string;
let teamId: string;
beforeAll(async () => {
  app = await startTestApp();
  vyte = await vyteClient(app, "vyte-security");
  other = await vyteClient(app, "vyte-intruder");
  userId = (await vyte.post("/v2/users", userBody(vyte.organization, { email: "owner@example.com", first_name: "Owner" })).expect(200)).body.user._id;
  teamId = (await vyte.post("/v2/teams", { name: "Owners", extid: "owners", members: [userId] }).expect(200)).body._id;
});
afterAll(() => app.close());

const routes: Array<[string, string, unknown?]> = [
  ["GET", "/v2/auth/test"],
  ["GET", "/v2/users"],
  ["GET", "/v2/users/:user"],
  ["POST", "/v2/users", { organization: ":org", user: { email: "intruder@example.com" } }],
  ["PUT", "/v2/users/:user", { user: { first_name: "Intruder" } }],
  ["DELETE", "/v2/users/:user"],
  ["POST", "/v2/users/batch", [{ organization: ":org", user: { email: "intruder@example.com" } }]],
  ["PUT", "/v2/users/batch", [{ user: { _id: ":user", first_name: "Intruder" } }]],
  ["PUT", "/v2/users", [{ user: { _id: ":user", first_name: "Intruder" } }]],
  ["GET", "/v2/teams"],
  ["GET", "/v2/teams/:team"],
  ["POST", "/v2/teams", { name: "Intruders", extid: "intruders" }],
  ["PUT", "/v2/teams/:team", { name: "Hijacked" }],
  ["DELETE", "/v2/teams/:team"],
  ["GET", "/v2/team/:team"],
];

const send = (method: string, path: string, body: unknown, authorization?: string) => {
  const resolved = path.replace(":user", userId).replace(":team", teamId);
  let test = app.http()[method.toLowerCase() as "post"](`/compat/vyte${resolved}`);
  if (authorization !== undefined) test = test.set("Authorization", authorization);
  const payload = body === undefined ? undefined : JSON.parse(JSON.stringify(body).replaceAll(":org", vyte.organization).replaceAll(":user", userId));
  return payload === undefined ? test : test.send(payload);
};

const unchanged = async () => {
  const user = await vyte.get(`/v2/users/${userId}`).expect(200);
  expect(user.body.first_name).toBe("Owner");
  const team = await vyte.get(`/v2/teams/${teamId}`).expect(200);
  expect(team.body).toMatchObject({ name: "Owners", members: [userId] });
};

describe("authentication", () => {
  it.each(routes)("%s %s answers 401 without a key", async (method, path, body) => {
    expectVyteError(await send(method, path, body), 401);
  });

  it.each(routes)("%s %s answers 401 for the doc's placeholder `Authorization: apiKey`", async (method, path, body) => {
    expectVyteError(await send(method, path, body, "apiKey"), 401);
  });

  it("accepts the raw key, `Bearer <key>` and `apiKey <key>`", async () => {
    for (const authorization of [vyte.key, `Bearer ${vyte.key}`, `apiKey ${vyte.key}`, `APIKEY ${vyte.key}`]) {
      const response = await send("GET", "/v2/auth/test", undefined, authorization);
      expect({ authorization, status: response.status, org: response.body._id }).toEqual({ authorization, status: 200, org: vyte.organization });
    }
  });

  it("refuses a wrong secret, a truncated key and an unknown key id", async () => {
    const last = vyte.key.at(-1) === "0" ? "1" : "0";
    for (const key of [`${vyte.key.slice(0, -1)}${last}`, vyte.key.slice(0, keyIdLength), vyte.key.slice(0, 20), `ffffffffffffffff${vyte.key.slice(keyIdLength)}`]) {
      expectVyteError(await send("GET", "/v2/users", undefined, key), 401);
    }
  });

  it("refuses a SCIM bearer token and other APIs' credentials", async () => {
    const scimToken = await app.token("vyte-security");
    expectVyteError(await send("GET", "/v2/users", undefined, `Bearer ${scimToken}`), 401);
    expectVyteError(await send("GET", "/v2/users", undefined, scimToken), 401);
    const gateway = await app.credential("express-gateway", "vyte-security");
    expectVyteError(await send("GET", "/v2/users", undefined, gateway), 401);
    expectVyteError(await send("GET", "/v2/users", undefined, gateway.replace(":", "")), 401);
    const qase = await app.credential("qase", "vyte-security");
    expectVyteError(await send("GET", "/v2/users", undefined, `Bearer ${qase}`), 401);
  });

  it("a Vyte key does not open /scim/v2", async () => {
    const response = await app.http().get("/scim/v2/Users").set("Authorization", `Bearer ${vyte.key}`);
    expect(response.status).toBe(401);
  });

  it("refuses a revoked key", async () => {
    const key = await app.credential("vyte", "vyte-security");
    await send("GET", "/v2/users", undefined, key).expect(200);
    await app.server.keys.revoke(key.slice(0, keyIdLength));
    expectVyteError(await send("GET", "/v2/users", undefined, key), 401);
  });

  it("a read-only key reads but cannot write (403)", async () => {
    const key = await app.credential("vyte", "vyte-security", { scopes: ["scim:read"] });
    await send("GET", "/v2/users", undefined, key).expect(200);
    await send("GET", "/v2/teams", undefined, key).expect(200);
    for (const [method, path, body] of routes.filter(([method]) => method !== "GET")) {
      const response = await send(method, path, body, key);
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
    }
    await unchanged();
  });
});

describe("tenant isolation", () => {
  it("another organisation's key sees none of this one's users or teams", async () => {
    expect((await other.get("/v2/users").expect(200)).body).toEqual([]);
    expect((await other.get("/v2/teams").expect(200)).body).toEqual([]);
    const org = (await other.get("/v2/auth/test").expect(200)).body;
    expect(org._id).toBe(other.organization);
    expect(org.members).toEqual([]);
  });

  it.each([
    ["GET", "/v2/users/:user"],
    ["PUT", "/v2/users/:user", { user: { first_name: "Intruder" } }],
    ["DELETE", "/v2/users/:user"],
    ["GET", "/v2/teams/:team"],
    ["PUT", "/v2/teams/:team", { name: "Hijacked" }],
    ["DELETE", "/v2/teams/:team"],
  ] as Array<[string, string, unknown?]>)("%s %s with another organisation's key answers 404", async (method, path, body) => {
    expectVyteError(await send(method, path, body, other.key), 404);
    await unchanged();
  });

  it("a write naming this organisation with another's key answers 403", async () => {
    expectVyteError(await other.post("/v2/users", userBody(vyte.organization, { email: "owner@example.com" })), 403);
    expectVyteError(await other.post("/v2/teams", { organization: vyte.organization, name: "X", extid: "x" }), 403);
    const batch = await other.post("/v2/users/batch", [userBody(vyte.organization, { email: "owner@example.com" })]).expect(200);
    expect(batch.body).toStrictEqual([{ error: { status: 403, message: expect.any(String) } }]);
    await unchanged();
  });

  it("the same email or extid in another organisation is another user", async () => {
    const mine = await other.post("/v2/users", userBody(other.organization, { email: "owner@example.com", first_name: "Other" })).expect(200);
    expect(mine.body.user._id).not.toBe(userId);
    const batch = await other.put("/v2/users", [{ user: { _id: userId, first_name: "Intruder" } }]).expect(200);
    expect(batch.body).toStrictEqual([{ error: { status: 404, message: expect.any(String) } }]);
    expectVyteError(await other.post("/v2/teams", { name: "Mine", extid: "mine", members: [userId] }), 400);
    await unchanged();
  });
});

describe("secrets", () => {
  it("neither the login password nor calendar credentials come back from any endpoint", async () => {
    const secrets = ["Login-Secret-1", "Calendar-Secret-2"];
    const body = documentedBody(vyte.organization, { without: ["finish_signup_with"], user: { email: `${unique("secret")}@example.com`, account: {} } });
    body.login = { credentials: { username: unique("secret-user"), password: secrets[0] } };
    body.calendars = [{ source: "exchange", credentials: { server: "mail.example.com", username: "cal", password: secrets[1] } }];
    const created = await vyte.post("/v2/users", body).expect(200);
    const id = created.body.user._id;
    const responses = [
      created,
      await vyte.put(`/v2/users/${id}`, { login: { credentials: { password: secrets[0] } }, calendars: body.calendars }).expect(200),
      await vyte.post("/v2/users/batch", [body]).expect(200),
      await vyte.put("/v2/users", [{ ...body, user: { _id: id } }]).expect(200),
      await vyte.get("/v2/users").expect(200),
      await vyte.get(`/v2/users/${id}`).expect(200),
      await vyte.get("/v2/auth/test").expect(200),
      await vyte.get("/v2/teams").expect(200),
      await (await app.client("vyte-security")).get("/Users").expect(200),
    ];
    for (const response of responses) {
      for (const secret of secrets) expect(response.text).not.toContain(secret);
      expect(response.text).not.toMatch(/"password"/i);
    }
  });
});
