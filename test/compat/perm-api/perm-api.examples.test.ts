import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { listenForCurl, type CurlResponse, type CurlTarget } from "../../support/curl.ts";
import { createRole, permApi, prefix, roleJson, uniqueEmail, userKeys, type CreatedRole, type PermApiClient } from "./fixtures.ts";
import { vendorExamples } from "./vendor-examples.ts";

// docs/compat/perm-api.md §9: the documented curl commands run with the real curl against the app
// on an ephemeral port, only the base URL, the token and the user id substituted. As written, the
// two user commands send a body that is not JSON ("phone: "..., a // comment) and whose values are
// placeholders ("str (Required)" is no email), so a DRF server answers them 400 "JSON parse error";
// they are also run with the placeholders filled in and the key written "phone" (§10.4), role ids in
// "groups", which must succeed.

let app: TestApp;
let api: PermApiClient;
let scim: ScimClient;
let target: CurlTarget;
let token: string;
let roles: CreatedRole[];

beforeAll(async () => {
  app = await startTestApp();
  token = await app.credential("perm-api");
  api = permApi(app, token);
  scim = await app.client();
  roles = [await createRole(scim, "Admin", ["users.write", "users.read"]), await createRole(scim, "Viewer", ["users.read"])];
  target = await listenForCurl(app, { path: prefix });
});
afterAll(async () => {
  await target.close();
  await app.close();
});

// The command with its placeholders substituted, run through bash.
async function curl(command: string, userId?: string): Promise<CurlResponse> {
  let substituted = command.replaceAll("<base_url>", target.baseUrl).replaceAll("<user_token>", token).replace("Bearer user_token", `Bearer ${token}`);
  if (userId !== undefined) substituted = substituted.replaceAll("<user_uuid>", userId);
  expect(substituted).not.toMatch(/<base_url>|<user_token>|<user_uuid>|Bearer user_token/);
  return target.curl(substituted);
}

// The documented request body with real values: what a script written from it sends.
function filledIn(command: string, values: { email: string; password: string; first_name: string; phone: string; last_name: string; groups: number[] }): string {
  return command
    .replace('"email": "str (Required)"', `"email": "${values.email}"`)
    .replace('"password": "str (Required)"', `"password": "${values.password}"`)
    .replace('"first_name": "str (Optional)"', `"first_name": "${values.first_name}"`)
    .replace('"phone: "str (Optional)"', `"phone": "${values.phone}"`)
    .replace('"last_name": "str (Optional)"', `"last_name": "${values.last_name}"`)
    .replace("//list of permission groups ids", values.groups.join(", "));
}

describe("the documented commands as written", () => {
  it('"Create User": 400 JSON parse error, and no user is created', async () => {
    const before = (await api.get("/api/v2/user").expect(200)).body.length;
    const response = await curl(vendorExamples.createUser);
    expect(response.status).toBe(400);
    expect(Object.keys(response.body as object)).toEqual(["detail"]);
    expect((response.body as { detail: string }).detail).toMatch(/^JSON parse error - /);
    expect((await api.get("/api/v2/user").expect(200)).body.length).toBe(before);
  });

  it('"Getting the list of all the roles": 200 with the bare array of roles', async () => {
    const response = await curl(vendorExamples.listRoles);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(roles.map(roleJson));
  });

  it('"User Update": 400 JSON parse error, and the user is unchanged', async () => {
    const user = (await api.post("/api/v2/user", { email: uniqueEmail("asis"), password: "pw" }).expect(201)).body;
    const response = await curl(vendorExamples.updateUser, user.id);
    expect(response.status).toBe(400);
    expect((response.body as { detail: string }).detail).toMatch(/^JSON parse error - /);
    expect((await api.get(`/api/v2/user/${user.id}`).expect(200)).body).toEqual(user);
  });
});

describe("the documented commands with the placeholders filled in", () => {
  it('"Create User": 201 with the documented response', async () => {
    const email = uniqueEmail("curl");
    const response = await curl(
      filledIn(vendorExamples.createUser, { email, password: "s3cret-Pass", first_name: "Ada", phone: "+1 555 0100", last_name: "Lovelace", groups: roles.map((role) => role.roleId) }),
    );
    expect(response.status).toBe(201);
    expect(Object.keys(response.body as object)).toEqual(userKeys);
    expect(response.body).toMatchObject({
      first_name: "Ada",
      username: email,
      last_name: "Lovelace",
      phone: "+1 555 0100",
      email,
      groups: roles.map(roleJson),
      mfa: false,
      reset_pw: false,
      reset_2fa: false,
      is_active: true,
      permissions: ["users.read", "users.write"],
    });
    expect(response.text).not.toContain("s3cret-Pass");
  });

  it('"User Update": 200 with every field changed and the role set replaced', async () => {
    const user = (await api.post("/api/v2/user", { email: uniqueEmail("before"), password: "pw", groups: [roles[0]?.roleId] }).expect(201)).body;
    const email = uniqueEmail("after");
    const response = await curl(
      filledIn(vendorExamples.updateUser, { email, password: "n3w-Pass", first_name: "Grace", phone: "+1 555 0199", last_name: "Hopper", groups: [roles[1]?.roleId as number] }),
      user.id,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...user, email, first_name: "Grace", last_name: "Hopper", phone: "+1 555 0199", groups: [roleJson(roles[1] as CreatedRole)], permissions: ["users.read"] });
  });
});
