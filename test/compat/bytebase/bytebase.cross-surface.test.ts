import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytebaseGroupSchema as groupExtension, bytebaseUserSchema as userExtension } from "../../../src/compat/bytebase/extension.ts";
import { patchOpUrn } from "../../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { adminClient, type BytebaseClient } from "./client.ts";

// docs/compat/README.md §5 and docs/compat/bytebase.md §8: one store behind both surfaces. Writes
// through the Bytebase router read back through /scim/v2 (filtered on the extension by URN path),
// and the reverse.

const userUrn = userExtension.id;
const groupUrn = groupExtension.id;

let app: TestApp;
let bb: BytebaseClient;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp();
  bb = await adminClient(app);
  scim = await app.client();
});
afterAll(() => app.close());

const filtered = async (resource: "Users" | "Groups", filter: string) => {
  const response = await scim.get(`/${resource}?filter=${encodeURIComponent(filter)}`).expect(200);
  return response.body.Resources as Array<Record<string, unknown>>;
};

describe("Bytebase -> SCIM", () => {
  it("a created user is a SCIM user: email as userName and primary work email, title as displayName", async () => {
    const created = await bb.post("/v1/users", { email: "cross@example.com", title: "Cross Surface", userType: "USER", phone: "+14082121234", password: "Cross-Pass-1" }).expect(200);
    expect(created.body.name).toBe("users/101");
    const [user] = await filtered("Users", `${userUrn}:uid eq 101`);
    expect(user).toMatchObject({
      userName: "cross@example.com",
      displayName: "Cross Surface",
      active: true,
      emails: [{ value: "cross@example.com", primary: true, type: "work" }],
      phoneNumbers: [{ value: "+14082121234", type: "work" }],
      [userUrn]: { uid: 101, userType: "USER", mfaEnabled: false },
    });
    expect(JSON.stringify(user)).not.toContain("Cross-Pass-1");
    expect(await filtered("Users", `${userUrn}:userType eq "USER" and userName eq "cross@example.com"`)).toHaveLength(1);
  });

  it("updates and deactivation show through SCIM; the uid stays", async () => {
    await bb.patch("/v1/users/101", { email: "crossed@example.com", title: "Crossed" }).expect(200);
    await bb.delete("/v1/users/101").expect(200);
    const [user] = await filtered("Users", `${userUrn}:uid eq 101`);
    expect(user).toMatchObject({
      userName: "crossed@example.com",
      displayName: "Crossed",
      active: false,
      emails: [{ value: "crossed@example.com", primary: true, type: "work" }],
      [userUrn]: { uid: 101 },
    });
    await bb.post("/v1/users/101:undelete").expect(200);
    expect((await filtered("Users", `${userUrn}:uid eq 101`))[0]?.active).toBe(true);
  });

  it("a created group is a SCIM group with the extension; members are SCIM ids", async () => {
    await bb.post("/v1/groups?group_email=cross-group@example.com", { title: "Cross group", description: "Both ways", members: [{ member: "users/crossed@example.com", role: "OWNER" }] }).expect(200);
    const [group] = await filtered("Groups", `${groupUrn}:email eq "cross-group@example.com"`);
    const [user] = await filtered("Users", `${userUrn}:uid eq 101`);
    expect(group).toMatchObject({
      displayName: "Cross group",
      members: [{ value: user?.id, type: "User" }],
      [groupUrn]: { email: "cross-group@example.com", description: "Both ways", owners: [user?.id] },
    });
  });
});

describe("SCIM -> Bytebase", () => {
  let id: string;
  it("a SCIM user gets its uid when created, and Bytebase shows it under that uid", async () => {
    const created = await scim.post("/Users", { userName: "scim-first@example.com", displayName: "SCIM first", phoneNumbers: [{ value: "+4930123456", type: "mobile" }] }).expect(201);
    id = created.body.id;
    expect(created.body[userUrn]).toStrictEqual({ uid: expect.any(Number) });
    const shown = await bb.get("/v1/users/scim-first@example.com").expect(200);
    expect(shown.body).toMatchObject({ email: "scim-first@example.com", title: "SCIM first", userType: "USER", state: "ACTIVE", phone: "+4930123456" });
    expect(shown.body.name).toMatch(/^users\/\d+$/);
    const uid = Number(shown.body.name.slice("users/".length));
    expect(created.body[userUrn]).toStrictEqual({ uid });
    expect((await scim.get(`/Users/${id}`).expect(200)).body.meta.version).toBe(created.body.meta.version);
    expect((await bb.get(`/v1/users/${uid}`).expect(200)).body.email).toBe("scim-first@example.com");
    expect((await bb.get("/v1/users").expect(200)).body.users.map((user: { name: string }) => user.name)).toContain(`users/${uid}`);
  });

  it("SCIM changes (PUT and PATCH) show through Bytebase under the same uid", async () => {
    const before = (await bb.get("/v1/users/scim-first@example.com").expect(200)).body;
    await scim.put(`/Users/${id}`, { userName: "scim-first@example.com", displayName: "Replaced through SCIM" }).expect(200);
    expect((await bb.get(`/v1/${before.name}`).expect(200)).body).toMatchObject({ name: before.name, title: "Replaced through SCIM", phone: "" });
    await scim.patch(`/Users/${id}`, { schemas: [patchOpUrn], Operations: [{ op: "replace", path: "active", value: false }] }).expect(200);
    const deactivated = await bb.get("/v1/users/scim-first@example.com").expect(200);
    expect(deactivated.body).toMatchObject({ name: before.name, state: "DELETED" });
  });

  it("a SCIM PATCH keeps the uid", async () => {
    const user = (await scim.post("/Users", { userName: "patched-by-scim@example.com" }).expect(201)).body;
    const before = (await bb.get("/v1/users/patched-by-scim@example.com").expect(200)).body.name;
    await scim.patch(`/Users/${user.id}`, { schemas: [patchOpUrn], Operations: [{ op: "replace", path: "displayName", value: "Patched" }] }).expect(200);
    expect((await bb.get("/v1/users/patched-by-scim@example.com").expect(200)).body.name).toBe(before);
  });

  it("a SCIM member added to a Bytebase group shows as MEMBER", async () => {
    const added = await scim.post("/Users", { userName: "scim-member@example.com" }).expect(201);
    const [group] = await filtered("Groups", `${groupUrn}:email eq "cross-group@example.com"`);
    await scim.patch(`/Groups/${group?.id}`, { schemas: [patchOpUrn], Operations: [{ op: "add", path: "members", value: [{ value: added.body.id }] }] }).expect(200);
    const shown = await bb.get("/v1/groups/cross-group@example.com").expect(200);
    expect(shown.body.members).toStrictEqual([
      { member: "users/crossed@example.com", role: "OWNER" },
      { member: "users/scim-member@example.com", role: "MEMBER" },
    ]);
  });

  it("a SCIM user marked as the system bot is left out of the list", async () => {
    await scim.post("/Users", { userName: "support@bytebase.com", [userUrn]: { userType: "SYSTEM_BOT" } }).expect(201);
    const listed = (await bb.get("/v1/users?show_deleted=true").expect(200)).body.users.map((user: { email: string }) => user.email);
    expect(listed).not.toContain("support@bytebase.com");
    expect(listed).toContain("scim-member@example.com");
    expect((await bb.get("/v1/users/support@bytebase.com").expect(200)).body.userType).toBe("SYSTEM_BOT");
  });

  it("SCIM groups without a Bytebase email stay out of Bytebase", async () => {
    await scim.post("/Groups", { displayName: "No email" }).expect(201);
    const titles = (await bb.get("/v1/groups").expect(200)).body.groups.map((group: { title: string }) => group.title);
    expect(titles).toStrictEqual(["Cross group"]);
  });
});
