import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { scimBody } from "../support/responses.ts";
import { baseUrl, describeResourceBehaviour, publicBaseUrl, resourceKinds, uniqueName } from "./resource.behaviour.ts";

describeResourceBehaviour(resourceKinds.Group);

let app: TestApp;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
  scim = await app.client();
});
afterAll(() => app.close());

const meta = (id: string, version: number) => ({
  resourceType: "Group",
  created: expect.any(String),
  lastModified: expect.any(String),
  location: `${baseUrl}/Groups/${id}`,
  version: `W/"${version}"`,
});

// RFC 7643 §4.2: a member as the server renders it; members come back ordered by id.
const userMember = (id: string, display: string) => ({ value: id, $ref: `${baseUrl}/Users/${id}`, type: "User", display });
const groupMember = (id: string, display: string) => ({ value: id, $ref: `${baseUrl}/Groups/${id}`, type: "Group", display });
const byValue = <T extends { value: string }>(members: T[]) => [...members].sort((a, b) => (a.value < b.value ? -1 : 1));
// Members are a set: POST and PUT answer them in the order sent, GET and list by id.
const membersSorted = (group: Record<string, any>) => (group.members ? { ...group, members: byValue(group.members) } : group);

const newUser = async (body: Record<string, unknown> = {}) => {
  const userName = uniqueName("user");
  const id = (await scim.post("/Users", { schemas: [userUrn], userName, ...body }).expect(201)).body.id as string;
  return { id, userName };
};
const newGroup = async (members: unknown[] = []) => {
  const displayName = uniqueName("Group");
  const created = await scim.post("/Groups", { schemas: [groupUrn], displayName, members }).expect(201);
  return { id: created.body.id as string, displayName, body: created.body };
};

describe("/Groups: members", () => {
  it("POST with users and a group as members renders value, $ref, type and display", async () => {
    const babs = await newUser({ displayName: "Babs Jensen" });
    const plain = await newUser();
    const nested = await newGroup();
    const displayName = uniqueName("Tour Guides");
    const created = await scim.post("/Groups", {
      schemas: [groupUrn],
      displayName,
      externalId: "tour-guides",
      members: [{ value: babs.id }, { value: plain.id, type: "User" }, { value: nested.id, type: "Group" }],
    }).expect(201);
    const id = created.body.id as string;
    const expected = {
      schemas: [groupUrn],
      id,
      displayName,
      externalId: "tour-guides",
      members: byValue([userMember(babs.id, "Babs Jensen"), userMember(plain.id, plain.userName), groupMember(nested.id, nested.displayName)]),
      meta: meta(id, 1),
    };
    expect(membersSorted(scimBody(created))).toStrictEqual(expected);
    expect((await scim.get(`/Groups/${id}`).expect(200)).body).toStrictEqual(expected);
    const list = await scim.get("/Groups?count=1000").expect(200);
    expect(list.body.Resources.find((group: { id: string }) => group.id === id)).toStrictEqual(expected);
  });

  // display is always the member's own current name; one a client sends (Okta) is ignored.
  it.each([
    ["a wrong type is settled from what the id is", (user: string) => [{ value: user, type: "Group" }], undefined],
    ["a plain string member (Microsoft collection)", (user: string) => [user], undefined],
    ["Entra's $ref: null", (user: string) => [{ value: user, $ref: null }], undefined],
    ["a client display", (user: string) => [{ value: user, display: "Babs (Okta)" }], undefined],
    ["a client $ref", (user: string) => [{ value: user, $ref: `https://elsewhere.example/Users/${user}` }], undefined],
    ["sub-attribute names in any case", (user: string) => [{ Value: user, TYPE: "User", Display: "Shouted" }], undefined],
    ["the same member twice", (user: string) => [{ value: user }, { value: user, type: "User" }], undefined],
    ["a null among the members", (user: string) => [null, { value: user }], undefined],
  ])("members are read leniently: %s", async (_name, members, display) => {
    const user = await newUser();
    const created = await scim.post("/Groups", { displayName: uniqueName("Lenient"), members: members(user.id) }).expect(201);
    expect(created.body.members).toStrictEqual([userMember(user.id, display ?? user.userName)]);
    expect((await scim.get(`/Groups/${created.body.id}`).expect(200)).body).toStrictEqual(created.body);
  });

  it("attribute names in any case and unknown schema URNs (Entra's ADSCIM Group) are tolerated", async () => {
    const user = await newUser();
    const displayName = uniqueName("Entra");
    const created = await scim.post("/Groups", {
      schemas: [groupUrn, "urn:ietf:params:scim:schemas:extension:ADSCIM:2.0:Group"],
      DisplayName: displayName,
      MEMBERS: [{ value: user.id }],
      unknownAttribute: "ignored",
    }).expect(201);
    expect(created.body).toStrictEqual({
      schemas: [groupUrn],
      id: created.body.id,
      displayName,
      members: [userMember(user.id, user.userName)],
      meta: meta(created.body.id, 1),
    });
  });

  it.each([
    ["omitted", {}],
    ["null", { members: null }],
    ["empty", { members: [] }],
  ])("a group with members %s has no members attribute", async (_name, members) => {
    const displayName = uniqueName("Empty");
    const created = await scim.post("/Groups", { displayName, ...members }).expect(201);
    expect(created.body).toStrictEqual({ schemas: [groupUrn], id: created.body.id, displayName, meta: meta(created.body.id, 1) });
  });

  it("PUT replaces the member list; omitted members are removed", async () => {
    const [a, b, c] = [await newUser(), await newUser(), await newUser()];
    const group = await newGroup([{ value: a.id }, { value: b.id }]);
    const swapped = await scim.put(`/Groups/${group.id}`, { displayName: group.displayName, members: [{ value: b.id }, { value: c.id }] }).expect(200);
    expect(byValue(swapped.body.members)).toStrictEqual(byValue([userMember(b.id, b.userName), userMember(c.id, c.userName)]));
    const emptied = await scim.put(`/Groups/${group.id}`, { displayName: group.displayName }).expect(200);
    expect(emptied.body).toStrictEqual({ schemas: [groupUrn], id: group.id, displayName: group.displayName, meta: meta(group.id, 3) });
    expect((await scim.get(`/Users/${a.id}`).expect(200)).body.groups).toBeUndefined();
  });

  it("PUT may rename a group and keep its members", async () => {
    const a = await newUser();
    const group = await newGroup([{ value: a.id }]);
    const renamed = uniqueName("Renamed");
    const replaced = await scim.put(`/Groups/${group.id}`, { displayName: renamed, members: [{ value: a.id }] }).expect(200);
    expect(replaced.body).toStrictEqual({ schemas: [groupUrn], id: group.id, displayName: renamed, members: [userMember(a.id, a.userName)], meta: meta(group.id, 2) });
  });

  it("deleting a user removes it from every group; deleting a group removes it from its parents", async () => {
    const [a, b] = [await newUser(), await newUser()];
    const child = await newGroup([{ value: a.id }]);
    const parent = await newGroup([{ value: a.id }, { value: b.id }, { value: child.id }]);
    await scim.delete(`/Users/${a.id}`).expect(204);
    expect((await scim.get(`/Groups/${child.id}`).expect(200)).body.members).toBeUndefined();
    expect((await scim.get(`/Groups/${parent.id}`).expect(200)).body.members).toStrictEqual(
      byValue([userMember(b.id, b.userName), groupMember(child.id, child.displayName)]),
    );
    await scim.delete(`/Groups/${child.id}`).expect(204);
    expect((await scim.get(`/Groups/${parent.id}`).expect(200)).body.members).toStrictEqual([userMember(b.id, b.userName)]);
  });

  it("deleting a group leaves its members in place", async () => {
    const a = await newUser();
    const child = await newGroup();
    const group = await newGroup([{ value: a.id }, { value: child.id }]);
    await scim.delete(`/Groups/${group.id}`).expect(204);
    await scim.get(`/Users/${a.id}`).expect(200);
    await scim.get(`/Groups/${child.id}`).expect(200);
  });

  it("a group with many members round-trips", async () => {
    const users = [];
    for (let i = 0; i < 25; i += 1) users.push(await newUser());
    const group = await newGroup(users.map((user) => ({ value: user.id })));
    expect(byValue(group.body.members)).toStrictEqual(byValue(users.map((user) => userMember(user.id, user.userName))));
    expect((await scim.get(`/Groups/${group.id}`).expect(200)).body).toStrictEqual(membersSorted(group.body));
  });
});
