import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytebaseGroupSchema, listGroupsResponseSchema } from "../../../src/compat/bytebase/contract.ts";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { adminClient, bytebaseClient, expectBytebaseError, groupJson, memberClient, prefix, scimIdOf, type BytebaseClient } from "./client.ts";

// docs/compat/bytebase.md §4.2, §5.8-§5.12, §6 and §7: the Group endpoints.

let app: TestApp;
let bb: BytebaseClient;
let dev1: { name: string; email: string };
let dev2: { name: string; email: string };
beforeAll(async () => {
  app = await startTestApp();
  bb = await adminClient(app);
  await bb.post("/v1/users", { email: "ci@service.bytebase.com", title: "CI", userType: "SERVICE_ACCOUNT" }).expect(200);
  dev1 = (await bb.post("/v1/users", { email: "dev1@example.com", title: "Dev 1", userType: "USER", password: "Dev1-Pass-1" }).expect(200)).body;
  dev2 = (await bb.post("/v1/users", { email: "dev2@example.com", title: "Dev 2", userType: "USER" }).expect(200)).body;
});
afterAll(() => app.close());

const expectedContractor = {
  name: "groups/contractor@example.com",
  title: "Contractor Group",
  description: "A group for contractors",
  creator: "",
  members: [
    { member: "users/ci@service.bytebase.com", role: "OWNER" },
    { member: "users/dev1@example.com", role: "MEMBER" },
  ],
  source: "",
};

describe("CreateGroup (POST /v1/groups?group_email=)", () => {
  it("creates a group from group.json sent as a form body, members as users/{email} with roles", async () => {
    const response = await bb.post("/v1/groups?group_email=contractor@example.com").set("Content-Type", "application/x-www-form-urlencoded").send(JSON.stringify(groupJson));
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toStrictEqual(["name", "title", "description", "creator", "members", "createTime", "source"]);
    expect(bytebaseGroupSchema.parse(response.body)).toStrictEqual({ ...expectedContractor, createTime: response.body.createTime });
    expect(Date.now() - Date.parse(response.body.createTime)).toBeLessThan(60_000);
    expect(response.body.createTime).not.toMatch(/\.000Z$/);
  });

  it("answers 409 code 6 for an email taken", async () => {
    expectBytebaseError(await bb.post("/v1/groups?group_email=contractor@example.com", { title: "Other title" }), 409, 6, /groups\/contractor@example.com/);
  });

  // Deviation: this server keeps Group displayNames unique per tenant; Bytebase titles are not.
  it("answers 409 code 6 for a title another group has", async () => {
    expectBytebaseError(await bb.post("/v1/groups?group_email=twin@example.com", { title: "Contractor Group" }), 409, 6, /"Contractor Group"/);
  });

  it("answers 400 without group_email, and accepts groupEmail", async () => {
    expectBytebaseError(await bb.post("/v1/groups", groupJson), 400, 3, "missing group_email in the request");
    const created = await bb.post("/v1/groups?groupEmail=camel@example.com", { title: "Camel" }).expect(200);
    expect(created.body).toMatchObject({ name: "groups/camel@example.com", title: "Camel", members: [] });
  });

  it.each([
    ["an unknown member", { members: [{ member: "users/dev1@example.com", role: "OWNER" }, { member: "users/nobody@example.com", role: "MEMBER" }] }, "cannot found member users/nobody@example.com"],
    ["a member that is not users/...", { members: [{ member: "groups/x@example.com", role: "MEMBER" }] }, "cannot found member groups/x@example.com"],
    ["a member without role", { members: [{ member: "users/dev1@example.com" }] }, "unsupport group member role"],
    ["a member with ROLE_UNSPECIFIED", { members: [{ member: "users/dev1@example.com", role: "ROLE_UNSPECIFIED" }] }, "unsupport group member role"],
    ["members that are not a list", { members: "users/dev1@example.com" }, /^proto: invalid value/],
  ])("answers 400 code 3 for %s and creates nothing", async (_name, body, message) => {
    expectBytebaseError(await bb.post("/v1/groups?group_email=broken@example.com", { title: "Broken", ...body }), 400, 3, message);
    expectBytebaseError(await bb.get("/v1/groups/broken@example.com"), 404, 5);
  });

  it("answers 400 for an invalid group email", async () => {
    expectBytebaseError(await bb.post("/v1/groups?group_email=Upper@example.com", { title: "U" }), 400, 3, /email should be lowercase/);
    expectBytebaseError(await bb.post("/v1/groups?group_email=no-at", { title: "U" }), 400, 3, /missing '@'/);
  });

  it("accepts members by uid, outputs them by email, one entry per user with OWNER winning", async () => {
    const created = await bb
      .post("/v1/groups?group_email=uids@example.com", {
        title: "By uid",
        members: [
          { member: dev1.name, role: "MEMBER" },
          { member: `users/${dev1.email}`, role: 1 },
          { member: dev2.name, role: "MEMBER" },
        ],
      })
      .expect(200);
    expect(created.body.members).toStrictEqual([
      { member: "users/dev1@example.com", role: "OWNER" },
      { member: "users/dev2@example.com", role: "MEMBER" },
    ]);
  });

  it("records a signed-in creator as users/{email}, without making it a member", async () => {
    const signedIn = await app.http().post(`${prefix}/v1/auth/login`).send({ email: "dev1@example.com", password: "Dev1-Pass-1" }).expect(200);
    const asDev1 = bytebaseClient(app, signedIn.body.token);
    const created = await asDev1.post("/v1/groups?group_email=created-by-dev1@example.com", { title: "Mine" }).expect(200);
    expect(created.body).toMatchObject({ creator: "users/dev1@example.com", members: [] });
  });

  it("enforces the tenant's bytebase.workspaceDomains", async () => {
    const client = await adminClient(app, "domains");
    await app.server.tenants.setOption("domains", "bytebase.workspaceDomains", "corp.example, example.org");
    expectBytebaseError(await client.post("/v1/groups?group_email=team@example.com", { title: "T" }), 400, 3, /workspace domains/);
    await client.post("/v1/groups?group_email=team@example.org", { title: "T" }).expect(200);
  });
});

describe("GetGroup and ListGroups", () => {
  it("GET /v1/groups/{email} answers the group; an unknown one 404", async () => {
    const response = await bb.get("/v1/groups/contractor@example.com").expect(200);
    expect(response.body).toMatchObject(expectedContractor);
    expect((await bb.get("/v1/groups/contractor%40example.com").expect(200)).body).toStrictEqual(response.body);
    expectBytebaseError(await bb.get("/v1/groups/nothing@example.com"), 404, 5, "cannot found group groups/nothing@example.com");
  });

  it("GET /v1/groups lists the groups with an email, not SCIM groups without one", async () => {
    const scim = await app.client();
    await scim.post("/Groups", { displayName: "SCIM only" }).expect(201);
    const response = await bb.get("/v1/groups").expect(200);
    const body = listGroupsResponseSchema.parse(response.body);
    expect(body.nextPageToken).toBe("");
    expect(body.groups.map((group) => group.name)).toContain("groups/contractor@example.com");
    expect(body.groups.map((group) => group.title)).not.toContain("SCIM only");
  });

  it("pages with page_size and page_token", async () => {
    const all = (await bb.get("/v1/groups").expect(200)).body.groups.map((group: { name: string }) => group.name);
    expect(all.length).toBeGreaterThan(2);
    const first = await bb.get("/v1/groups?page_size=2").expect(200);
    expect(first.body.groups.map((group: { name: string }) => group.name)).toStrictEqual(all.slice(0, 2));
    const rest = await bb.get(`/v1/groups?page_size=100&page_token=${first.body.nextPageToken}`).expect(200);
    expect(rest.body).toMatchObject({ nextPageToken: "" });
    expect(rest.body.groups.map((group: { name: string }) => group.name)).toStrictEqual(all.slice(2));
    expectBytebaseError(await bb.get("/v1/groups?page_token=%%%"), 400, 3, /^invalid page token/);
  });
});

describe("UpdateGroup (PATCH /v1/groups/{email})", () => {
  it("with allow_missing=true creates a missing group, then updates it, members replaced", async () => {
    const created = await bb.patch("/v1/groups/new@example.com?allow_missing=true&update_mask=title", { ...groupJson, title: "New Group" }).expect(200);
    expect(created.body).toMatchObject({ ...expectedContractor, name: "groups/new@example.com", title: "New Group" });
    const replaced = await bb
      .patch("/v1/groups/new@example.com?allow_missing=true", { title: "Renamed", members: [{ member: "users/dev2@example.com", role: "OWNER" }] })
      .expect(200);
    expect(replaced.body).toStrictEqual({
      ...created.body,
      title: "Renamed",
      members: [{ member: "users/dev2@example.com", role: "OWNER" }],
    });
  });

  it("without allow_missing answers 404 for a missing group", async () => {
    expectBytebaseError(await bb.patch("/v1/groups/missing@example.com", groupJson), 404, 5, 'group "groups/missing@example.com" not found');
    expectBytebaseError(await bb.get("/v1/groups/missing@example.com"), 404, 5);
  });

  it("answers 400 unsupported update_mask for a body naming name (inferred) or a query mask path it cannot change", async () => {
    expectBytebaseError(await bb.patch("/v1/groups/new@example.com", { name: "groups/new@example.com", title: "x" }), 400, 3, 'unsupported update_mask "name"');
    expectBytebaseError(await bb.patch("/v1/groups/new@example.com?update_mask=title,creator", { title: "x" }), 400, 3, 'unsupported update_mask "creator"');
    expectBytebaseError(await bb.patch("/v1/groups/new@example.com", { title: "x", bogus: 1 }), 400, 3, 'could not find field "bogus" in "bytebase.v1.Group"');
    expect((await bb.get("/v1/groups/new@example.com").expect(200)).body.title).toBe("Renamed");
  });

  it("changes only the paths of the query mask; camelCase and empty bodies as in grpc-gateway", async () => {
    const before = (await bb.get("/v1/groups/new@example.com").expect(200)).body;
    const described = await bb.patch("/v1/groups/new@example.com?updateMask=description", { title: "Ignored", description: "Now described" }).expect(200);
    expect(described.body).toStrictEqual({ ...before, description: "Now described" });
    expect((await bb.patch("/v1/groups/new@example.com", {}).expect(200)).body).toStrictEqual(described.body);
    const cleared = await bb.patch("/v1/groups/new@example.com", { members: [], description: "" }).expect(200);
    expect(cleared.body).toStrictEqual({ ...described.body, members: [], description: "" });
  });

  it("answers 400 for a member it cannot find and changes nothing", async () => {
    const before = (await bb.get("/v1/groups/contractor@example.com").expect(200)).body;
    expectBytebaseError(await bb.patch("/v1/groups/contractor@example.com", { title: "x", members: [{ member: "users/ghost@example.com", role: "MEMBER" }] }), 400, 3, "cannot found member users/ghost@example.com");
    expect((await bb.get("/v1/groups/contractor@example.com").expect(200)).body).toStrictEqual(before);
  });

  it("refuses to change the members of an external group (non-empty source)", async () => {
    await bb.post("/v1/groups?group_email=external@example.com", { title: "External", source: "Entra ID", members: [{ member: dev1.name, role: "MEMBER" }] }).expect(200);
    expectBytebaseError(await bb.patch("/v1/groups/external@example.com", { members: [] }), 400, 3, "cannot change members for external group");
    expect((await bb.patch("/v1/groups/external@example.com", { title: "External, renamed" }).expect(200)).body).toMatchObject({ source: "Entra ID", title: "External, renamed" });
  });
});

describe("DeleteGroup (DELETE /v1/groups/{email})", () => {
  it("answers 200 {}; then GET and DELETE answer 404", async () => {
    await bb.post("/v1/groups?group_email=doomed@example.com", { title: "Doomed" }).expect(200);
    expect((await bb.delete("/v1/groups/doomed@example.com").expect(200)).body).toStrictEqual({});
    expectBytebaseError(await bb.get("/v1/groups/doomed@example.com"), 404, 5);
    expectBytebaseError(await bb.delete("/v1/groups/doomed@example.com"), 404, 5, "cannot found the group groups/doomed@example.com");
  });
});

describe("group permissions (§2.3): admins, and the group's OWNERs", () => {
  let owner: BytebaseClient;
  let member: BytebaseClient;
  beforeAll(async () => {
    await bb.post("/v1/groups?group_email=owned@example.com", { title: "Owned", members: [{ member: dev1.name, role: "OWNER" }, { member: dev2.name, role: "MEMBER" }] }).expect(200);
    owner = await memberClient(app, dev1.email);
    member = await memberClient(app, dev2.email);
  });

  it("a non-admin cannot create groups, not even through allow_missing", async () => {
    expectBytebaseError(await owner.post("/v1/groups?group_email=nope@example.com", { title: "Nope" }), 403, 7, 'user does not have permission "bb.groups.create"');
    expectBytebaseError(await owner.patch("/v1/groups/nope@example.com?allow_missing=true", { title: "Nope" }), 403, 7, 'user does not have permission "bb.groups.create"');
  });

  it("a MEMBER cannot update or delete; reading is allowed", async () => {
    await member.get("/v1/groups/owned@example.com").expect(200);
    expectBytebaseError(await member.patch("/v1/groups/owned@example.com", { title: "Taken over" }), 403, 7, 'user does not have permission "bb.groups.update"');
    expectBytebaseError(await member.delete("/v1/groups/owned@example.com"), 403, 7, 'user does not have permission "bb.groups.delete"');
  });

  it("an OWNER updates and deletes its group", async () => {
    expect((await owner.patch("/v1/groups/owned@example.com", { title: "Owner renamed" }).expect(200)).body.title).toBe("Owner renamed");
    await owner.delete("/v1/groups/owned@example.com").expect(200);
    expectBytebaseError(await bb.get("/v1/groups/owned@example.com"), 404, 5);
  });

  it("SCIM ids of owners are kept in the extension", async () => {
    const created = await bb.post("/v1/groups?group_email=owners@example.com", { title: "Owners", members: [{ member: dev1.name, role: "OWNER" }] }).expect(200);
    expect(created.body.members).toStrictEqual([{ member: "users/dev1@example.com", role: "OWNER" }]);
    const scim = await app.client();
    const list = await scim.get(`/Groups?filter=${encodeURIComponent('urn:scim-server:params:scim:schemas:extension:bytebase:2.0:Group:email eq "owners@example.com"')}`).expect(200);
    expect(list.body.Resources[0]["urn:scim-server:params:scim:schemas:extension:bytebase:2.0:Group"]).toMatchObject({
      email: "owners@example.com",
      owners: [await scimIdOf(app, dev1.email)],
    });
  });
});

describe("a group without title", () => {
  it("is named by its email (SCIM requires a displayName)", async () => {
    const created = await bb.post("/v1/groups?group_email=untitled@example.com", {}).expect(200);
    expect(created.body).toMatchObject({ name: "groups/untitled@example.com", title: "untitled@example.com" });
  });
});
