import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { expectVyteError, objectIdPattern, unique, userBody, vyteClient, type VyteClient } from "./fixtures.ts";

// docs/compat/vyte.md §5.7, §5.8 and §6.5: batch create and update.

let app: TestApp;
let vyte: VyteClient;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp();
  vyte = await vyteClient(app, "vyte-batch");
  scim = await app.client("vyte-batch");
});
afterAll(() => app.close());

const usersWithEmail = async (email: string) =>
  (await scim.get(`/Users?filter=${encodeURIComponent(`emails.value eq "${email}"`)}`).expect(200)).body.totalResults as number;

const userResult = { user: expect.objectContaining({ _id: expect.stringMatching(objectIdPattern) }) };
const errorResult = (status: number) => ({ error: { status, message: expect.any(String) } });

describe("POST /v2/users/batch (§5.7)", () => {
  it("answers 200 with one result per item, in order; the invalid 2nd item fails alone", async () => {
    const emails = [0, 1, 2].map((index) => `${unique(`batch${index}`)}@example.com`);
    const response = await vyte
      .post("/v2/users/batch", [
        userBody(vyte.organization, { email: emails[0], first_name: "One" }),
        userBody(vyte.organization, { email: emails[1], language: "klingon" }),
        userBody(vyte.organization, { email: emails[2], first_name: "Three" }),
      ])
      .expect(200);
    expect(response.body).toStrictEqual([userResult, errorResult(400), userResult]);
    expect(response.body[0].user).toMatchObject({ emails: [emails[0]], first_name: "One" });
    expect(response.body[2].user).toMatchObject({ emails: [emails[2]], first_name: "Three" });
    expect([await usersWithEmail(emails[0]), await usersWithEmail(emails[1]), await usersWithEmail(emails[2])]).toEqual([1, 0, 1]);
  });

  it("accepts the {organization, users} wrapper; its organization applies to items without one", async () => {
    const email = `${unique("wrapped")}@example.com`;
    const response = await vyte
      .post("/v2/users/batch", { organization: vyte.organization, users: [{ user: { email } }, { organization: "elsewhere", user: { email: "x@example.com" } }] })
      .expect(200);
    expect(response.body).toStrictEqual([userResult, errorResult(403)]);
  });

  it("applies two items with the same key in order, as one user (upsert)", async () => {
    const extid = unique("same");
    const response = await vyte
      .post("/v2/users/batch", [
        userBody(vyte.organization, { email: `${unique("a")}@example.com`, first_name: "First", account: { organization: { extid } } }),
        userBody(vyte.organization, { last_name: "Second", account: { organization: { extid } } }),
      ])
      .expect(200);
    expect(response.body[1].user._id).toBe(response.body[0].user._id);
    expect(response.body[1].user.full_name).toBe("First Second");
  });

  it("adds the sign-up link to the items that ask for it", async () => {
    const response = await vyte
      .post("/v2/users/batch", [userBody(vyte.organization, { email: `${unique("link")}@example.com` }, { finish_signup_with: "email" })])
      .expect(200);
    expect(response.body).toStrictEqual([{ ...userResult, finish_signup_with: "email", link: expect.any(String) }]);
  });

  it("an item whose teams fail leaves no user and no team of its own", async () => {
    const email = `${unique("partial")}@example.com`;
    const name = unique("PartialTeam");
    const response = await vyte
      .post("/v2/users/batch", [userBody(vyte.organization, { email }, { teams: [{ name, extid: name }, { extid: unique("missing") }] })])
      .expect(200);
    expect(response.body).toStrictEqual([errorResult(400)]);
    expect(await usersWithEmail(email)).toBe(0);
    const teams = (await vyte.get("/v2/teams").expect(200)).body;
    expect(teams.filter((team: any) => team.name === name)).toEqual([]);
  });

  it.each([
    ["an object that is no wrapper", { user: { email: "a@example.com" } }],
    ["an empty array", []],
    ["an empty wrapper", { organization: "x", users: [] }],
    ["a string", "users"],
    ["no body", undefined],
  ])("answers 400 for %s", async (_name, body) => {
    expectVyteError(await vyte.post("/v2/users/batch", body), 400);
  });

  it("answers 413 for more than 100 items, and creates none", async () => {
    const prefix = unique("many");
    const items = Array.from({ length: 101 }, (_, index) => userBody(vyte.organization, { email: `${prefix}-${index}@example.com` }));
    expectVyteError(await vyte.post("/v2/users/batch", items), 413);
    expect(await usersWithEmail(`${prefix}-0@example.com`)).toBe(0);
  });

  it("takes exactly 100 items", async () => {
    const prefix = unique("hundred");
    const items = Array.from({ length: 100 }, (_, index) => userBody(vyte.organization, { email: `${prefix}-${index}@example.com` }));
    const response = await vyte.post("/v2/users/batch", items).expect(200);
    expect(response.body).toHaveLength(100);
    expect(response.body.every((result: any) => objectIdPattern.test(result.user?._id))).toBe(true);
  }, 60_000);
});

describe("PUT /v2/users/batch and PUT /v2/users (§5.8)", () => {
  it.each(["/v2/users/batch", "/v2/users"])("%s updates each identified user and answers per item", async (path) => {
    const extid = unique("upd");
    const byId = (await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("u1")}@example.com`, first_name: "Id" })).expect(200)).body.user;
    const byExtid = (
      await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("u2")}@example.com`, first_name: "Ext", account: { organization: { extid } } }))
        .expect(200)
    ).body.user;
    const response = await vyte
      .put(path, [
        { user: { _id: byId._id, last_name: "Updated" } },
        { _id: byId._id, user: { language: "it" } },
        { organization: vyte.organization, user: { last_name: "ByExtid", account: { organization: { extid } } } },
        { user: { _id: "5f2d28fb1e0662e70071d46b", last_name: "Nobody" } },
        { user: { last_name: "Unidentified" } },
        { user: { _id: byId._id, timezone: "Nowhere/Never" } },
      ])
      .expect(200);
    expect(response.body).toStrictEqual([userResult, userResult, userResult, errorResult(404), errorResult(404), errorResult(400)]);
    expect(response.body[0].user).toMatchObject({ _id: byId._id, full_name: "Id Updated" });
    expect(response.body[1].user).toMatchObject({ _id: byId._id, language: "it", last_name: "Updated" });
    expect(response.body[2].user).toMatchObject({ _id: byExtid._id, full_name: "Ext ByExtid" });
  });

  it("PUT /v2/users and PUT /v2/users/batch give the same answers for the same items", async () => {
    const user = (await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("same")}@example.com` })).expect(200)).body.user;
    const items = [{ user: { _id: user._id, first_name: "Same" } }, { user: { _id: "nope" } }];
    const viaBatch = (await vyte.put("/v2/users/batch", items).expect(200)).body;
    const viaUsers = (await vyte.put("/v2/users", items).expect(200)).body;
    const comparable = (results: any[]) => results.map((result) => (result.user ? { ...result.user, updatedAt: 0, __v: 0 } : result));
    expect(comparable(viaUsers)).toStrictEqual(comparable(viaBatch));
  });

  it("does not create users, and does not re-link unlinked ones", async () => {
    const user = (await vyte.post("/v2/users", userBody(vyte.organization, { email: `${unique("unl")}@example.com` })).expect(200)).body.user;
    await vyte.delete(`/v2/users/${user._id}`).expect(200);
    const response = await vyte.put("/v2/users", [{ user: { _id: user._id, first_name: "Ghost" } }]).expect(200);
    expect(response.body).toStrictEqual([errorResult(404)]);
    expectVyteError(await vyte.get(`/v2/users/${user._id}`), 404);
  });

  it("answers 400 for a body that is no batch, and 413 for too many items", async () => {
    expectVyteError(await vyte.put("/v2/users", {}), 400);
    expectVyteError(await vyte.put("/v2/users/batch", []), 400);
    expectVyteError(await vyte.put("/v2/users", Array.from({ length: 101 }, () => ({ user: { _id: "x" } }))), 413);
  });
});
