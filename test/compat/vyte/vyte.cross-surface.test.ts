import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupUrn, patchOpUrn, userUrn } from "../../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { expectVyteError, objectIdPattern, documentedUserObject, unique, userBody, vyteClient, vyteTeamUrn, vyteUserUrn, type VyteClient } from "./fixtures.ts";

// docs/compat/README.md §5 (one identity store), docs/compat/vyte.md §8 (mapping) and §6.4 (Vyte's
// deactivation is the unlink): writes through /compat/vyte read through /scim/v2 and the reverse.

let app: TestApp;
let vyte: VyteClient;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp();
  vyte = await vyteClient(app, "vyte-cross");
  scim = await app.client("vyte-cross");
});
afterAll(() => app.close());

const filtered = async (resource: "Users" | "Groups", filter: string) => {
  const response = await scim.get(`/${resource}?filter=${encodeURIComponent(filter)}`).expect(200);
  return response.body.Resources as Array<Record<string, any>>;
};

describe("Vyte writes, SCIM reads", () => {
  it("a Vyte user is a SCIM User with the Vyte extension, found by its _id", async () => {
    const extid = unique("ext");
    const email = `${unique("cross")}@example.com`;
    const created = await vyte
      .post(
        "/v2/users",
        userBody(
          vyte.organization,
          { email, first_name: "Jean", last_name: "Dupont", language: "fr", timezone: "Europe/Paris", picture_url: "https://example.com/p.png", account: { organization: { extid, admin: true } } },
          { availability: documentedUserObject.availability, vyteme: documentedUserObject.vyteme },
        ),
      )
      .expect(200);
    const id = created.body.user._id;
    const [user] = await filtered("Users", `${vyteUserUrn}:objectId eq "${id}"`);
    expect(user).toStrictEqual({
      schemas: [userUrn, vyteUserUrn],
      id: expect.any(String),
      userName: email,
      name: { givenName: "Jean", familyName: "Dupont", formatted: "Jean Dupont" },
      displayName: "Jean Dupont",
      emails: [{ value: email, primary: true }],
      preferredLanguage: "fr",
      timezone: "Europe/Paris",
      photos: [{ value: "https://example.com/p.png", type: "photo", primary: true }],
      externalId: extid,
      active: true,
      [vyteUserUrn]: {
        objectId: id,
        linked: true,
        orgAdmin: true,
        signedUpWith: "api",
        availability: JSON.stringify(documentedUserObject.availability),
        vyteme: JSON.stringify(documentedUserObject.vyteme),
      },
      meta: expect.objectContaining({ resourceType: "User", version: 'W/"1"' }),
    });
    expect((await filtered("Users", `externalId eq "${extid}"`)).map((found) => found.id)).toEqual([user.id]);
    expect((await filtered("Users", `${vyteUserUrn}:orgAdmin eq true`)).map((found) => found.id)).toContain(user.id);
  });

  it("a Vyte update shows through SCIM, and the unlink is active=false with linked=false", async () => {
    const user = (await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("unl")}@example.com` })).expect(200)).body.user;
    await vyte.put(`/v2/users/${user._id}`, { user: { last_name: "Snow" } }).expect(200);
    const [updated] = await filtered("Users", `${vyteUserUrn}:objectId eq "${user._id}"`);
    expect(updated.name).toEqual({ familyName: "Snow", formatted: "Snow" });
    await vyte.delete(`/v2/users/${user._id}`).expect(200);
    const unlinked = await filtered("Users", `${vyteUserUrn}:linked eq false and active eq false`);
    expect(unlinked.map((found) => found[vyteUserUrn].objectId)).toContain(user._id);
  });

  it("a Vyte team is a SCIM Group: members are SCIM users, admins Vyte ids in the extension", async () => {
    const member = (await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("m")}@example.com` })).expect(200)).body.user;
    const [scimMember] = await filtered("Users", `${vyteUserUrn}:objectId eq "${member._id}"`);
    const team = (
      await vyte.post("/v2/teams", { name: unique("Team"), extid: unique("team"), members: [member._id], admins: [member._id], level_name: "L1" }).expect(200)
    ).body;
    const [group] = await filtered("Groups", `${vyteTeamUrn}:objectId eq "${team._id}"`);
    expect(group).toMatchObject({
      displayName: team.name,
      externalId: team.extid,
      members: [expect.objectContaining({ value: scimMember.id, type: "User" })],
      [vyteTeamUrn]: { objectId: team._id, admins: [member._id], levelName: "L1", public: false },
    });
    expect((await filtered("Groups", `${vyteTeamUrn}:admins eq "${member._id}"`)).map((found) => found.id)).toEqual([group.id]);
  });
});

describe("SCIM writes, Vyte reads", () => {
  it("a user created through SCIM gets a Vyte _id when Vyte first shows it, and keeps it", async () => {
    const userName = `${unique("scim")}@example.com`;
    const created = await scim.post("/Users", { userName, name: { givenName: "Sam", familyName: "Cim" }, emails: [{ value: userName, primary: true }] }).expect(201);
    const listed = (await vyte.get("/v2/users").expect(200)).body.find((user: any) => user.emails[0] === userName);
    expect(listed).toMatchObject({ _id: expect.stringMatching(objectIdPattern), first_name: "Sam", last_name: "Cim", full_name: "Sam Cim", language: "en" });
    const stored = await scim.get(`/Users/${created.body.id}`).expect(200);
    expect(stored.body[vyteUserUrn]).toEqual({ objectId: listed._id });
    expect((await vyte.get(`/v2/users/${listed._id}`).expect(200)).body._id).toBe(listed._id);
    expect((await vyte.get("/v2/auth/test").expect(200)).body.members).toContain(listed._id);
  });

  it("a SCIM PUT shows through Vyte under the same _id", async () => {
    const user = (await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("put")}@example.com`, first_name: "Old" })).expect(200)).body.user;
    const [stored] = await filtered("Users", `${vyteUserUrn}:objectId eq "${user._id}"`);
    const { id, meta: _meta, schemas: _schemas, ...attributes } = stored;
    await scim.put(`/Users/${id}`, { ...attributes, name: { givenName: "New" }, displayName: "New" }).expect(200);
    const after = (await vyte.get(`/v2/users/${user._id}`).expect(200)).body;
    expect(after).toMatchObject({ _id: user._id, first_name: "New", full_name: "New", __v: 1 });
    expect(after).not.toHaveProperty("last_name");
  });

  it("SCIM deactivation hides the user from Vyte (Vyte's deactivation is the unlink); a Vyte re-POST re-links it", async () => {
    const email = `${unique("deact")}@example.com`;
    const user = (await vyte.post("/v2/users", userBody(vyte.organization, { email })).expect(200)).body.user;
    const [stored] = await filtered("Users", `${vyteUserUrn}:objectId eq "${user._id}"`);
    const { id, meta: _meta, schemas: _schemas, ...attributes } = stored;
    await scim.put(`/Users/${id}`, { ...attributes, active: false }).expect(200);
    expectVyteError(await vyte.get(`/v2/users/${user._id}`), 404);
    expect((await vyte.get("/v2/users").expect(200)).body.map((found: any) => found._id)).not.toContain(user._id);
    const relinked = (await vyte.post("/v2/users", userBody(vyte.organization, { email })).expect(200)).body.user;
    expect(relinked._id).toBe(user._id);
    expect((await scim.get(`/Users/${id}`).expect(200)).body.active).toBe(true);
  });

  it("a group created through SCIM is a team, with its members' Vyte ids", async () => {
    const user = (await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("g")}@example.com` })).expect(200)).body.user;
    const [scimUser] = await filtered("Users", `${vyteUserUrn}:objectId eq "${user._id}"`);
    const displayName = unique("ScimGroup");
    const group = await scim.post("/Groups", { schemas: [groupUrn], displayName, externalId: "sg", members: [{ value: scimUser.id }] }).expect(201);
    const team = (await vyte.get("/v2/teams").expect(200)).body.find((candidate: any) => candidate.name === displayName);
    expect(team).toMatchObject({ _id: expect.stringMatching(objectIdPattern), extid: "sg", members: [user._id], admins: [], public: false });
    expect((await scim.get(`/Groups/${group.body.id}`).expect(200)).body[vyteTeamUrn]).toEqual({ objectId: team._id });
    expect((await vyte.get(`/v2/teams/${team._id}`).expect(200)).body).toStrictEqual(team);
  });

  it("a SCIM PATCH keeps the Vyte _id", async () => {
    const user = (await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("patch")}@example.com` })).expect(200)).body.user;
    const [stored] = await filtered("Users", `${vyteUserUrn}:objectId eq "${user._id}"`);
    await scim.patch(`/Users/${stored.id}`, { schemas: [patchOpUrn], Operations: [{ op: "replace", path: "title", value: "Engineer" }] }).expect(200);
    expect((await scim.get(`/Users/${stored.id}`).expect(200)).body[vyteUserUrn].objectId).toBe(user._id);
  });
});
