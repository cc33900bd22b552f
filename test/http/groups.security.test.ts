import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";
import { describeAuthentication } from "./auth.suite.ts";
import { describeTenantIsolation, publicBaseUrl, resourceKinds } from "./resource.behaviour.ts";

describeAuthentication([
  { method: "GET", path: "/Groups" },
  { method: "POST", path: "/Groups", body: { schemas: [groupUrn], displayName: "intruders", members: [{ value: ":user" }] } },
  { method: "GET", path: "/Groups/:group" },
  { method: "PUT", path: "/Groups/:group", body: { schemas: [groupUrn], displayName: "fixture-group", members: [] } },
  {
    method: "PATCH",
    path: "/Groups/:group",
    body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: ":user" }] }] },
  },
  { method: "DELETE", path: "/Groups/:group" },
  { method: "POST", path: "/Groups/.search", body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] }, reads: true },
]);

describeTenantIsolation(resourceKinds.Group);

// A group of one tenant can never reference, show or be changed through another tenant's users
// and groups: a member id of another tenant is as unknown as one that does not exist.
describe("/Groups: members across tenants", () => {
  let app: TestApp;
  let owner: ScimClient;
  let intruder: ScimClient;
  const theirs = { user: "", group: "", groupBody: {} as Record<string, unknown>, userBody: {} as Record<string, unknown> };
  let mine: { user: string; group: string; groupBody: Record<string, unknown> };

  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
    owner = await app.client("owner");
    intruder = await app.client("intruder");
    theirs.user = (await owner.post("/Users", { schemas: [userUrn], userName: "theirs" }).expect(201)).body.id;
    const group = await owner.post("/Groups", { schemas: [groupUrn], displayName: "Their group", members: [{ value: theirs.user }] }).expect(201);
    theirs.group = group.body.id;
    theirs.groupBody = group.body;
    theirs.userBody = (await owner.get(`/Users/${theirs.user}`).expect(200)).body;
    const user = (await intruder.post("/Users", { schemas: [userUrn], userName: "mine" }).expect(201)).body.id;
    const myGroup = await intruder.post("/Groups", { schemas: [groupUrn], displayName: "My group", members: [{ value: user }] }).expect(201);
    mine = { user, group: myGroup.body.id, groupBody: myGroup.body };
  });
  afterAll(() => app.close());

  const expectNothingChanged = async () => {
    expect((await owner.get(`/Groups/${theirs.group}`).expect(200)).body).toStrictEqual(theirs.groupBody);
    expect((await owner.get(`/Users/${theirs.user}`).expect(200)).body).toStrictEqual(theirs.userBody);
    expect((await intruder.get(`/Groups/${mine.group}`).expect(200)).body).toStrictEqual(mine.groupBody);
    const intruderGroups = await intruder.get("/Groups").expect(200);
    expect(intruderGroups.body.totalResults).toBe(1);
    const ownerGroups = await owner.get("/Groups").expect(200);
    expect(ownerGroups.body.totalResults).toBe(1);
  };

  it.each([
    ["another tenant's user", () => [{ value: theirs.user }]],
    ["another tenant's user, typed User", () => [{ value: theirs.user, type: "User" }]],
    ["another tenant's group", () => [{ value: theirs.group, type: "Group" }]],
    ["another tenant's user among the caller's own", () => [{ value: mine.user }, { value: theirs.user }]],
    ["another tenant's user by $ref only", () => [{ value: theirs.user, $ref: `${publicBaseUrl}/scim/v2/Users/${theirs.user}` }]],
  ])("POST with %s as member answers 400 invalidValue and creates nothing", async (_name, members) => {
    expectScimError(await intruder.post("/Groups", { schemas: [groupUrn], displayName: "Infiltrators", members: members() }), 400, "invalidValue");
    await expectNothingChanged();
  });

  it.each([
    ["another tenant's user", () => [{ value: theirs.user }]],
    ["another tenant's group", () => [{ value: theirs.group }]],
    ["another tenant's user among the caller's own", () => [{ value: mine.user }, { value: theirs.user }]],
  ])("PUT with %s as member answers 400 invalidValue and changes nothing", async (_name, members) => {
    expectScimError(await intruder.put(`/Groups/${mine.group}`, { schemas: [groupUrn], displayName: "My group", members: members() }), 400, "invalidValue");
    await expectNothingChanged();
  });

  it("the error does not tell another tenant's id from an unknown one", async () => {
    const foreign = await intruder.post("/Groups", { displayName: "X", members: [{ value: theirs.user }] });
    const unknown = await intruder.post("/Groups", { displayName: "X", members: [{ value: "00000000-0000-4000-8000-000000000000" }] });
    expect(foreign.body.detail.replace(theirs.user, "ID")).toBe(unknown.body.detail.replace("00000000-0000-4000-8000-000000000000", "ID"));
  });

  it("a user's groups show only its own tenant's groups", async () => {
    const user = await owner.get(`/Users/${theirs.user}`).expect(200);
    expect(user.body.groups).toStrictEqual([
      { value: theirs.group, display: "Their group", type: "direct", $ref: `${publicBaseUrl}/scim/v2/Groups/${theirs.group}` },
    ]);
    const myUser = await intruder.get(`/Users/${mine.user}`).expect(200);
    expect(myUser.body.groups.map((group: { value: string }) => group.value)).toStrictEqual([mine.group]);
  });

  it("deleting a resource in one tenant leaves another tenant's memberships alone", async () => {
    const temporary = (await intruder.post("/Users", { userName: "temporary" }).expect(201)).body.id;
    await intruder.delete(`/Users/${temporary}`).expect(204);
    await expectNothingChanged();
  });
});
