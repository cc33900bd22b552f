import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { expectVyteError, isoMillis, objectIdPattern, unique, userBody, vyteClient, type VyteClient } from "./fixtures.ts";

// docs/compat/vyte.md §4.3, §4.5 and §5.9-§5.13 (Team object, members/admins references, public
// coercion, /v2/team alias) and §6.3 (the `teams` of a user body).

let app: TestApp;
let vyte: VyteClient;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp();
  vyte = await vyteClient(app, "vyte-teams");
  scim = await app.client("vyte-teams");
});
afterAll(() => app.close());

const createUser = async (user: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => {
  const email = `${unique("member")}@example.com`;
  const response = await vyte.post("/v2/users", userBody(vyte.organization, { email, ...user }, extra)).expect(200);
  return response.body.user as Record<string, any>;
};

const teamsNamed = async (name: string) => (await vyte.get("/v2/teams").expect(200)).body.filter((team: any) => team.name === name);

describe("Teams CRUD (§5.9-§5.13)", () => {
  it("POST creates a team: members and admins by id, {_id}, {email} or {extid}; public coerced from a string", async () => {
    const alice = await createUser({ account: { organization: { extid: unique("alice") } } });
    const bob = await createUser();
    const carol = await createUser();
    const name = unique("Sales");
    const response = await vyte
      .post("/v2/teams", {
        organization: vyte.organization,
        name,
        extid: "sales-1",
        members: [alice._id, { email: bob.emails[0] }, { extid: alice.account.organization.extid }],
        admins: [{ _id: carol._id }],
        level_name: "department",
        public: "false",
      })
      .expect(200);
    expect(response.body).toStrictEqual({
      _id: expect.stringMatching(objectIdPattern),
      organization: vyte.organization,
      extid: "sales-1",
      name,
      level_name: "department",
      public: false,
      admins: [carol._id],
      members: expect.arrayContaining([alice._id, bob._id]),
      createdAt: expect.stringMatching(isoMillis),
      updatedAt: expect.stringMatching(isoMillis),
      __v: 0,
    });
    expect(response.body.members).toHaveLength(2);
    expect((await vyte.get(`/v2/teams/${response.body._id}`).expect(200)).body).toStrictEqual(response.body);
  });

  it("GET /v2/teams lists the teams, and /v2/team (singular) serves the same", async () => {
    const name = unique("Listed");
    const team = (await vyte.post("/v2/teams", { name, extid: unique("listed") }).expect(200)).body;
    const plural = (await vyte.get("/v2/teams").expect(200)).body;
    expect(plural).toContainEqual(team);
    expect((await vyte.get("/v2/team").expect(200)).body).toStrictEqual(plural);
    expect((await vyte.get(`/v2/team/${team._id}`).expect(200)).body).toStrictEqual(team);
  });

  it("PUT changes only what it names; members and admins replace the lists wholesale", async () => {
    const [a, b, c] = [await createUser(), await createUser(), await createUser()];
    const team = (await vyte.post("/v2/teams", { name: unique("Ops"), extid: unique("ops"), members: [a._id, b._id], admins: [a._id] }).expect(200))
      .body;
    const renamed = (await vyte.put(`/v2/teams/${team._id}`, { name: `${team.name}-2`, public: "true" }).expect(200)).body;
    expect(renamed).toStrictEqual({ ...team, name: `${team.name}-2`, public: true, updatedAt: expect.stringMatching(isoMillis), __v: 1 });
    const replaced = (await vyte.put(`/v2/team/${team._id}`, { members: [c._id], admins: [b._id, c._id] }).expect(200)).body;
    expect({ members: replaced.members, admins: replaced.admins, name: replaced.name }).toStrictEqual({
      members: [c._id],
      admins: [b._id, c._id],
      name: `${team.name}-2`,
    });
    const cleared = (await vyte.put(`/v2/teams/${team._id}`, { members: [], admins: [], level_name: null }).expect(200)).body;
    expect({ members: cleared.members, admins: cleared.admins }).toStrictEqual({ members: [], admins: [] });
    expect(cleared).not.toHaveProperty("level_name");
  });

  it("admins need not be members", async () => {
    const admin = await createUser();
    const team = (await vyte.post("/v2/teams", { name: unique("Admins"), extid: unique("adm"), admins: [admin._id] }).expect(200)).body;
    expect({ members: team.members, admins: team.admins }).toStrictEqual({ members: [], admins: [admin._id] });
  });

  it('DELETE answers {"n":1,"ok":1}; then GET, PUT and DELETE answer 404', async () => {
    const team = (await vyte.post("/v2/teams", { name: unique("Doomed"), extid: unique("doomed") }).expect(200)).body;
    const response = await vyte.delete(`/v2/teams/${team._id}`).expect(200);
    expect(response.body).toStrictEqual({ n: 1, ok: 1 });
    expectVyteError(await vyte.get(`/v2/teams/${team._id}`), 404);
    expectVyteError(await vyte.put(`/v2/teams/${team._id}`, { name: "x" }), 404);
    expectVyteError(await vyte.delete(`/v2/teams/${team._id}`), 404);
    expectVyteError(await vyte.delete(`/v2/team/${team._id}`), 404);
  });

  it.each([
    ["without name", { extid: "x" }],
    ["without extid", { name: "x" }],
    ["with a member no user matches", { name: "x", extid: "x", members: ["5f2d28fb1e0662e70071d46b"] }],
    ["with an admin email no user has", { name: "x", extid: "x", admins: [{ email: "nobody@example.com" }] }],
    ["with a member reference of no known form", { name: "x", extid: "x", members: [{ login: "nobody" }] }],
    ["with public not a boolean", { name: "x", extid: "x", public: "maybe" }],
  ])("POST %s answers 400 and creates nothing", async (_name, body) => {
    const before = (await vyte.get("/v2/teams").expect(200)).body.length;
    expectVyteError(await vyte.post("/v2/teams", body), 400);
    expect((await vyte.get("/v2/teams").expect(200)).body).toHaveLength(before);
  });

  it("POST with another organisation answers 403", async () => {
    expectVyteError(await vyte.post("/v2/teams", { organization: "another", name: unique("Other"), extid: "o" }), 403);
  });

  it("PUT with an unresolvable member answers 400 and changes nothing", async () => {
    const member = await createUser();
    const team = (await vyte.post("/v2/teams", { name: unique("Stable"), extid: unique("stable"), members: [member._id] }).expect(200)).body;
    expectVyteError(await vyte.put(`/v2/teams/${team._id}`, { name: "renamed", members: [{ extid: "nobody" }] }), 400);
    expect((await vyte.get(`/v2/teams/${team._id}`).expect(200)).body).toStrictEqual(team);
  });

  it("an unlinked user cannot be named as a member", async () => {
    const user = await createUser();
    await vyte.delete(`/v2/users/${user._id}`).expect(200);
    expectVyteError(await vyte.post("/v2/teams", { name: unique("Unlinked"), extid: "u", members: [user._id] }), 400);
  });

  it("a second team with the same name is refused (400)", async () => {
    const name = unique("Twin");
    await vyte.post("/v2/teams", { name, extid: unique("twin") }).expect(200);
    expectVyteError(await vyte.post("/v2/teams", { name, extid: unique("twin") }), 400);
  });
});

describe("the teams of a user body (§6.3)", () => {
  it("creates the team named by extid, with the user as member; admin:true puts it in admins", async () => {
    const name = unique("Management team");
    const extid = unique("teamIdInThirdPartyAppDatabase");
    const user = await createUser({}, { teams: [{ admin: true, name, extid }] });
    const [team] = await teamsNamed(name);
    expect(team).toMatchObject({ extid, name, public: false, members: [user._id], admins: [user._id] });
  });

  it("attaches a second user to the team found by extid, as a plain member with admin:false", async () => {
    const name = unique("Shared");
    const extid = unique("shared");
    const first = await createUser({}, { teams: [{ admin: true, name, extid }] });
    const second = await createUser({}, { teams: [{ admin: false, name: "another name, same extid", extid }] });
    const teams = await teamsNamed(name);
    expect(teams).toHaveLength(1);
    expect(teams[0].members).toEqual(expect.arrayContaining([first._id, second._id]));
    expect(teams[0].admins).toEqual([first._id]);
    expect(await teamsNamed("another name, same extid")).toEqual([]);
  });

  it("falls back to the team's name when no team has the extid", async () => {
    const name = unique("ByName");
    const team = (await vyte.post("/v2/teams", { name, extid: unique("original") }).expect(200)).body;
    const user = await createUser({}, { teams: [{ name, extid: unique("unknown-extid") }] });
    expect((await vyte.get(`/v2/teams/${team._id}`).expect(200)).body.members).toEqual([user._id]);
  });

  it("admin:false removes an admin, other teams are left alone, and membership stays (additive)", async () => {
    const [kept, changed] = [unique("Kept"), unique("Changed")];
    const user = await createUser({}, { teams: [{ name: kept, extid: kept, admin: true }, { name: changed, extid: changed, admin: true }] });
    await vyte.put(`/v2/users/${user._id}`, { teams: [{ extid: changed, admin: false }] }).expect(200);
    const [keptTeam] = await teamsNamed(kept);
    const [changedTeam] = await teamsNamed(changed);
    expect({ members: keptTeam.members, admins: keptTeam.admins }).toEqual({ members: [user._id], admins: [user._id] });
    expect({ members: changedTeam.members, admins: changedTeam.admins }).toEqual({ members: [user._id], admins: [] });
  });

  it("an unknown extid without a name fails the whole request: no user, no team", async () => {
    const email = `${unique("atomic")}@example.com`;
    const name = unique("Half");
    const response = await vyte.post(
      "/v2/users",
      userBody(vyte.organization, { email }, { teams: [{ name, extid: unique("half") }, { extid: unique("missing") }] }),
    );
    expectVyteError(response, 400);
    expect(await teamsNamed(name)).toEqual([]);
    const found = await scim.get(`/Users?filter=${encodeURIComponent(`emails.value eq "${email}"`)}`).expect(200);
    expect(found.body.totalResults).toBe(0);
  });

  it("a failed update leaves the user and its teams as they were", async () => {
    const name = unique("Before");
    const user = await createUser({ last_name: "Before" }, { teams: [{ name, extid: name }] });
    const [teamBefore] = await teamsNamed(name);
    const other = unique("Other");
    const response = await vyte.put(`/v2/users/${user._id}`, {
      user: { last_name: "After" },
      teams: [{ extid: name, admin: true }, { name: other, extid: other }, { extid: unique("missing") }],
    });
    expectVyteError(response, 400);
    const after = (await vyte.get(`/v2/users/${user._id}`).expect(200)).body;
    expect(after.last_name).toBe("Before");
    const [teamAfter] = await teamsNamed(name);
    expect({ members: teamAfter.members, admins: teamAfter.admins }).toEqual({ members: teamBefore.members, admins: [] });
    expect(await teamsNamed(other)).toEqual([]);
  });
});
