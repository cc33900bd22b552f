import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expressGatewayUserSchema } from "../../../src/compat/express-gateway/extension.ts";
import { userUrn } from "../../../src/scim/schema/urns.ts";
import type { ScimClient, TestApp } from "../../support/app.ts";
import { startEgApp, steve, type EgClient } from "./express-gateway.fixture.ts";

// docs/compat/express-gateway.md §7: one store. Writes through /compat/express-gateway show up in
// /scim/v2 and the reverse; redirectUri lives in the expressgateway User extension.

const urn = expressGatewayUserSchema.id;

let app: TestApp;
let eg: EgClient;
let scim: ScimClient;
beforeAll(async () => {
  ({ app, eg } = await startEgApp());
  scim = await app.client();
});
afterAll(() => app.close());

describe("Express Gateway -> SCIM", () => {
  let id: string;
  beforeAll(async () => {
    id = (await eg.post("/users", steve).expect(200)).body.id;
  });

  it("a created user is the SCIM User of §7", async () => {
    const response = await scim.get(`/Users/${id}`).expect(200);
    expect(response.body).toMatchObject({
      schemas: [userUrn, urn],
      id,
      userName: "steve",
      name: { givenName: "Steve", familyName: "Brown" },
      emails: [{ value: "steve@example.com", primary: true }],
      active: true,
      [urn]: { redirectUri: "http://example.com" },
    });
    const eg1 = (await eg.get(`/users/${id}`).expect(200)).body;
    expect(eg1.createdAt).toBe(new Date(response.body.meta.created).toString());
    expect(eg1.updatedAt).toBe(new Date(response.body.meta.lastModified).toString());
  });

  it("SCIM filters find it by the extension's URN path and by the core attributes", async () => {
    const byUri = await scim.get(`/Users?filter=${encodeURIComponent(`${urn}:redirectUri eq "http://example.com"`)}`).expect(200);
    expect(byUri.body.Resources.map((user: { id: string }) => user.id)).toEqual([id]);
    const byName = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "steve" and name.givenName eq "Steve"')}`).expect(200);
    expect(byName.body.totalResults).toBe(1);
  });

  it("an update and a deactivation show in SCIM", async () => {
    await eg.put("/users/steve", { lastname: "Green", redirectUri: "https://cb.example.org/" }).expect(200);
    await eg.put("/users/steve/status", { status: false }).expect(200);
    const response = await scim.get(`/Users/${id}`).expect(200);
    expect(response.body).toMatchObject({ name: { givenName: "Steve", familyName: "Green" }, active: false, [urn]: { redirectUri: "https://cb.example.org/" } });
    const inactive = await scim.get(`/Users?filter=${encodeURIComponent("active eq false")}`).expect(200);
    expect(inactive.body.Resources.map((user: { id: string }) => user.id)).toContain(id);
    await eg.put("/users/steve/status", { status: true }).expect(200);
    expect((await scim.get(`/Users/${id}`).expect(200)).body.active).toBe(true);
  });

  it("a delete removes the SCIM User", async () => {
    const other = (await eg.post("/users", { username: "doomed", firstname: "D", lastname: "M" }).expect(200)).body.id;
    await eg.delete("/users/doomed").expect(204);
    await scim.get(`/Users/${other}`).expect(404);
  });
});

describe("SCIM -> Express Gateway", () => {
  it("a SCIM user reads as an EG user, with only what it has", async () => {
    const created = (await scim.post("/Users", { schemas: [userUrn], userName: "bare" }).expect(201)).body;
    const response = await eg.get("/users/bare").expect(200);
    expect(response.body).toEqual({
      username: "bare",
      id: created.id,
      isActive: true,
      createdAt: new Date(created.meta.created).toString(),
      updatedAt: new Date(created.meta.lastModified).toString(),
    });
  });

  it("the EG email is the primary SCIM email; an EG update replaces only that one", async () => {
    const created = (
      await scim
        .post("/Users", {
          schemas: [userUrn],
          userName: "multi",
          name: { givenName: "Multi", familyName: "Mail" },
          emails: [
            { value: "home@example.com", type: "home" },
            { value: "work@example.com", type: "work", primary: true },
          ],
        })
        .expect(201)
    ).body;
    expect((await eg.get(`/users/${created.id}`).expect(200)).body.email).toBe("work@example.com");
    await eg.put("/users/multi", { email: "new-work@example.com" }).expect(200);
    const after = (await scim.get(`/Users/${created.id}`).expect(200)).body;
    expect(after.emails).toEqual([
      { value: "home@example.com", type: "home" },
      { value: "new-work@example.com", type: "work", primary: true },
    ]);
  });

  it("SCIM changes (PATCH, deactivation, extension) read through EG", async () => {
    const id = (await eg.post("/users", { username: "scimmed", firstname: "S", lastname: "C" }).expect(200)).body.id;
    await scim
      .patch(`/Users/${id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: "replace", path: "name.givenName", value: "Scim" },
          { op: "replace", path: "active", value: false },
          { op: "add", path: `${urn}:redirectUri`, value: "https://app.example.com/cb" },
          { op: "add", path: "emails", value: [{ value: "scimmed@example.com" }] },
        ],
      })
      .expect(200);
    expect((await eg.get("/users/scimmed").expect(200)).body).toMatchObject({
      id,
      firstname: "Scim",
      isActive: false,
      email: "scimmed@example.com",
      redirectUri: "https://app.example.com/cb",
    });
    expect((await eg.put(`/users/${id}/status`, { status: false }).expect(200)).body).toEqual({ status: "Inactive" });
  });

  it("a SCIM rename is an EG rename; a SCIM delete is an EG 404", async () => {
    const id = (await eg.post("/users", { username: "oldname", firstname: "O", lastname: "N" }).expect(200)).body.id;
    await scim
      .patch(`/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "userName", value: "newname" }] })
      .expect(200);
    await eg.get("/users/oldname").expect(404);
    expect((await eg.get("/users/newname").expect(200)).body.id).toBe(id);
    await scim.delete(`/Users/${id}`).expect(204);
    expect((await eg.get(`/users/${id}`).expect(404)).text).toBe(`User not found: ${id}`);
  });

  it("a username taken through SCIM answers 409 on EG", async () => {
    await scim.post("/Users", { schemas: [userUrn], userName: "scim-first" }).expect(201);
    const response = await eg.post("/users", { username: "scim-first", firstname: "F", lastname: "L" });
    expect({ status: response.status, text: response.text }).toEqual({ status: 409, text: "username already exists" });
  });
});
