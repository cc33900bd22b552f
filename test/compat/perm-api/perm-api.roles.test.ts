import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupUrn } from "../../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { createRole, groupExtension, permApi, roleJson, type PermApiClient } from "./fixtures.ts";

// docs/compat/perm-api.md §4.7 and §7.2: `GET /api/v2/group`, the role catalogue. Every Group of
// the tenant is a role; role ids are allocated once and stored, never list positions.

let app: TestApp;
let api: PermApiClient;
let scim: ScimClient;

beforeAll(async () => {
  app = await startTestApp();
  api = permApi(app, await app.credential("perm-api"));
  scim = await app.client();
});
afterAll(() => app.close());

describe("§4.7 GET /api/v2/group", () => {
  it("answers a bare empty array when the tenant has no groups", async () => {
    await api.get("/api/v2/group").expect(200, []);
  });

  it("answers a bare array of {id, name, permissions}, by role id; trailing slash accepted", async () => {
    const owner = await createRole(scim, "Owner", ["*"]);
    const support = await createRole(scim, "Support", ["tickets.read", "tickets.write"]);
    const expected = [roleJson(owner), roleJson(support)];
    const response = await api.get("/api/v2/group").expect(200).expect("Content-Type", /application\/json/);
    expect(response.body).toEqual(expected);
    for (const role of response.body) expect(Object.keys(role)).toEqual(["id", "name", "permissions"]);
    expect(owner.roleId).toBe(1);
    expect(support.roleId).toBe(2);
    await api.get("/api/v2/group/").expect(200, expected);
  });

  it("lists a group made through SCIM without permissions with empty ones, under the role id it got when created", async () => {
    const plain = await scim.post("/Groups", { schemas: [groupUrn], displayName: "Plain" }).expect(201);
    expect(plain.body[groupExtension]).toStrictEqual({ roleId: expect.any(Number) });
    const first = (await api.get("/api/v2/group").expect(200)).body as { id: number; name: string; permissions: string[] }[];
    const listed = first.find((role) => role.name === "Plain");
    expect(listed).toEqual({ id: expect.any(Number), name: "Plain", permissions: [] });
    const stored = await scim.get(`/Groups/${plain.body.id}`).expect(200);
    expect(stored.body[groupExtension]).toEqual({ roleId: listed?.id });
    expect(stored.body.meta.version).toBe(plain.body.meta.version);
    expect((await api.get("/api/v2/group").expect(200)).body).toEqual(first);
  });

  it("keeps every role's id when another group is deleted (ids are stored, not positions)", async () => {
    const before = (await api.get("/api/v2/group").expect(200)).body as { id: number; name: string }[];
    const doomed = await createRole(scim, "Temporary", ["x"]);
    const after = await createRole(scim, "Later", ["y"]);
    await scim.delete(`/Groups/${doomed.groupId}`).expect(204);
    const listed = (await api.get("/api/v2/group").expect(200)).body as { id: number; name: string }[];
    expect(listed).toEqual([...before, roleJson(after)]);
    expect(listed.map((role) => role.id)).not.toContain(doomed.roleId);
  });

  it("shows the permissions and name as changed through /scim/v2/Groups", async () => {
    const role = await createRole(scim, "Editor", ["docs.read"]);
    await scim
      .patch(`/Groups/${role.groupId}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: "replace", path: "displayName", value: "Chief Editor" },
          { op: "add", path: `${groupExtension}:permissions`, value: ["docs.write"] },
        ],
      })
      .expect(200);
    const listed = (await api.get("/api/v2/group").expect(200)).body as { id: number }[];
    expect(listed.find((candidate) => candidate.id === role.roleId)).toEqual({ id: role.roleId, name: "Chief Editor", permissions: ["docs.read", "docs.write"] });
  });

  it("a user may hold many roles (more than one filter's worth), listed and checked all the same", async () => {
    const many = [];
    for (let index = 0; index < 55; index += 1) many.push(await createRole(scim, `Bulk ${index}`, [`bulk.${index}`]));
    const ids = many.map((role) => role.roleId);
    const created = await api.post("/api/v2/user", { email: "many@example.com", password: "pw", groups: ids }).expect(201);
    expect(created.body.groups).toEqual(many.map(roleJson));
    expect(created.body.permissions).toEqual(many.map((_role, index) => `bulk.${index}`).sort());
    await api.post("/api/v2/user", { email: "many2@example.com", password: "pw", groups: [...ids, 9999] }).expect(400, { groups: ['Invalid pk "9999" - object does not exist.'] });
    const listed = (await api.get("/api/v2/user").expect(200)).body as { id: string; groups: unknown[] }[];
    expect(listed.find((user) => user.id === created.body.id)?.groups).toEqual(many.map(roleJson));
  });

  it("roles cannot be written through this API: POST, PATCH, PUT, DELETE answer 405", async () => {
    for (const method of ["post", "patch", "put", "delete"] as const) {
      const response = await app
        .http()
        [method]("/compat/perm-api/api/v2/group")
        .set("Authorization", `Bearer ${await app.credential("perm-api")}`)
        .send({ name: "New" });
      expect(response.status).toBe(405);
      expect(response.body).toEqual({ detail: `Method "${method.toUpperCase()}" not allowed.` });
      expect(response.headers.allow).toBe("GET, OPTIONS");
    }
  });
});
