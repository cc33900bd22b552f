import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytebaseUserSchema } from "../../../src/compat/bytebase/extension.ts";
import { groupUrn, patchOpUrn, userUrn } from "../../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { createRole, groupExtension, permApi, roleJson, uniqueEmail, userExtension, type CreatedRole, type PermApiClient } from "./fixtures.ts";

// docs/compat/perm-api.md §7: one identity store. What this API writes reads back through
// /scim/v2 (and filters there on the permgroups extension), and the reverse.

let app: TestApp;
let api: PermApiClient;
let scim: ScimClient;
let admin: CreatedRole;
let viewer: CreatedRole;

beforeAll(async () => {
  app = await startTestApp();
  api = permApi(app, await app.credential("perm-api"));
  scim = await app.client();
  admin = await createRole(scim, "Admin", ["users.write"]);
  viewer = await createRole(scim, "Viewer", ["users.read"]);
});
afterAll(() => app.close());

const filter = (resource: "Users" | "Groups", expression: string) => scim.get(`/${resource}?filter=${encodeURIComponent(expression)}`).expect(200);
const patchOp = (...operations: object[]) => ({ schemas: [patchOpUrn], Operations: operations });

describe("written here, read through /scim/v2", () => {
  it("a created user is a SCIM User with the mapped attributes, the extension and its role groups", async () => {
    const email = uniqueEmail("cross");
    const created = await api
      .post("/api/v2/user", { email, password: "pw", first_name: "Grace", last_name: "Hopper", phone: "+1 555 0100", groups: [admin.roleId, viewer.roleId] })
      .expect(201);
    const response = await scim.get(`/Users/${created.body.id}`).expect(200);
    expect(response.body).toMatchObject({
      schemas: [userUrn, userExtension],
      id: created.body.id,
      userName: email,
      name: { givenName: "Grace", familyName: "Hopper" },
      emails: [{ value: email, type: "work", primary: true }],
      phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
      active: true,
      [userExtension]: { username: email, mfa: false, resetPassword: false, reset2fa: false },
    });
    expect(response.body).not.toHaveProperty("password");
    expect((response.body.groups as { value: string }[]).map((group) => group.value).sort()).toEqual([admin.groupId, viewer.groupId].sort());
    const members = (await scim.get(`/Groups/${admin.groupId}`).expect(200)).body.members as { value: string }[];
    expect(members.map((member) => member.value)).toContain(created.body.id);
  });

  it("filters on the extension by URN path: username, and a role's roleId", async () => {
    const email = uniqueEmail("filtered");
    const created = await api.post("/api/v2/user", { email, password: "pw" }).expect(201);
    await api.patch(`/api/v2/user/${created.body.id}`, { email: uniqueEmail("renamed") }).expect(200);
    const byUsername = await filter("Users", `${userExtension}:username eq "${email}"`);
    expect(byUsername.body.Resources.map((user: { id: string }) => user.id)).toEqual([created.body.id]);
    const byRoleId = await filter("Groups", `${groupExtension}:roleId eq ${viewer.roleId}`);
    expect(byRoleId.body.Resources.map((group: { id: string }) => group.id)).toEqual([viewer.groupId]);
  });

  it("PATCH and DELETE show through SCIM: new email in userName and emails, flags, active=false", async () => {
    const created = await api.post("/api/v2/user", { email: uniqueEmail("changing"), password: "pw", groups: [admin.roleId] }).expect(201);
    const email = uniqueEmail("changed");
    await api.patch(`/api/v2/user/${created.body.id}`, { email, mfa: true, reset_2fa: true, groups: [viewer.roleId] }).expect(200);
    await api.delete(`/api/v2/user/${created.body.id}`).expect(204);
    const response = await scim.get(`/Users/${created.body.id}`).expect(200);
    expect(response.body).toMatchObject({ userName: email, emails: [{ value: email, primary: true }], active: false });
    expect(response.body[userExtension]).toMatchObject({ mfa: true, reset2fa: true });
    expect((response.body.groups as { value: string }[]).map((group) => group.value)).toEqual([viewer.groupId]);
  });

  it("keeps what SCIM set that this API does not show (other emails and phones, displayName)", async () => {
    const email = uniqueEmail("rich");
    const created = await scim
      .post("/Users", {
        userName: email,
        displayName: "Rich",
        emails: [{ value: email, type: "work", primary: true }, { value: "home@example.org", type: "home" }],
        phoneNumbers: [{ value: "111", type: "work" }, { value: "222", type: "mobile" }],
      })
      .expect(201);
    const next = uniqueEmail("rich-next");
    await api.patch(`/api/v2/user/${created.body.id}`, { email: next, phone: "333" }).expect(200);
    const response = await scim.get(`/Users/${created.body.id}`).expect(200);
    expect(response.body).toMatchObject({
      userName: next,
      displayName: "Rich",
      emails: [{ value: next, type: "work", primary: true }, { value: "home@example.org", type: "home" }],
      phoneNumbers: [{ value: "333", type: "work" }, { value: "222", type: "mobile" }],
    });
  });

  it("keeps another API's server-assigned id (Bytebase uid) across a PATCH here", async () => {
    await app.server.tenants.enableApi((await app.server.tenants.ensure("acme")).id, "bytebase");
    const created = await scim
      .post("/Users", { schemas: [userUrn, bytebaseUserSchema.id], userName: uniqueEmail("bytebase"), [bytebaseUserSchema.id]: { userType: "USER" } })
      .expect(201);
    const uid = created.body[bytebaseUserSchema.id].uid as number;
    expect(uid).toEqual(expect.any(Number));
    await api.patch(`/api/v2/user/${created.body.id}`, { first_name: "Kept" }).expect(200);
    await api.delete(`/api/v2/user/${created.body.id}`).expect(204);
    expect((await scim.get(`/Users/${created.body.id}`).expect(200)).body[bytebaseUserSchema.id]).toMatchObject({ uid });
  });
});

describe("written through /scim/v2, read here", () => {
  it("a SCIM user without the extension: username is its userName, flags false; this API can then change it", async () => {
    const email = uniqueEmail("scim-made");
    const created = await scim
      .post("/Users", { userName: email, name: { givenName: "Linus" }, emails: [{ value: email, primary: true }], phoneNumbers: [{ value: "999", type: "work" }] })
      .expect(201);
    const read = await api.get(`/api/v2/user/${created.body.id}`).expect(200);
    expect(read.body).toMatchObject({ username: email, email, first_name: "Linus", phone: "999", mfa: false, reset_pw: false, reset_2fa: false, is_active: true, groups: [] });
    const changed = await api.patch(`/api/v2/user/${created.body.id}`, { mfa: true, groups: [admin.roleId] }).expect(200);
    expect(changed.body).toMatchObject({ mfa: true, groups: [roleJson(admin)], permissions: ["users.write"] });
  });

  it("name, active and membership changed through SCIM show here", async () => {
    const created = await api.post("/api/v2/user", { email: uniqueEmail("scim-changed"), password: "pw" }).expect(201);
    await scim
      .patch(`/Users/${created.body.id}`, patchOp({ op: "replace", path: "name.familyName", value: "Changed" }, { op: "replace", path: "active", value: false }))
      .expect(200);
    await scim.patch(`/Groups/${viewer.groupId}`, patchOp({ op: "add", path: "members", value: [{ value: created.body.id }] })).expect(200);
    const read = await api.get(`/api/v2/user/${created.body.id}`).expect(200);
    expect(read.body).toMatchObject({ last_name: "Changed", is_active: false, groups: [roleJson(viewer)], permissions: ["users.read"] });
  });

  it("a group made through SCIM without the extension is a role with a stored id, usable here", async () => {
    const plain = await scim.post("/Groups", { schemas: [groupUrn], displayName: "Plain" }).expect(201);
    const listed = ((await api.get("/api/v2/group").expect(200)).body as { id: number; name: string }[]).find((role) => role.name === "Plain");
    expect(listed).toBeDefined();
    const created = await api.post("/api/v2/user", { email: uniqueEmail("plain"), password: "pw", groups: [listed?.id] }).expect(201);
    expect(created.body.groups).toEqual([{ id: listed?.id, name: "Plain", permissions: [] }]);
    expect((await filter("Groups", `${groupExtension}:roleId eq ${listed?.id}`)).body.Resources[0].id).toBe(plain.body.id);
  });

  it("a role's permissions changed through SCIM change its users' permissions", async () => {
    const role = await createRole(scim, "Auditor", ["audit.read"]);
    const created = await api.post("/api/v2/user", { email: uniqueEmail("auditor"), password: "pw", groups: [role.roleId, viewer.roleId] }).expect(201);
    expect(created.body.permissions).toEqual(["audit.read", "users.read"]);
    await scim.patch(`/Groups/${role.groupId}`, patchOp({ op: "replace", path: `${groupExtension}:permissions`, value: ["audit.export", "users.read"] })).expect(200);
    const read = await api.get(`/api/v2/user/${created.body.id}`).expect(200);
    expect(read.body.groups).toEqual([roleJson(viewer), { id: role.roleId, name: "Auditor", permissions: ["audit.export", "users.read"] }]);
    expect(read.body.permissions).toEqual(["audit.export", "users.read"]);
  });

  it("a role group deleted through SCIM disappears from its users", async () => {
    const role = await createRole(scim, "Doomed", ["doomed.x"]);
    const created = await api.post("/api/v2/user", { email: uniqueEmail("doomed"), password: "pw", groups: [role.roleId, admin.roleId] }).expect(201);
    await scim.delete(`/Groups/${role.groupId}`).expect(204);
    const read = await api.get(`/api/v2/user/${created.body.id}`).expect(200);
    expect(read.body.groups).toEqual([roleJson(admin)]);
    expect(read.body.permissions).toEqual(["users.write"]);
  });
});
