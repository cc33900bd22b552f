import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";
import { describeResourceErrors, publicBaseUrl, resourceKinds } from "./resource.behaviour.ts";

describeResourceErrors(resourceKinds.Group);

// RFC 7643 §4.2: members reference resources of the same tenant that exist; a write naming any
// other member fails as a whole.
describe("/Groups: member errors", () => {
  let app: TestApp;
  let scim: ScimClient;
  let user: string;
  let group: { id: string; body: Record<string, unknown> };
  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
    scim = await app.client();
    user = (await scim.post("/Users", { schemas: [userUrn], userName: "member" }).expect(201)).body.id;
    const created = await scim.post("/Groups", { schemas: [groupUrn], displayName: "Existing", members: [{ value: user }] }).expect(201);
    group = { id: created.body.id, body: created.body };
  });
  afterAll(() => app.close());

  const expectUnchanged = async () => {
    const list = await scim.get("/Groups").expect(200);
    expect(list.body.Resources).toStrictEqual([group.body]);
    const member = await scim.get(`/Users/${user}`).expect(200);
    expect(member.body.groups).toStrictEqual([{ value: group.id, $ref: `${publicBaseUrl}/scim/v2/Groups/${group.id}`, display: "Existing", type: "direct" }]);
  };

  const deletedUser = async () => {
    const id = (await scim.post("/Users", { userName: `gone-${randomUUID()}` }).expect(201)).body.id as string;
    await scim.delete(`/Users/${id}`).expect(204);
    return id;
  };

  it.each([
    ["an unknown id", async () => [{ value: randomUUID() }], "invalidValue"],
    ["an unknown id among known ones", async () => [{ value: user }, { value: "no-such-member" }], "invalidValue"],
    ["a deleted user", async () => [{ value: await deletedUser() }], "invalidValue"],
    ["a member without value", async () => [{ display: "Nobody" }], "invalidValue"],
    ["a member whose value is not a string", async () => [{ value: 42 }], "invalidValue"],
    ["members that are not an array", async () => ({ value: user }), "invalidValue"],
    ["a member that is a number", async () => [42], "invalidValue"],
  ] as const)("POST with %s answers 400 %s and creates nothing", async (_name, members, scimType) => {
    expectScimError(await scim.post("/Groups", { displayName: "New", members: await members() }), 400, scimType);
    await expectUnchanged();
  });

  it.each([
    ["an unknown id", async () => [{ value: user }, { value: randomUUID() }]],
    ["a deleted user", async () => [{ value: await deletedUser() }]],
    ["the group itself", async () => [{ value: group.id }]],
    ["the group itself among others", async () => [{ value: user }, { value: group.id, type: "Group" }]],
  ])("PUT with %s as member answers 400 invalidValue and changes nothing", async (_name, members) => {
    expectScimError(await scim.put(`/Groups/${group.id}`, { displayName: "Existing", members: await members() }), 400, "invalidValue");
    await expectUnchanged();
  });

  it("PUT with a bad member does not apply the rename in the same body", async () => {
    expectScimError(await scim.put(`/Groups/${group.id}`, { displayName: "Renamed", members: [{ value: randomUUID() }] }), 400, "invalidValue");
    await expectUnchanged();
  });

  it("displayName uniqueness ignores case on POST and PUT", async () => {
    expectScimError(await scim.post("/Groups", { displayName: "EXISTING" }), 409, "uniqueness");
    const other = await scim.post("/Groups", { displayName: "Other" }).expect(201);
    expectScimError(await scim.put(`/Groups/${other.body.id}`, { displayName: "existing" }), 409, "uniqueness");
    await scim.delete(`/Groups/${other.body.id}`).expect(204);
    await expectUnchanged();
  });
});
