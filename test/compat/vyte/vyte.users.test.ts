import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import {
  defaultModules, expectVyteError, isoMillis, noCalendars, objectIdPattern, documentedBody, documentedUserObject, unique, userBody, vyteClient,
  vyteUserUrn, type VyteClient,
} from "./fixtures.ts";

// docs/compat/vyte.md §4.1, §4.2, §5.1-§5.6 and §6.1-§6.4: the user endpoints.

let app: TestApp;
let vyte: VyteClient;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp();
  vyte = await vyteClient(app, "vyte-users");
  scim = await app.client("vyte-users");
});
afterAll(() => app.close());

const createUser = async (user: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const response = await vyte.post("/v2/users", userBody(vyte.organization, user, extra));
  expect(response.status).toBe(200);
  return response.body.user as Record<string, any>;
};

const scimUserOf = async (objectId: string) => {
  const response = await scim.get(`/Users?filter=${encodeURIComponent(`${vyteUserUrn}:objectId eq "${objectId}"`)}`).expect(200);
  expect(response.body.totalResults).toBe(1);
  return response.body.Resources[0] as Record<string, any>;
};

describe("POST /v2/users (§5.4)", () => {
  it("creates a user from the documented user object: 200 {user} with _id, emails, full_name and extid", async () => {
    const response = await vyte.post("/v2/users", documentedBody(vyte.organization));
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(Object.keys(response.body).sort()).toEqual(["finish_signup_with", "link", "user"]);
    expect(response.body.finish_signup_with).toBe("email");
    expect(response.body.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\/[0-9a-f-]+$/);
    expect(response.body.user).toStrictEqual({
      _id: expect.stringMatching(objectIdPattern),
      first_name: "Jean",
      last_name: "Dupont",
      full_name: "Jean Dupont",
      emails: ["jean.dupont@acme.fr"],
      language: "fr",
      timezone: "Europe/Paris",
      picture_url: "https://www.example.com/picture/jean",
      signedup_with: "api",
      calendars: noCalendars,
      modules: defaultModules,
      account: {
        organization: { name: "vyte-users", id: vyte.organization, extid: "userIdInThirdPartyAppDatabase", admin: false },
        plan: "pro",
      },
      availability: documentedUserObject.availability,
      vyteme: documentedUserObject.vyteme,
      createdAt: expect.stringMatching(isoMillis),
      updatedAt: expect.stringMatching(isoMillis),
      __v: 0,
    });
  });

  it("is idempotent: the same extid again answers the same _id, updated in place", async () => {
    const first = await vyte.post("/v2/users", documentedBody(vyte.organization, { without: ["login"] })).expect(200);
    const again = await vyte
      .post("/v2/users", documentedBody(vyte.organization, { without: ["login", "finish_signup_with"], user: { first_name: "Jeanne", email: "jeanne@acme.fr" } }))
      .expect(200);
    expect(again.body).toStrictEqual({ user: expect.any(Object) });
    expect(again.body.user._id).toBe(first.body.user._id);
    expect(again.body.user).toMatchObject({ first_name: "Jeanne", full_name: "Jeanne Dupont", emails: ["jeanne@acme.fr"] });
    expect(again.body.user.__v).toBe(first.body.user.__v + 1);
    const list = await vyte.get("/v2/users").expect(200);
    expect(list.body.filter((user: any) => user.account.organization.extid === "userIdInThirdPartyAppDatabase")).toHaveLength(1);
  });

  it("finds the user by _id (user._id or user.id) before extid and email", async () => {
    const email = `${unique("byid")}@example.com`;
    const created = await createUser({ email, first_name: "By", last_name: "Id" });
    const byId = await createUser({ _id: created._id, last_name: "Identified" });
    const byIdAlias = await createUser({ id: created._id, first_name: "Again" });
    expect(byId._id).toBe(created._id);
    expect(byIdAlias._id).toBe(created._id);
    expect(byIdAlias).toMatchObject({ first_name: "Again", last_name: "Identified", full_name: "Again Identified", emails: [email] });
  });

  it("finds the user by email when it has neither _id nor extid", async () => {
    const email = `${unique("byemail")}@example.com`;
    const created = await createUser({ email, first_name: "Mail" });
    const again = await createUser({ emails: [email.toUpperCase()], last_name: "Match" });
    expect(again._id).toBe(created._id);
    expect(again.full_name).toBe("Mail Match");
  });

  it("takes login credentials as userName and password, and never echoes the password", async () => {
    const body = documentedBody(vyte.organization, {
      without: ["finish_signup_with"],
      user: { email: `${unique("login")}@acme.fr`, account: { organization: { extid: unique("ext") } } },
    });
    body.login = { credentials: { username: unique("jean.login"), password: "youllneverguessit" } };
    const response = await vyte.post("/v2/users", body).expect(200);
    expect(response.text).not.toContain("youllneverguessit");
    expect(response.text).not.toContain("calendarPassword");
    expect(response.body).toStrictEqual({ user: expect.any(Object) });
    const stored = await scimUserOf(response.body.user._id);
    expect(stored.userName).toBe(body.login.credentials.username);
    expect(JSON.stringify(stored)).not.toMatch(/youllneverguessit|calendarPassword|mail\.exchangeserverdomain\.com/);
  });

  it("accepts the documented user object as a whole: login credentials set, sign-up link answered", async () => {
    const extid = unique("both");
    const username = `${unique("both")}@example.com`;
    const body = documentedBody(vyte.organization, { user: { email: `${extid}@acme.fr`, account: { organization: { extid } } } });
    body.login.credentials.username = username;
    const response = await vyte.post("/v2/users", body).expect(200);
    expect(Object.keys(response.body).sort()).toEqual(["finish_signup_with", "link", "user"]);
    expect(response.body.user.emails).toStrictEqual([`${extid}@acme.fr`]);
    expect((await scimUserOf(response.body.user._id)).userName).toBe(username);
  });

  it.each([
    ["finish_signup_with other than email", { finish_signup_with: "sms" }, {}],
    ["a language outside fr,en,es,it,pt,de,sv,nl", {}, { language: "ja" }],
    ["a timezone Intl does not know", {}, { timezone: "Mars/Olympus_Mons" }],
    ["an email that is not one", {}, { email: "not-an-email" }],
    ["a non-string first_name", {}, { first_name: 42 }],
    ["teams that are not a list", { teams: { name: "x" } }, {}],
    ["a team with neither name nor extid", { teams: [{ admin: true }] }, {}],
  ])("answers 400 for %s, and creates nothing", async (_name, extra, user) => {
    const email = `${unique("bad")}@example.com`;
    const response = await vyte.post("/v2/users", userBody(vyte.organization, { email, ...user }, extra));
    expectVyteError(response, 400);
    const found = await scim.get(`/Users?filter=${encodeURIComponent(`emails.value eq "${email}"`)}`).expect(200);
    expect(found.body.totalResults).toBe(0);
  });

  // docs/compat/vyte.md §2.3: omitted, organization is the key's; another organisation's is refused.
  it("refuses another organisation's (403), and reads an omitted organization as the key's", async () => {
    const email = `${unique("org")}@example.com`;
    expectVyteError(await vyte.post("/v2/users", { organization: "5f2d28fb1e0662e70071d46b", user: { email } }), 403);
    const byEmail = `/Users?filter=${encodeURIComponent(`emails.value eq "${email}"`)}`;
    expect((await scim.get(byEmail).expect(200)).body.totalResults).toBe(0);
    const created = (await vyte.post("/v2/users", { user: { email } }).expect(200)).body.user;
    expect(created).toMatchObject({ emails: [email], account: { organization: { id: vyte.organization } } });
    expect((await scim.get(byEmail).expect(200)).body.totalResults).toBe(1);
    const batch = await vyte.post("/v2/users/batch", [{ user: { email: `${unique("batch")}@example.com` } }]).expect(200);
    expect(batch.body).toHaveLength(1);
  });

  it("keeps no calendar credentials", async () => {
    const email = `${unique("calendar")}@example.com`;
    const calendars = [{ source: "exchange", credentials: { server: "mail.example.com", username: "cal", password: "calendar-Secret-9" } }];
    const user = await createUser({ email }, { calendars });
    expect(user.calendars).toStrictEqual(noCalendars);
    const stored = await scimUserOf(user._id);
    expect(JSON.stringify(stored)).not.toContain("calendar-Secret-9");
    expect((await vyte.get(`/v2/users/${user._id}`).expect(200)).text).not.toContain("calendar-Secret-9");
  });

  it("defaults language to en and keeps modules and consent", async () => {
    const modules = { ...defaultModules, availabilities: true };
    const consent = { terms: "2020-06-25T13:04:30.548Z" };
    const user = await createUser({ email: `${unique("defaults")}@example.com`, modules, consent, account: { organization: { admin: true } } });
    expect(user).toMatchObject({ language: "en", modules, consent, account: { organization: { admin: true } } });
    expect(user).not.toHaveProperty("timezone");
    expect(user).not.toHaveProperty("first_name");
  });
});

describe("GET /v2/users (§5.2) and /v2/users/:id (§5.3)", () => {
  it("lists the organisation's linked users as a bare array, oldest first", async () => {
    const tenant = await vyteClient(app, unique("list"));
    expect((await tenant.get("/v2/users").expect(200)).body).toStrictEqual([]);
    const first = (await tenant.post("/v2/users", userBody(tenant.organization, { email: "first@example.com" })).expect(200)).body.user;
    const second = (await tenant.post("/v2/users", userBody(tenant.organization, { email: "second@example.com" })).expect(200)).body.user;
    const list = await tenant.get("/v2/users").expect(200);
    expect(list.body).toStrictEqual([first, second]);
  });

  it("answers a user by _id, and 404 for an unknown one", async () => {
    const user = await createUser({ email: `${unique("get")}@example.com`, first_name: "Got" });
    expect((await vyte.get(`/v2/users/${user._id}`).expect(200)).body).toStrictEqual(user);
    expectVyteError(await vyte.get("/v2/users/5f2d28fb1e0662e70071d46b"), 404);
  });
});

describe("PUT /v2/users/:id (§5.5)", () => {
  it('changes only last_name (and the derived full_name) for {"user":{"last_name":"Snow"}}', async () => {
    const user = await createUser({ email: `${unique("put")}@example.com`, first_name: "Jon", last_name: "Stark", language: "de", timezone: "Europe/Berlin" });
    const response = await vyte.put(`/v2/users/${user._id}`, { organization: vyte.organization, user: { last_name: "Snow" } }).expect(200);
    expect(response.body).toStrictEqual({
      user: { ...user, last_name: "Snow", full_name: "Jon Snow", updatedAt: expect.stringMatching(isoMillis), __v: user.__v + 1 },
    });
    expect((await vyte.get(`/v2/users/${user._id}`).expect(200)).body).toStrictEqual(response.body.user);
  });

  it("replaces the single email, and the userName with it", async () => {
    const user = await createUser({ email: `${unique("mail")}@example.com` });
    const email = `${unique("new-mail")}@example.com`;
    const response = await vyte.put(`/v2/users/${user._id}`, { user: { emails: [email] } }).expect(200);
    expect(response.body.user.emails).toEqual([email]);
    const stored = await scimUserOf(user._id);
    expect(stored.userName).toBe(email);
    expect(stored.emails).toEqual([{ value: email, primary: true }]);
  });

  it("changes nothing for an empty body", async () => {
    const user = await createUser({ email: `${unique("empty")}@example.com` });
    expect((await vyte.put(`/v2/users/${user._id}`, {}).expect(200)).body).toStrictEqual({ user });
  });

  it("answers 404 for an unknown _id and 403 for another organisation", async () => {
    expectVyteError(await vyte.put("/v2/users/5f2d28fb1e0662e70071d46b", { user: { last_name: "Snow" } }), 404);
    const user = await createUser({ email: `${unique("org403")}@example.com` });
    expectVyteError(await vyte.put(`/v2/users/${user._id}`, { organization: "other", user: { last_name: "Snow" } }), 403);
    expect((await vyte.get(`/v2/users/${user._id}`).expect(200)).body).toStrictEqual(user);
  });
});

describe("DELETE /v2/users/:id (§5.6): unlink", () => {
  it("answers the organisation, hides the user from the list and GET, and a re-POST re-links it", async () => {
    const tenant = await vyteClient(app, unique("unlink"));
    const keep = (await tenant.post("/v2/users", userBody(tenant.organization, { email: "keep@example.com", first_name: "Keep" })).expect(200)).body.user;
    const gone = (await tenant.post("/v2/users", userBody(tenant.organization, { email: "gone@example.com" })).expect(200)).body.user;

    const response = await tenant.delete(`/v2/users/${gone._id}`).expect(200);
    expect(response.body).toStrictEqual({
      lang: "en",
      admins: [],
      members: [{ _id: keep._id, first_name: "Keep", full_name: "Keep", emails: ["keep@example.com"] }],
      private: false,
      _id: tenant.organization,
      name: expect.stringMatching(/^unlink-/),
      plan: "pro",
      __v: 0,
    });
    expect((await tenant.get("/v2/users").expect(200)).body.map((user: any) => user._id)).toEqual([keep._id]);
    expectVyteError(await tenant.get(`/v2/users/${gone._id}`), 404);
    expectVyteError(await tenant.put(`/v2/users/${gone._id}`, { user: { first_name: "X" } }), 404);
    expectVyteError(await tenant.delete(`/v2/users/${gone._id}`), 404);

    const relinked = await tenant.post("/v2/users", userBody(tenant.organization, { email: "gone@example.com", first_name: "Back" })).expect(200);
    expect(relinked.body.user._id).toBe(gone._id);
    expect((await tenant.get("/v2/users").expect(200)).body.map((user: any) => user._id)).toEqual([keep._id, gone._id]);
  });

  it("keeps the record, inactive and unlinked, its userName still reserved", async () => {
    const email = `${unique("kept")}@example.com`;
    const user = await createUser({ email });
    await vyte.delete(`/v2/users/${user._id}`).expect(200);
    const stored = await scimUserOf(user._id);
    expect(stored).toMatchObject({ userName: email, active: false, [vyteUserUrn]: { linked: false, objectId: user._id } });
    const taken = await scim.post("/Users", { userName: email });
    expect(taken.status).toBe(409);
  });

  it("takes the user out of its teams, as a member and as an admin", async () => {
    const user = await createUser({ email: `${unique("teamed")}@example.com` }, { teams: [{ name: unique("Team"), extid: unique("t"), admin: true }] });
    const team = (await vyte.get("/v2/teams").expect(200)).body.find((candidate: any) => candidate.members.includes(user._id));
    expect(team.admins).toEqual([user._id]);
    await vyte.delete(`/v2/users/${user._id}`).expect(200);
    const after = (await vyte.get(`/v2/teams/${team._id}`).expect(200)).body;
    expect({ members: after.members, admins: after.admins }).toEqual({ members: [], admins: [] });
  });
});

describe("GET /v2/auth/test (§5.1)", () => {
  it("answers the organisation with its members' and admins' ids", async () => {
    const tenant = await vyteClient(app, unique("org"));
    const admin = (
      await tenant.post("/v2/users", userBody(tenant.organization, { email: "admin@example.com", account: { organization: { admin: true } } })).expect(200)
    ).body.user;
    const member = (await tenant.post("/v2/users", userBody(tenant.organization, { email: "member@example.com" })).expect(200)).body.user;
    const response = await tenant.get("/v2/auth/test").expect(200);
    expect(response.body).toStrictEqual({
      lang: "en",
      admins: [admin._id],
      members: [admin._id, member._id],
      private: false,
      _id: tenant.organization,
      name: expect.stringMatching(/^org-/),
      plan: "pro",
      __v: 0,
    });
  });
});
