import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytebaseUserSchema, listUsersResponseSchema } from "../../../src/compat/bytebase/contract.ts";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { adminClient, expectBytebaseError, newUser, prefix, userJson, type BytebaseClient } from "./client.ts";

// docs/compat/bytebase.md §4.1, §5.2-§5.7, §6 and §7: the User endpoints.

let app: TestApp;
let bb: BytebaseClient;
beforeAll(async () => {
  app = await startTestApp();
  bb = await adminClient(app);
});
afterAll(() => app.close());

const login = (email: string, password: string) => app.http().post(`${prefix}/v1/auth/login`).send({ email, password });

describe("CreateUser (POST /v1/users)", () => {
  it("reads a form-encoded body as JSON and answers 200 with every User field", async () => {
    const response = await app
      .http()
      .post(`${prefix}/v1/users`)
      .set("Authorization", `Bearer ${bb.token}`)
      .set("Content-Type", "application/x-www-form-urlencoded")
      .send(JSON.stringify(userJson));
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toStrictEqual([
      "name", "state", "email", "title", "userType", "password", "serviceKey", "mfaEnabled", "mfaSecret", "recoveryCodes", "phone", "profile",
    ]);
    expect(response.body).toStrictEqual({
      ...userJson,
      name: "users/101",
      profile: { lastLoginTime: null, lastChangePasswordTime: null, source: "" },
    });
    expect(response.body.name).toMatch(/^users\/\d+$/);
  });

  it("allocates uids in order and keeps them", async () => {
    const first = (await bb.post("/v1/users", newUser()).expect(200)).body.name as string;
    const second = (await bb.post("/v1/users", newUser()).expect(200)).body.name as string;
    expect(Number(second.slice(6))).toBe(Number(first.slice(6)) + 1);
    expect((await bb.get(`/v1/${first}`).expect(200)).body.name).toBe(first);
  });

  it("accepts proto field names and enum numbers, drops unknown fields, ignores mfaEnabled", async () => {
    const email = newUser().email as string;
    const response = await bb.post("/v1/users", { email, title: "Snake", user_type: 1, mfa_enabled: true, foo: "bar", phone: "" }).expect(200);
    expect(bytebaseUserSchema.parse(response.body)).toMatchObject({ email, title: "Snake", userType: "USER", mfaEnabled: false, phone: "" });
  });

  it.each([
    ["without title", { title: undefined }, "user title must be set"],
    ["with an empty title", { title: "" }, "user title must be set"],
    ["without email", { email: undefined }, "email must be set"],
    ["without userType", { userType: undefined }, "invalid user type USER_TYPE_UNSPECIFIED"],
    ["with userType SYSTEM_BOT", { userType: "SYSTEM_BOT" }, "support user and service account only"],
    ["with an unknown userType number", { userType: 9 }, "invalid user type 9"],
    ["with an unknown userType name", { userType: "ROBOT" }, /^proto: invalid value for field userType/],
    ["with an uppercase email", { email: "Upper@Example.com" }, 'invalid email "Upper@Example.com" format: email should be lowercase'],
    ["with an email without @", { email: "not-an-email" }, `invalid email "not-an-email" format: mail: missing '@' or angle-addr`],
    ["with a phone that is not E.164", { phone: "408-212-1234" }, /^invalid phone "408-212-1234"/],
    ["with a title that is not a string", { title: 5 }, "proto: invalid value for field title: 5"],
  ])("%s answers 400 code 3 and creates nothing", async (_name, overrides, message) => {
    const body = newUser(overrides);
    expectBytebaseError(await bb.post("/v1/users", body), 400, 3, message);
    if (typeof body.email === "string" && body.email !== "") {
      const scim = await app.client();
      const list = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${body.email}"`)}`).expect(200);
      expect(list.body.totalResults).toBe(0);
    }
  });

  it("answers 400 for a body that is not JSON or not an object", async () => {
    expectBytebaseError(await bb.post("/v1/users").set("Content-Type", "application/x-www-form-urlencoded").send("email=a@b.c"), 400, 3);
    expectBytebaseError(await bb.post("/v1/users").set("Content-Type", "application/json").send("[1]"), 400, 3);
  });

  it("answers 409 code 6 for an email taken, deactivated users included", async () => {
    const body = newUser();
    const created = await bb.post("/v1/users", body).expect(200);
    expectBytebaseError(await bb.post("/v1/users", newUser({ email: body.email })), 409, 6, `email ${body.email} is already existed`);
    await bb.delete(`/v1/${created.body.name}`).expect(200);
    expectBytebaseError(await bb.post("/v1/users", newUser({ email: body.email })), 409, 6, `email ${body.email} is already existed`);
  });

  it("sets the password given, and a random one for an empty password", async () => {
    const withPassword = newUser({ password: "Given-Pass-1" });
    await bb.post("/v1/users", withPassword).expect(200);
    expect((await login(withPassword.email as string, "Given-Pass-1")).status).toBe(200);
    const without = newUser({ password: "" });
    await bb.post("/v1/users", without).expect(200);
    expectBytebaseError(await login(without.email as string, ""), 401, 16, "The email or password is not valid.");
  });

  it("gives a service account a bbs_ key, shown once, that signs in as its password", async () => {
    const body = newUser({ email: "ci@service.bytebase.com", userType: "SERVICE_ACCOUNT", password: "ignored" });
    const created = await bb.post("/v1/users", body).expect(200);
    expect(created.body).toMatchObject({ userType: "SERVICE_ACCOUNT", password: "" });
    expect(created.body.serviceKey).toMatch(/^bbs_[A-Za-z0-9]{20}$/);
    expect((await bb.get(`/v1/${created.body.name}`).expect(200)).body.serviceKey).toBe("");
    expect((await login("ci@service.bytebase.com", created.body.serviceKey)).status).toBe(200);
    expect((await login("ci@service.bytebase.com", "ignored")).status).toBe(401);
  });
});

describe("GetUser (GET /v1/users/{uid|email})", () => {
  let user: { name: string; email: string };
  beforeAll(async () => {
    user = (await bb.post("/v1/users", newUser({ phone: "+33612345678" })).expect(200)).body;
  });

  it("finds a user by uid, by email and by percent-encoded email", async () => {
    const byUid = await bb.get(`/v1/${user.name}`).expect(200);
    expect(byUid.body).toStrictEqual(user);
    expect((await bb.get(`/v1/users/${user.email}`).expect(200)).body).toStrictEqual(user);
    expect((await bb.get(`/v1/users/${user.email.replace("@", "%40")}`).expect(200)).body).toStrictEqual(user);
  });

  it("answers 404 code 5 for an unknown uid or email", async () => {
    expectBytebaseError(await bb.get("/v1/users/99999"), 404, 5, "user 99999 not found");
    expectBytebaseError(await bb.get("/v1/users/nobody@example.com"), 404, 5, "user nobody@example.com not found");
  });
});

describe("UpdateUser (PATCH /v1/users/{uid})", () => {
  const fresh = async (overrides: Record<string, unknown> = {}) => (await bb.post("/v1/users", newUser(overrides)).expect(200)).body;

  it("without update_mask changes every field the body names (the documented update: email, title, phone)", async () => {
    const user = await fresh();
    const email = newUser().email;
    const response = await bb.patch(`/v1/${user.name}`).set("Content-Type", "application/x-www-form-urlencoded").send(JSON.stringify({ email, title: "User updated", phone: "+14082121234" }));
    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual({ ...user, email, title: "User updated", phone: "+14082121234" });
    expect((await bb.get(`/v1/users/${email}`).expect(200)).body.name).toBe(user.name);
  });

  it("with ?update_mask=title changes the title only", async () => {
    const user = await fresh();
    const response = await bb.patch(`/v1/${user.name}?update_mask=title`, { email: newUser().email, title: "Only title", phone: "+14082121234" }).expect(200);
    expect(response.body).toStrictEqual({ ...user, title: "Only title" });
  });

  it("reads camelCase paths of the query mask as snake_case", async () => {
    const user = await fresh();
    const response = await bb.patch(`/v1/${user.name}?updateMask=mfaEnabled,phone`, { phone: "+442071234567", title: "ignored" }).expect(200);
    expect(response.body).toStrictEqual({ ...user, phone: "+442071234567" });
  });

  it("answers 400 for a body key the User lacks, even with a query mask", async () => {
    const user = await fresh();
    expectBytebaseError(await bb.patch(`/v1/${user.name}`, { title: "x", foo: 1 }), 400, 3, 'could not find field "foo" in "bytebase.v1.User"');
    expectBytebaseError(await bb.patch(`/v1/${user.name}?update_mask=title`, { title: "x", foo: 1 }), 400, 3, 'could not find field "foo" in "bytebase.v1.User"');
    expectBytebaseError(await bb.patch(`/v1/${user.name}`, { profile: { foo: 1 } }), 400, 3, 'could not find field "foo" in "bytebase.v1.User.Profile"');
    expect((await bb.get(`/v1/${user.name}`).expect(200)).body).toStrictEqual(user);
  });

  it("ignores name, state and user_type, and treats an empty body as a no-op", async () => {
    const user = await fresh();
    expect((await bb.patch(`/v1/${user.name}`, { name: "users/1", state: "DELETED", user_type: "SERVICE_ACCOUNT" }).expect(200)).body).toStrictEqual(user);
    expect((await bb.patch(`/v1/${user.name}`).expect(200)).body).toStrictEqual(user);
    expect((await bb.patch(`/v1/${user.name}`, {}).expect(200)).body).toStrictEqual(user);
  });

  it("treats the user's own email as no change, and another user's as 409 code 6", async () => {
    const user = await fresh();
    const other = await fresh();
    expect((await bb.patch(`/v1/${user.name}`, { email: user.email, title: "Same email" }).expect(200)).body).toStrictEqual({ ...user, title: "Same email" });
    expectBytebaseError(await bb.patch(`/v1/${user.name}`, { email: other.email }), 409, 6, `email ${other.email} is already existed`);
    expectBytebaseError(await bb.patch(`/v1/${user.name}`, { email: "Caps@example.com" }), 400, 3, /email should be lowercase/);
  });

  it("validates and clears the phone", async () => {
    const user = await fresh({ phone: "+14082121234" });
    expectBytebaseError(await bb.patch(`/v1/${user.name}`, { phone: "12" }), 400, 3, /^invalid phone/);
    expect((await bb.patch(`/v1/${user.name}`, { phone: "" }).expect(200)).body.phone).toBe("");
  });

  it("changes the password, refusing the same one", async () => {
    const user = await fresh({ password: "First-Pass-1" });
    await bb.patch(`/v1/${user.name}`, { password: "Second-Pass-2" }).expect(200);
    expect((await login(user.email, "Second-Pass-2")).status).toBe(200);
    expect((await login(user.email, "First-Pass-1")).status).toBe(401);
    expectBytebaseError(await bb.patch(`/v1/${user.name}`, { password: "Second-Pass-2" }), 400, 3, "password cannot be the same");
  });

  it("rotates a service account's key with update_mask=service_key", async () => {
    const account = await fresh({ email: "rotate@service.bytebase.com", userType: "SERVICE_ACCOUNT" });
    const rotated = await bb.patch(`/v1/${account.name}?update_mask=service_key`).expect(200);
    expect(rotated.body.serviceKey).toMatch(/^bbs_[A-Za-z0-9]{20}$/);
    expect(rotated.body.serviceKey).not.toBe((account as { serviceKey: string }).serviceKey);
    expect((await login(account.email, rotated.body.serviceKey)).status).toBe(200);
    expect((await login(account.email, (account as { serviceKey: string }).serviceKey)).status).toBe(401);
    expectBytebaseError(await bb.patch(`/v1/${account.name}`, { password: "Pass-Word-1" }), 400, 3);
    const user = await fresh();
    expectBytebaseError(await bb.patch(`/v1/${user.name}?update_mask=service_key`), 400, 3);
  });

  it("allows turning MFA off only", async () => {
    const user = await fresh();
    expectBytebaseError(await bb.patch(`/v1/${user.name}`, { mfaEnabled: true }), 400, 3);
    expect((await bb.patch(`/v1/${user.name}`, { mfaEnabled: false }).expect(200)).body.mfaEnabled).toBe(false);
  });

  it("answers 404 for an unknown user, and creates one by email with allow_missing=true", async () => {
    const email = newUser().email as string;
    expectBytebaseError(await bb.patch(`/v1/users/${email}`, { title: "Upserted", userType: "USER" }), 404, 5, `user ${email} not found`);
    const created = await bb.patch(`/v1/users/${email}?allow_missing=true&update_mask=phone`, { title: "Upserted", userType: "USER" }).expect(200);
    expect(created.body).toMatchObject({ email, title: "Upserted", state: "ACTIVE" });
    const again = await bb.patch(`/v1/users/${email}?allow_missing=true`, { title: "Updated" }).expect(200);
    expect(again.body).toStrictEqual({ ...created.body, title: "Updated" });
  });

  it("rejects query values grpc-gateway cannot parse", async () => {
    const user = await fresh();
    expectBytebaseError(await bb.patch(`/v1/${user.name}?allow_missing=maybe`, { title: "x" }), 400, 3, /strconv.ParseBool/);
  });
});

describe("Deactivate and activate (DELETE /v1/users/{uid}, POST /v1/users/{uid}:undelete)", () => {
  let user: { name: string; email: string };
  beforeAll(async () => {
    user = (await bb.post("/v1/users", newUser({ password: "Deact-Pass-1" })).expect(200)).body;
  });

  const listed = async (query = "") => ((await bb.get(`/v1/users${query}`).expect(200)).body.users as Array<{ name: string; state: string }>).find((entry) => entry.name === user.name);

  it("DELETE answers 200 {} and deactivates: hidden from the list unless show_deleted, still readable", async () => {
    expect((await bb.delete(`/v1/${user.name}`).expect(200)).body).toStrictEqual({});
    expect(await listed()).toBeUndefined();
    expect(await listed("?show_deleted=true")).toMatchObject({ name: user.name, state: "DELETED" });
    expect((await bb.get(`/v1/${user.name}`).expect(200)).body.state).toBe("DELETED");
  });

  it("a deactivated user cannot sign in, be deleted again or be updated", async () => {
    expectBytebaseError(await login(user.email, "Deact-Pass-1"), 401, 16, "user has been deactivated by administrators");
    expectBytebaseError(await bb.delete(`/v1/${user.name}`), 404, 5, `user "${user.name}" has been deleted`);
    expectBytebaseError(await bb.patch(`/v1/${user.name}`, { title: "x" }), 404, 5, `user "${user.name}" has been deleted`);
  });

  it(":undelete answers 200 with state ACTIVE; again is 400", async () => {
    const response = await bb.post(`/v1/${user.name}:undelete`).expect(200);
    expect(response.body).toMatchObject({ name: user.name, state: "ACTIVE" });
    expect(await listed()).toMatchObject({ state: "ACTIVE" });
    expectBytebaseError(await bb.post(`/v1/${user.name}:undelete`, {}), 400, 3, `user "${user.name}" is already active`);
    expect((await login(user.email, "Deact-Pass-1")).status).toBe(200);
  });

  it("accepts the email form and a percent-encoded verb target", async () => {
    await bb.delete(`/v1/users/${user.email.replace("@", "%40")}`).expect(200);
    await bb.post(`/v1/users/${user.email.replace("@", "%40")}:undelete`).expect(200);
  });

  it("answers 404 for unknown users", async () => {
    expectBytebaseError(await bb.delete("/v1/users/99998"), 404, 5);
    expectBytebaseError(await bb.post("/v1/users/99998:undelete"), 404, 5);
  });
});

describe("ListUsers (GET /v1/users)", () => {
  let tenant: BytebaseClient;
  const emails: string[] = [];
  beforeAll(async () => {
    tenant = await adminClient(app, "list-tenant");
    for (let index = 0; index < 7; index += 1) {
      const body = newUser();
      emails.push(body.email as string);
      await tenant.post("/v1/users", body).expect(200);
    }
    await tenant.delete(`/v1/users/${emails[6]}`).expect(200);
  });

  it("lists every active user, oldest first, with an empty nextPageToken", async () => {
    const response = await tenant.get("/v1/users").expect(200);
    const body = listUsersResponseSchema.parse(response.body);
    expect(body.users.map((user) => user.email)).toStrictEqual(emails.slice(0, 6));
    expect(body.nextPageToken).toBe("");
    expect((await tenant.get("/v1/users?showDeleted=1").expect(200)).body.users).toHaveLength(7);
  });

  it("pages with page_size and page_token, each user exactly once", async () => {
    const seen: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const response = await tenant.get(`/v1/users?page_size=3&show_deleted=true${token ? `&page_token=${token}` : ""}`).expect(200);
      seen.push(...response.body.users.map((user: { email: string }) => user.email));
      token = response.body.nextPageToken;
      pages += 1;
    } while (token !== "" && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toStrictEqual(emails);
  });

  it.each([
    ["an invalid page token", "?page_token=not-a-token", /^invalid page token/],
    ["a negative page size", "?page_size=-1", /page size must be non-negative/],
    ["a page size that is not a number", "?page_size=ten", /strconv.ParseInt/],
    ["a show_deleted that is not a boolean", "?show_deleted=yes", /strconv.ParseBool/],
    ["a filter", '?filter=email%20%3D%3D%20"a@b.c"', /filter is not supported/],
  ])("answers 400 code 3 for %s", async (_name, query, message) => {
    expectBytebaseError(await tenant.get(`/v1/users${query}`), 400, 3, message);
  });
});

describe("bytebase.userNameFormat", () => {
  it("writes users/{email} when the tenant option is email", async () => {
    const client = await adminClient(app, "email-names");
    await app.server.tenants.setOption("email-names", "bytebase.userNameFormat", "email");
    const body = newUser();
    const created = await client.post("/v1/users", body).expect(200);
    expect(created.body.name).toBe(`users/${body.email}`);
    expect((await client.get(`/v1/users/${body.email}`).expect(200)).body.name).toBe(`users/${body.email}`);
  });
});
