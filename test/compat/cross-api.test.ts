import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";

// One identity store behind every API (docs/compat/README.md §5, §8): a user written through one
// compat API is the same user, with the same data and state, through each of the others.

let app: TestApp;
const auth: Record<string, string> = {};
beforeAll(async () => {
  app = await startTestApp();
  auth.bytebase = `Bearer ${await app.credential("bytebase")}`;
  auth.vyte = await app.credential("vyte");
  auth.permApi = `Bearer ${await app.credential("perm-api")}`;
  auth.qase = `Bearer ${await app.credential("qase")}`;
  auth.eg = `apiKey ${await app.credential("express-gateway")}`;
});
afterAll(() => app.close());

const get = (path: string, authorization: string) => app.http().get(path).set("Authorization", authorization);

async function readEverywhere(email: string, scimId: string) {
  const bytebase = (await get(`/compat/bytebase/v1/users/${encodeURIComponent(email)}`, auth.bytebase as string).expect(200)).body;
  const eg = (await get(`/compat/express-gateway/users/${encodeURIComponent(email)}`, auth.eg as string).expect(200)).body;
  const permApi = (await get(`/compat/perm-api/api/v2/user/${scimId}`, auth.permApi as string).expect(200)).body;
  const filter = encodeURIComponent(`userName eq "${email}"`);
  const qase = (await get(`/compat/qase/scim/v2/Users?filter=${filter}`, auth.qase as string).expect(200)).body.Resources[0];
  const vyte = ((await get("/compat/vyte/v2/users", auth.vyte as string).expect(200)).body as Array<{ emails: string[] }>).find((user) =>
    user.emails.includes(email),
  );
  return { bytebase, eg, permApi, qase, vyte };
}

describe("a user across the five APIs", () => {
  it("created through Bytebase, renamed through Express Gateway, deactivated through its status endpoint", async () => {
    const email = "ada@example.com";
    await app
      .http()
      .post("/compat/bytebase/v1/users")
      .set("Authorization", auth.bytebase as string)
      .send({ email, title: "Ada Lovelace", userType: "USER" })
      .expect(200);
    const { id } = (await get(`/compat/express-gateway/users/${email}`, auth.eg as string).expect(200)).body;

    let seen = await readEverywhere(email, id);
    expect(seen.bytebase).toMatchObject({ name: "users/101", email, title: "Ada Lovelace", state: "ACTIVE" });
    expect(seen.eg).toMatchObject({ id, username: email, email, isActive: true });
    expect(seen.permApi).toMatchObject({ id, email, is_active: true });
    expect(seen.qase).toMatchObject({ userName: email, active: true, emails: [{ value: email, primary: true }] });
    expect(seen.vyte).toMatchObject({ emails: [email], full_name: expect.any(String) });

    await app
      .http()
      .put(`/compat/express-gateway/users/${email}`)
      .set("Authorization", auth.eg as string)
      .send({ firstname: "Augusta", lastname: "King" })
      .expect(200);
    seen = await readEverywhere(email, id);
    expect(seen.permApi).toMatchObject({ first_name: "Augusta", last_name: "King" });
    expect(seen.qase).toMatchObject({ name: { givenName: "Augusta", familyName: "King" } });
    expect(seen.vyte).toMatchObject({ first_name: "Augusta", last_name: "King" });
    expect(seen.bytebase).toMatchObject({ name: "users/101", title: "Ada Lovelace" });

    await app
      .http()
      .put(`/compat/express-gateway/users/${email}/status`)
      .set("Authorization", auth.eg as string)
      .send({ status: false })
      .expect(200, { status: "Deactivated" });
    expect((await get(`/compat/bytebase/v1/users/${email}`, auth.bytebase as string).expect(200)).body.state).toBe("DELETED");
    expect((await get(`/compat/perm-api/api/v2/user/${id}`, auth.permApi as string).expect(200)).body.is_active).toBe(false);
    const filter = encodeURIComponent(`userName eq "${email}"`);
    expect((await get(`/compat/qase/scim/v2/Users?filter=${filter}`, auth.qase as string).expect(200)).body.Resources[0].active).toBe(false);
    const vyteUsers = (await get("/compat/vyte/v2/users", auth.vyte as string).expect(200)).body as Array<{ emails: string[] }>;
    expect(vyteUsers.some((user) => user.emails.includes(email))).toBe(false);

    // Bytebase's :undelete brings the user back everywhere.
    await app.http().post("/compat/bytebase/v1/users/101:undelete").set("Authorization", auth.bytebase as string).expect(200);
    expect((await get(`/compat/express-gateway/users/${email}`, auth.eg as string).expect(200)).body.isActive).toBe(true);
  });

  // README "An unassigned active": only active=false deactivates.
  it("a user whose active a SCIM PATCH removed is active through every API", async () => {
    const scim = await app.client();
    const email = "removed-active@example.com";
    const { id } = (await scim.post("/Users", { userName: email, active: false, emails: [{ value: email, primary: true }] }).expect(201)).body;
    const removed = await scim.patch(`/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "remove", path: "active" }],
    }).expect(200);
    expect(removed.body).not.toHaveProperty("active");

    const seen = await readEverywhere(email, id);
    expect(seen.bytebase).toMatchObject({ email, state: "ACTIVE" });
    expect(seen.eg).toMatchObject({ id, isActive: true });
    expect(seen.permApi).toMatchObject({ id, is_active: true });
    expect(seen.qase).toMatchObject({ userName: email, active: true });
    const listed = (await get("/compat/bytebase/v1/users", auth.bytebase as string).expect(200)).body.users as Array<{ email: string }>;
    expect(listed.map((user) => user.email)).toContain(email);
  });

  it("a Vyte team is a role of the permission-group API, and its members have it", async () => {
    const team = (
      await app
        .http()
        .post("/compat/vyte/v2/teams")
        .set("Authorization", auth.vyte as string)
        .send({ name: "Analysts", extid: "team-analysts" })
        .expect(200)
    ).body;
    const roles = (await get("/compat/perm-api/api/v2/group", auth.permApi as string).expect(200)).body as Array<{ id: number; name: string }>;
    const role = roles.find((candidate) => candidate.name === "Analysts");
    expect(role).toMatchObject({ id: expect.any(Number), permissions: [] });

    const created = (
      await app
        .http()
        .post("/compat/perm-api/api/v2/user")
        .set("Authorization", auth.permApi as string)
        .send({ email: "grace@example.com", password: "correct horse battery", groups: [role?.id] })
        .expect(201)
    ).body;
    const teamNow = (await get(`/compat/vyte/v2/teams/${team._id}`, auth.vyte as string).expect(200)).body;
    const vyteUsers = (await get("/compat/vyte/v2/users", auth.vyte as string).expect(200)).body as Array<{ _id: string; emails: string[] }>;
    const grace = vyteUsers.find((user) => user.emails.includes("grace@example.com"));
    expect(teamNow.members).toStrictEqual([grace?._id]);
    expect(created.groups).toMatchObject([{ id: role?.id, name: "Analysts" }]);
  });
});
