import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../../src/auth/passwords.ts";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { createRole, permApi, roleJson, uniqueEmail, userKeys, uuid, type CreatedRole, type PermApiClient } from "./fixtures.ts";

// docs/compat/perm-api.md §4.2-§4.6: the user endpoints, happy paths.

let app: TestApp;
let api: PermApiClient;
let scim: ScimClient;
let tenantId: string;
let admin: CreatedRole;
let viewer: CreatedRole;
let empty: CreatedRole;

beforeAll(async () => {
  app = await startTestApp();
  api = permApi(app, await app.credential("perm-api"));
  scim = await app.client();
  tenantId = (await app.server.tenants.ensure("acme")).id;
  admin = await createRole(scim, "Admin", ["users.write", "users.read", "billing.read"]);
  viewer = await createRole(scim, "Viewer", ["users.read", "audit.read"]);
  empty = await createRole(scim, "Nobody", [], api);
});
afterAll(() => app.close());

const storedHash = async (id: string) =>
  (await app.server.database.prisma.user.findFirstOrThrow({ where: { id }, select: { passwordHash: true, doc: true } })).passwordHash;

describe("§4.2 POST /api/v2/user", () => {
  it("answers 201 with the user, its roles expanded and the union of their permissions, and no password", async () => {
    const email = uniqueEmail("ada");
    const response = await api
      .post("/api/v2/user", { email, password: "s3cret-Pass", first_name: "Ada", last_name: "Lovelace", phone: "+44 20 7946 0000", groups: [admin.roleId, viewer.roleId] })
      .expect(201)
      .expect("Content-Type", /application\/json/);
    expect(Object.keys(response.body)).toEqual(userKeys);
    expect(response.body).toEqual({
      id: expect.stringMatching(uuid),
      first_name: "Ada",
      username: email,
      last_name: "Lovelace",
      phone: "+44 20 7946 0000",
      email,
      company: tenantId,
      groups: [roleJson(admin), roleJson(viewer)],
      mfa: false,
      reset_pw: false,
      reset_2fa: false,
      is_active: true,
      permissions: ["audit.read", "billing.read", "users.read", "users.write"],
    });
    expect(JSON.stringify(response.body)).not.toContain("s3cret-Pass");
    expect(response.body).not.toHaveProperty("password");
  });

  it("stores the password hashed, never in the document", async () => {
    const created = await api.post("/api/v2/user", { email: uniqueEmail("hash"), password: "t1meMa$heen" }).expect(201);
    const hash = await storedHash(created.body.id);
    expect(await verifyPassword("t1meMa$heen", hash as string)).toBe(true);
    const row = await app.server.database.prisma.user.findFirstOrThrow({ where: { id: created.body.id }, select: { doc: true } });
    expect(row.doc).not.toContain("t1meMa$heen");
  });

  it("with only the required fields: empty strings, no roles, no permissions", async () => {
    const email = uniqueEmail("min");
    const response = await api.post("/api/v2/user", { email, password: "pw" }).expect(201);
    expect(response.body).toMatchObject({ first_name: "", last_name: "", phone: "", email, username: email, groups: [], permissions: [], is_active: true });
  });

  it("accepts role ids as numeric strings, and a repeated id once", async () => {
    const response = await api.post("/api/v2/user", { email: uniqueEmail("strings"), password: "pw", groups: [String(viewer.roleId), viewer.roleId] }).expect(201);
    expect(response.body.groups).toEqual([roleJson(viewer)]);
  });

  it("a role without permissions adds none", async () => {
    const response = await api.post("/api/v2/user", { email: uniqueEmail("nobody"), password: "pw", groups: [empty.roleId] }).expect(201);
    expect(response.body.groups).toEqual([{ id: empty.roleId, name: "Nobody", permissions: [] }]);
    expect(response.body.permissions).toEqual([]);
  });

  it("ignores read-only and unknown fields (id, username, company, permissions, foo)", async () => {
    const email = uniqueEmail("readonly");
    const response = await api
      .post("/api/v2/user", { email, password: "pw", id: "mine", username: "chosen", company: "other", permissions: ["all"], foo: 1 })
      .expect(201);
    expect(response.body.id).not.toBe("mine");
    expect(response.body).toMatchObject({ username: email, company: tenantId, permissions: [] });
  });

  it("trims the email as DRF's CharField does", async () => {
    const email = uniqueEmail("trim");
    const response = await api.post("/api/v2/user", { email: `  ${email} `, password: "pw" }).expect(201);
    expect(response.body.email).toBe(email);
  });

  it("parses the body as JSON whatever the Content-Type (curl --data sends form encoding)", async () => {
    const email = uniqueEmail("form");
    const response = await api.post("/api/v2/user").set("Content-Type", "application/x-www-form-urlencoded").send(JSON.stringify({ email, password: "pw" })).expect(201);
    expect(response.body.email).toBe(email);
  });
});

describe("§4.3, §4.4 GET /api/v2/user and /api/v2/user/<id>", () => {
  it("returns one user with its roles", async () => {
    const created = await api.post("/api/v2/user", { email: uniqueEmail("one"), password: "pw", groups: [viewer.roleId] }).expect(201);
    const response = await api.get(`/api/v2/user/${created.body.id}`).expect(200);
    expect(response.body).toEqual(created.body);
  });

  it("lists every user as a bare array, inactive ones too", async () => {
    const active = await api.post("/api/v2/user", { email: uniqueEmail("listed"), password: "pw", groups: [admin.roleId] }).expect(201);
    const inactive = await api.post("/api/v2/user", { email: uniqueEmail("inactive"), password: "pw" }).expect(201);
    await api.delete(`/api/v2/user/${inactive.body.id}`).expect(204);
    const response = await api.get("/api/v2/user").expect(200);
    expect(Array.isArray(response.body)).toBe(true);
    const byId = new Map((response.body as { id: string }[]).map((user) => [user.id, user]));
    expect(byId.get(active.body.id)).toEqual(active.body);
    expect(byId.get(inactive.body.id)).toMatchObject({ is_active: false });
  });
});

describe("§4.5 PATCH /api/v2/user/<id>", () => {
  const create = async (groups: number[] = [admin.roleId, viewer.roleId]) =>
    (await api.post("/api/v2/user", { email: uniqueEmail("patch"), password: "pw", first_name: "First", last_name: "Last", phone: "111", groups }).expect(201)).body;

  it("groups: [] clears the roles", async () => {
    const user = await create();
    const response = await api.patch(`/api/v2/user/${user.id}`, { groups: [] }).expect(200);
    expect(response.body).toEqual({ ...user, groups: [], permissions: [] });
    expect((await api.get(`/api/v2/user/${user.id}`).expect(200)).body.groups).toEqual([]);
  });

  it("without groups keeps the roles", async () => {
    const user = await create();
    const response = await api.patch(`/api/v2/user/${user.id}`, { first_name: "Changed" }).expect(200);
    expect(response.body).toEqual({ ...user, first_name: "Changed" });
  });

  it("groups replaces the role set; numeric strings are accepted", async () => {
    const user = await create([admin.roleId]);
    const response = await api.patch(`/api/v2/user/${user.id}`, { groups: [String(viewer.roleId), empty.roleId] }).expect(200);
    expect(response.body.groups).toEqual([roleJson(viewer), roleJson(empty)]);
    expect(response.body.permissions).toEqual(["audit.read", "users.read"]);
  });

  it("changes each field given and only those", async () => {
    const user = await create();
    const email = uniqueEmail("renamed");
    const response = await api.patch(`/api/v2/user/${user.id}`, { email, last_name: "New", phone: "222" }).expect(200);
    expect(response.body).toEqual({ ...user, email, last_name: "New", phone: "222" });
  });

  it("keeps username as it was at creation when the email changes", async () => {
    const user = await create();
    const response = await api.patch(`/api/v2/user/${user.id}`, { email: uniqueEmail("moved"), username: "ignored" }).expect(200);
    expect(response.body.username).toBe(user.username);
  });

  it("empty strings clear first_name, last_name and phone", async () => {
    const user = await create();
    const response = await api.patch(`/api/v2/user/${user.id}`, { first_name: "", last_name: "", phone: "" }).expect(200);
    expect(response.body).toMatchObject({ first_name: "", last_name: "", phone: "" });
  });

  it("an empty body changes nothing and answers the user", async () => {
    const user = await create();
    expect((await api.patch(`/api/v2/user/${user.id}`, {}).expect(200)).body).toEqual(user);
    expect((await api.patch(`/api/v2/user/${user.id}`).expect(200)).body).toEqual(user);
  });

  it("password is write-only, replaces the hash and clears reset_pw", async () => {
    const user = await create();
    await api.patch(`/api/v2/user/${user.id}`, { reset_pw: true }).expect(200);
    const response = await api.patch(`/api/v2/user/${user.id}`, { password: "n3w-Secret" }).expect(200);
    expect(response.body.reset_pw).toBe(false);
    expect(response.body).not.toHaveProperty("password");
    expect(await verifyPassword("n3w-Secret", (await storedHash(user.id)) as string)).toBe(true);
  });

  it("a password with reset_pw: true keeps the flag set (a temporary password)", async () => {
    const user = await create();
    const response = await api.patch(`/api/v2/user/${user.id}`, { password: "temp-Secret", reset_pw: true }).expect(200);
    expect(response.body.reset_pw).toBe(true);
  });

  it("mfa, reset_pw, reset_2fa and is_active are writable booleans (DRF spellings accepted)", async () => {
    const user = await create();
    const response = await api.patch(`/api/v2/user/${user.id}`, { mfa: "true", reset_pw: 1, reset_2fa: "yes", is_active: false }).expect(200);
    expect(response.body).toMatchObject({ mfa: true, reset_pw: true, reset_2fa: true, is_active: false });
    const back = await api.patch(`/api/v2/user/${user.id}`, { mfa: false, reset_pw: "0", reset_2fa: "off", is_active: "True" }).expect(200);
    expect(back.body).toMatchObject({ mfa: false, reset_pw: false, reset_2fa: false, is_active: true });
  });
});

describe("§4.6 DELETE /api/v2/user/<id>", () => {
  it("deactivates (is_active=false) and answers 204 with no body; the user stays readable", async () => {
    const user = (await api.post("/api/v2/user", { email: uniqueEmail("gone"), password: "pw", groups: [admin.roleId] }).expect(201)).body;
    const response = await api.delete(`/api/v2/user/${user.id}`).expect(204);
    expect(response.text).toBe("");
    expect((await api.get(`/api/v2/user/${user.id}`).expect(200)).body).toEqual({ ...user, is_active: false });
    await api.delete(`/api/v2/user/${user.id}`).expect(204);
  });

  it("keeps the email reserved", async () => {
    const email = uniqueEmail("reserved");
    const user = (await api.post("/api/v2/user", { email, password: "pw" }).expect(201)).body;
    await api.delete(`/api/v2/user/${user.id}`).expect(204);
    await api.post("/api/v2/user", { email, password: "pw" }).expect(400, { email: ["user with this email already exists."] });
  });

  it("is_active: true in a PATCH re-activates", async () => {
    const user = (await api.post("/api/v2/user", { email: uniqueEmail("back"), password: "pw" }).expect(201)).body;
    await api.delete(`/api/v2/user/${user.id}`).expect(204);
    expect((await api.patch(`/api/v2/user/${user.id}`, { is_active: true }).expect(200)).body.is_active).toBe(true);
  });
});

describe("trailing slashes (§1.2)", () => {
  it("are accepted on every path", async () => {
    const created = await api.post("/api/v2/user/", { email: uniqueEmail("slash"), password: "pw" }).expect(201);
    await api.get("/api/v2/user/").expect(200);
    await api.get(`/api/v2/user/${created.body.id}/`).expect(200);
    await api.patch(`/api/v2/user/${created.body.id}/`, { first_name: "S" }).expect(200);
    await api.delete(`/api/v2/user/${created.body.id}/`).expect(204);
    await api.get("/api/v2/group/").expect(200);
  });
});
