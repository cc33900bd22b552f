import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { createRole, permApi, uniqueEmail, type CreatedRole, type PermApiClient } from "./fixtures.ts";

// docs/compat/perm-api.md §3.3, §4 and §5: DRF's error bodies and statuses for every bad input, and
// no write when a request is refused.

let app: TestApp;
let api: PermApiClient;
let scim: ScimClient;
let role: CreatedRole;
let other: CreatedRole;

beforeAll(async () => {
  app = await startTestApp();
  api = permApi(app, await app.credential("perm-api"));
  scim = await app.client();
  role = await createRole(scim, "Admin", ["users.write"]);
  other = await createRole(scim, "Viewer", ["users.read"]);
});
afterAll(() => app.close());

const long = "x".repeat(151);

const memberIds = async (groupId: string): Promise<string[]> =>
  (((await scim.get(`/Groups/${groupId}`).expect(200)).body.members ?? []) as { value: string }[]).map((member) => member.value).sort();

// [case, body, expected 400 body] for §4.2; the email is valid unless the case is about it.
const createCases: readonly [string, unknown, Record<string, string[]>][] = [
  ["missing email and password", {}, { email: ["This field is required."], password: ["This field is required."] }],
  ["a blank email", { email: "", password: "pw" }, { email: ["This field may not be blank."] }],
  ["a blank email after trimming", { email: "   ", password: "pw" }, { email: ["This field may not be blank."] }],
  ["an invalid email", { email: "not-an-email", password: "pw" }, { email: ["Enter a valid email address."] }],
  ["the documented placeholder email", { email: "str (Required)", password: "str (Required)" }, { email: ["Enter a valid email address."] }],
  ["null email and password", { email: null, password: null }, { email: ["This field may not be null."], password: ["This field may not be null."] }],
  ["an email that is no string", { email: true, password: "pw" }, { email: ["Not a valid string."] }],
  ["a blank password", { email: "ok@example.com", password: "" }, { password: ["This field may not be blank."] }],
  ["a first_name over 150 characters", { email: "ok@example.com", password: "pw", first_name: long }, { first_name: ["Ensure this field has no more than 150 characters."] }],
  ["a last_name that is an object", { email: "ok@example.com", password: "pw", last_name: {} }, { last_name: ["Not a valid string."] }],
  ["a null phone", { email: "ok@example.com", password: "pw", phone: null }, { phone: ["This field may not be null."] }],
  ["groups that is no list", { email: "ok@example.com", password: "pw", groups: 5 }, { groups: ['Expected a list of items but got type "int".'] }],
  ["groups as an object", { email: "ok@example.com", password: "pw", groups: { id: 1 } }, { groups: ['Expected a list of items but got type "dict".'] }],
  ["null groups", { email: "ok@example.com", password: "pw", groups: null }, { groups: ["This field may not be null."] }],
  ["an unknown role id", { email: "ok@example.com", password: "pw", groups: [99] }, { groups: ['Invalid pk "99" - object does not exist.'] }],
  ["an unknown role id as a string", { email: "ok@example.com", password: "pw", groups: ["99"] }, { groups: ['Invalid pk "99" - object does not exist.'] }],
  ["a role id of 0", { email: "ok@example.com", password: "pw", groups: [0] }, { groups: ['Invalid pk "0" - object does not exist.'] }],
  ["a role id that is text", { email: "ok@example.com", password: "pw", groups: ["admin"] }, { groups: ["Incorrect type. Expected pk value, received str."] }],
  ["a role id that is a boolean", { email: "ok@example.com", password: "pw", groups: [true] }, { groups: ["Incorrect type. Expected pk value, received bool."] }],
  ["a role id that is an object", { email: "ok@example.com", password: "pw", groups: [{ id: 1 }] }, { groups: ["Incorrect type. Expected pk value, received dict."] }],
  ["a flag that is no boolean", { email: "ok@example.com", password: "pw", mfa: "maybe" }, { mfa: ["Must be a valid boolean."] }],
  ["a null flag", { email: "ok@example.com", password: "pw", is_active: null }, { is_active: ["This field may not be null."] }],
  [
    "several fields at once, unknown role included",
    { email: "bad", password: "pw", groups: [1, 98] },
    { email: ["Enter a valid email address."], groups: ['Invalid pk "98" - object does not exist.'] },
  ],
  ["a JSON array", [], { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] }],
  ["a JSON string", "text", { non_field_errors: ["Invalid data. Expected a dictionary, but got str."] }],
];

describe("§4.2 validation: 400 with DRF's field errors, and nothing written", () => {
  it.each(createCases)("%s", async (_case, body, expected) => {
    const before = (await api.get("/api/v2/user").expect(200)).body.length;
    const response = await api.post("/api/v2/user", JSON.stringify(body)).expect(400).expect("Content-Type", /application\/json/);
    expect(response.body).toEqual(expected);
    expect((await api.get("/api/v2/user").expect(200)).body.length).toBe(before);
  });

  it("a duplicate email: 400 {email: [...already exists.]}, and the roles asked for are not changed", async () => {
    const email = uniqueEmail("dup");
    await api.post("/api/v2/user", { email, password: "pw" }).expect(201);
    const membersBefore = await memberIds(role.groupId);
    await api.post("/api/v2/user", { email, password: "pw", groups: [role.roleId] }).expect(400, { email: ["user with this email already exists."] });
    expect(await memberIds(role.groupId)).toEqual(membersBefore);
  });

  it("an unknown role: no user is created", async () => {
    const email = uniqueEmail("norole");
    await api.post("/api/v2/user", { email, password: "pw", groups: [role.roleId, 4242] }).expect(400, { groups: ['Invalid pk "4242" - object does not exist.'] });
    const found = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`).expect(200);
    expect(found.body.totalResults).toBe(0);
  });

  it("a body that is not JSON: 400 {detail: JSON parse error - ...}", async () => {
    const response = await api.post("/api/v2/user", '{"email": "a@example.com", "phone: "1"}').expect(400);
    expect(Object.keys(response.body)).toEqual(["detail"]);
    expect(response.body.detail).toMatch(/^JSON parse error - /);
  });

  it("a body over the size limit: 413 {detail}", async () => {
    const response = await api.post("/api/v2/user", JSON.stringify({ email: "big@example.com", password: "x".repeat(1_100_000) })).expect(413);
    expect(response.body).toEqual({ detail: "Request body is too large." });
  });
});

describe("§4.5 validation: 400, and the user and its roles unchanged", () => {
  const create = async () =>
    (await api.post("/api/v2/user", { email: uniqueEmail("victim"), password: "pw", first_name: "Kept", groups: [role.roleId] }).expect(201)).body;

  // [case, body (given the other role's id), expected 400 body]
  const patchCases: readonly [string, (otherRoleId: number) => unknown, Record<string, string[]>][] = [
    ["an invalid email", (id) => ({ email: "nope", groups: [id] }), { email: ["Enter a valid email address."] }],
    ["a blank password", () => ({ password: "", groups: [] }), { password: ["This field may not be blank."] }],
    ["an unknown role among known ones", (id) => ({ first_name: "Changed", groups: [id, 77] }), { groups: ['Invalid pk "77" - object does not exist.'] }],
    ["a flag that is no boolean", () => ({ reset_pw: "sometimes", groups: [] }), { reset_pw: ["Must be a valid boolean."] }],
    ["a JSON array", () => [], { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] }],
  ];

  it.each(patchCases)("%s", async (_case, body, expected) => {
    const user = await create();
    await api.patch(`/api/v2/user/${user.id}`, JSON.stringify(body(other.roleId))).expect(400, expected);
    expect((await api.get(`/api/v2/user/${user.id}`).expect(200)).body).toEqual(user);
  });

  it("another user's email: 400, and neither the roles nor the other fields change", async () => {
    const taken = (await api.post("/api/v2/user", { email: uniqueEmail("taken"), password: "pw" }).expect(201)).body;
    const user = await create();
    const membersBefore = await Promise.all([role, other].map((r) => memberIds(r.groupId)));
    await api
      .patch(`/api/v2/user/${user.id}`, { email: taken.email, first_name: "Changed", groups: [other.roleId] })
      .expect(400, { email: ["user with this email already exists."] });
    expect((await api.get(`/api/v2/user/${user.id}`).expect(200)).body).toEqual(user);
    expect(await Promise.all([role, other].map((r) => memberIds(r.groupId)))).toEqual(membersBefore);
  });

  it("an unknown user: 404 before the body is looked at", async () => {
    await api.patch("/api/v2/user/00000000-0000-4000-8000-000000000000", { email: "bad" }).expect(404, { detail: "Not found." });
  });
});

describe("§4.8 404 and 405 in DRF's words", () => {
  it.each([
    ["GET", "/api/v2/user/00000000-0000-4000-8000-000000000000"],
    ["DELETE", "/api/v2/user/00000000-0000-4000-8000-000000000000"],
    ["GET", "/api/v2/user/not-a-uuid"],
    ["PATCH", "/api/v2/user/not-a-uuid"],
  ])("%s %s: 404 {detail: Not found.}", async (method, path) => {
    const token = await app.credential("perm-api");
    const response = await app.http()[method.toLowerCase() as "get"](`/compat/perm-api${path}`).set("Authorization", `Bearer ${token}`).send({});
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ detail: "Not found." });
  });

  it.each(["/api/v2/users", "/api/v1/user", "/api/v2/group/1", "/api/v2/user/a/b", "/", "/api"])("unknown route %s: 404 {detail: Not found.}", async (path) => {
    const response = await api.get(path).expect(404);
    expect(response.body).toEqual({ detail: "Not found." });
    expect(response.headers["content-type"]).toMatch(/application\/json/);
  });

  it.each([
    ["put", "/api/v2/user", "GET, POST, OPTIONS"],
    ["delete", "/api/v2/user", "GET, POST, OPTIONS"],
    ["patch", "/api/v2/user", "GET, POST, OPTIONS"],
    ["put", "/api/v2/user/00000000-0000-4000-8000-000000000000", "GET, PATCH, DELETE, OPTIONS"],
    ["post", "/api/v2/user/00000000-0000-4000-8000-000000000000", "GET, PATCH, DELETE, OPTIONS"],
  ] as const)("%s %s: 405 with Allow", async (method, path, allow) => {
    const token = await app.credential("perm-api");
    const response = await app.http()[method](`/compat/perm-api${path}`).set("Authorization", `Bearer ${token}`).send({});
    expect(response.status).toBe(405);
    expect(response.body).toEqual({ detail: `Method "${method.toUpperCase()}" not allowed.` });
    expect(response.headers.allow).toBe(allow);
  });

  it("OPTIONS answers DRF's metadata with Allow", async () => {
    const token = await app.credential("perm-api");
    const response = await app.http().options("/compat/perm-api/api/v2/user").set("Authorization", `Bearer ${token}`).expect(200);
    expect(response.headers.allow).toBe("GET, POST, OPTIONS");
    expect(response.body).toMatchObject({ name: "User List", renders: ["application/json"], parses: ["application/json"] });
  });
});
