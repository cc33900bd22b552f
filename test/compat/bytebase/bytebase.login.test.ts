import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginResponseSchema } from "../../../src/compat/bytebase/contract.ts";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { adminClient, bytebaseClient, expectBytebaseError, newUser, prefix, type BytebaseClient } from "./client.ts";

// docs/compat/bytebase.md §5.1 and §9: POST /v1/auth/login, its cookies, and what its token may do.

let app: TestApp;
let bb: BytebaseClient;
let user: { name: string; email: string };
const password = "Login-Pass-1";
beforeAll(async () => {
  app = await startTestApp();
  bb = await adminClient(app);
  user = (await bb.post("/v1/users", newUser({ password })).expect(200)).body;
});
afterAll(() => app.close());

const login = (body: unknown) => app.http().post(`${prefix}/v1/auth/login`).send(body as object);

describe("POST /v1/auth/login", () => {
  it("with web:true answers the LoginResponse and sets the access-token and user cookies", async () => {
    const response = await login({ email: user.email, password, web: true }).expect(200);
    const body = loginResponseSchema.parse(response.body);
    expect(Object.keys(response.body)).toStrictEqual(["token", "requireResetPassword", "user"]);
    expect(body).toMatchObject({ requireResetPassword: false, user: { name: user.name, email: user.email, state: "ACTIVE" } });
    const cookies = response.headers["set-cookie"] as unknown as string[];
    expect(cookies).toHaveLength(2);
    const [access, uid] = cookies as [string, string];
    expect(access).toMatch(new RegExp(`^access-token=${body.token.replace(/\./g, "\\.")}; Path=/; Expires=[^;]+ GMT; HttpOnly; SameSite=Strict$`));
    expect(uid).toMatch(new RegExp(`^user=${user.name.slice("users/".length)}; Path=/; Expires=[^;]+ GMT; SameSite=Strict$`));
    const expires = Date.parse(/Expires=([^;]+)/.exec(access)?.[1] ?? "");
    expect(expires - Date.now()).toBeGreaterThan(6 * 24 * 3600 * 1000);
  });

  it("the token scraped from the cookie works as a bearer token and as the cookie (README flow)", async () => {
    const response = await login({ email: user.email, password, web: true }).expect(200);
    const cookie = (response.headers["set-cookie"] as unknown as string[])[0] as string;
    const token = /^access-token=([^;]+)/.exec(cookie)?.[1] as string;
    const signedIn = bytebaseClient(app, token);
    await signedIn.post("/v1/users", newUser()).expect(200);
    await app.http().get(`${prefix}/v1/users`).set("Cookie", cookie.split(";")[0] as string).expect(200);
  });

  it("with web:false answers the token without cookies", async () => {
    const response = await login({ email: user.email, password }).expect(200);
    expect(response.headers["set-cookie"]).toBeUndefined();
    await bytebaseClient(app, response.body.token).get(`/v1/${user.name}`).expect(200);
  });

  it.each([
    ["a wrong password", () => ({ email: user.email, password: "wrong" })],
    ["an unknown email", () => ({ email: "nobody@example.com", password })],
    ["no credentials", () => ({})],
  ])("%s answers 401 code 16", async (_name, body) => {
    const response = await login(body());
    expectBytebaseError(response, 401, 16, "The email or password is not valid.");
    expect(response.headers["set-cookie"]).toBeUndefined();
  });

  it("a deactivated user answers 401 deactivated", async () => {
    const gone = (await bb.post("/v1/users", newUser({ password })).expect(200)).body;
    await bb.delete(`/v1/${gone.name}`).expect(200);
    expectBytebaseError(await login({ email: gone.email, password, web: true }), 401, 16, "user has been deactivated by administrators");
  });

  it("a body of the wrong shape answers 400 code 3", async () => {
    expectBytebaseError(await login({ email: user.email, password, web: "yes" }), 400, 3);
    expectBytebaseError(await app.http().post(`${prefix}/v1/auth/login`).set("Content-Type", "application/json").send("nope"), 400, 3);
  });

  it("signs in a user created through SCIM, giving it a uid", async () => {
    const scim = await app.client();
    await scim.post("/Users", { userName: "scim-made@example.com", password: "Scim-Made-1", displayName: "From SCIM" }).expect(201);
    const response = await login({ email: "scim-made@example.com", password: "Scim-Made-1" }).expect(200);
    expect(response.body.user).toMatchObject({ email: "scim-made@example.com", title: "From SCIM", userType: "USER" });
    expect(response.body.user.name).toMatch(/^users\/\d+$/);
  });

  it("signs in the user of whichever tenant has it, the token bound to that tenant", async () => {
    const other = await adminClient(app, "login-other");
    const created = (await other.post("/v1/users", newUser({ password })).expect(200)).body;
    const response = await login({ email: created.email, password }).expect(200);
    const signedIn = bytebaseClient(app, response.body.token);
    expect((await signedIn.get(`/v1/users/${created.email}`).expect(200)).body.name).toBe(created.name);
    expectBytebaseError(await signedIn.get(`/v1/users/${user.email}`), 404, 5);
  });
});

describe("bytebase.loginRole=member", () => {
  it("makes login tokens read-only, apart from the user's own record", async () => {
    const tenant = await adminClient(app, "members-only");
    await app.server.tenants.setOption("members-only", "bytebase.loginRole", "member");
    const created = (await tenant.post("/v1/users", newUser({ password })).expect(200)).body;
    const response = await login({ email: created.email, password }).expect(200);
    const signedIn = bytebaseClient(app, response.body.token);
    await signedIn.get("/v1/users").expect(200);
    expectBytebaseError(await signedIn.post("/v1/users", newUser()), 403, 7, 'user does not have permission "bb.users.create"');
    expect((await signedIn.patch(`/v1/${created.name}`, { title: "Mine" }).expect(200)).body.title).toBe("Mine");
  });
});
