import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScimClient, TestApp } from "../../support/app.ts";
import { expectScimError } from "../../support/responses.ts";
import { createQaseUser, newUser, patchOp, qaseListOf, qaseUrn, qaseUserOf, startQaseApp, type QaseClient } from "./qase.client.ts";

// docs/compat/qase.md §7: the Qase API is a view over the same Users as /scim/v2.
// Its id is the qase extension's numericId, allocated once and kept.

const enterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let app: TestApp;
let qase: QaseClient;
let scim: ScimClient;
beforeAll(async () => {
  ({ app, qase } = await startQaseApp());
  scim = await app.client();
});
afterAll(() => app.close());

const byNumericId = async (id: string) => {
  const response = await scim.get(`/Users?filter=${encodeURIComponent(`${qaseUrn}:numericId eq ${id}`)}`).expect(200);
  expect(response.body.totalResults).toBe(1);
  return response.body.Resources[0] as Record<string, any>;
};

describe("written through Qase, read through /scim/v2", () => {
  it("a created user is a SCIM User carrying its Qase id", async () => {
    const created = await createQaseUser(qase, "cross@example.com", { userType: "billing", title: "CFO" });
    const stored = await byNumericId(created.id);
    expect(stored).toMatchObject({
      userName: "cross@example.com",
      name: { givenName: "Doe", familyName: "John" },
      displayName: "Doe John",
      userType: "billing",
      title: "CFO",
      active: true,
      emails: [{ value: "cross@example.com", primary: true }],
      [qaseUrn]: { numericId: Number(created.id), owner: false },
    });
    expect(stored.schemas).toContain(qaseUrn);
  });

  it("PATCH and PUT through Qase keep the Qase id and what Qase does not manage", async () => {
    const created = await createQaseUser(qase, "keeps@example.com");
    const stored = await byNumericId(created.id);
    await scim
      .patch(
        `/Users/${stored.id}`,
        patchOp(
          { op: "add", path: "phoneNumbers", value: [{ value: "+1 555 0100", type: "work" }] },
          { op: "add", path: `${enterpriseUrn}:employeeNumber`, value: "E-7" },
          { op: "replace", path: `${qaseUrn}:owner`, value: true },
        ),
      )
      .expect(200);

    await qase.patch(`/Users/${created.id}`, patchOp({ op: "Replace", path: "active", value: false })).expect(200);
    await qase.put(`/Users/${created.id}`, newUser("keeps-renamed@example.com", { title: "CTO" })).expect(200);

    const after = await byNumericId(created.id);
    expect(after.id).toBe(stored.id);
    expect(after).toMatchObject({
      userName: "keeps-renamed@example.com",
      title: "CTO",
      active: true,
      emails: [{ value: "keeps-renamed@example.com", primary: true }],
      phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
      [enterpriseUrn]: { employeeNumber: "E-7" },
      [qaseUrn]: { numericId: Number(created.id), owner: true },
    });
    expect((await qase.get(`/Users/${created.id}`).expect(200)).body.id).toBe(created.id);
  });

  it("a Qase DELETE removes the SCIM User", async () => {
    const created = await createQaseUser(qase, "gone@example.com");
    const stored = await byNumericId(created.id);
    await qase.delete(`/Users/${created.id}`).expect(204);
    expectScimError(await scim.get(`/Users/${stored.id}`), 404);
  });

  it("/scim/v2 keeps RFC 7644's 409 for a duplicate userName; Qase answers 400", async () => {
    await createQaseUser(qase, "dup@example.com");
    expectScimError(await scim.post("/Users", { userName: "dup@example.com" }), 409, "uniqueness");
    expect((await qase.post("/Users", newUser("dup@example.com"))).status).toBe(400);
  });
});

describe("written through /scim/v2, read through Qase", () => {
  it("a user created through SCIM has its Qase id from the start", async () => {
    const scimOnly = await scim.post("/Users", { userName: "scim-only@example.com", name: { givenName: "Scim", familyName: "Only" } }).expect(201);
    expect(scimOnly.body[qaseUrn]).toStrictEqual({ numericId: expect.any(Number) });

    const filter = encodeURIComponent('userName eq "scim-only@example.com"');
    const listed = qaseListOf(await qase.get(`/Users?filter=${filter}`).expect(200));
    expect(listed.totalResults).toBe(1);
    const [resource] = listed.Resources as Record<string, any>[];
    expect(resource.id).toMatch(/^\d+$/);

    const again = qaseListOf(await qase.get(`/Users?filter=${filter}`).expect(200));
    expect((again.Resources[0] as Record<string, any>).id).toBe(resource.id);
    const read = (await scim.get(`/Users/${scimOnly.body.id}`).expect(200)).body;
    expect(read[qaseUrn]).toStrictEqual({ numericId: Number(resource.id) });
    expect(read.meta.version).toBe(scimOnly.body.meta.version);
    expect(qaseUserOf(await qase.get(`/Users/${resource.id}`).expect(200))).toMatchObject({
      userName: "scim-only@example.com",
      name: { givenName: "Scim", familyName: "Only" },
      emails: [{ value: "scim-only@example.com", primary: true }],
    });
  });

  it("changes made through SCIM show through Qase; emails are derived from userName", async () => {
    const created = await createQaseUser(qase, "changed@example.com");
    const stored = await byNumericId(created.id);
    await scim
      .patch(
        `/Users/${stored.id}`,
        patchOp(
          { op: "replace", path: "userName", value: "changed-in-scim@example.com" },
          { op: "replace", path: "title", value: "VP" },
          { op: "replace", path: "active", value: false },
          { op: "replace", path: "userType", value: "readonly" },
          { op: "replace", path: "emails", value: [{ value: "work@example.com", type: "work", primary: true }] },
        ),
      )
      .expect(200);
    expect(qaseUserOf(await qase.get(`/Users/${created.id}`).expect(200))).toMatchObject({
      id: created.id,
      userName: "changed-in-scim@example.com",
      title: "VP",
      active: false,
      userType: "readonly",
      emails: [{ value: "changed-in-scim@example.com", primary: true }],
    });
  });

  // Core: UserService.patch must carry the assigned values over, as replace does.
  it("a /scim/v2 PATCH keeps the Qase id", async () => {
    const created = await createQaseUser(qase, "patched-in-scim@example.com");
    const stored = await byNumericId(created.id);
    const patched = await scim.patch(`/Users/${stored.id}`, patchOp({ op: "replace", path: "title", value: "Kept" })).expect(200);
    expect(patched.body[qaseUrn]).toStrictEqual({ numericId: Number(created.id), owner: false });
    expect((await qase.get(`/Users/${created.id}`).expect(200)).body.title).toBe("Kept");
  });

  it("a user made owner through SCIM cannot be deleted through Qase (409), and stays", async () => {
    const created = await createQaseUser(qase, "the-owner@example.com");
    const stored = await byNumericId(created.id);
    await scim.patch(`/Users/${stored.id}`, patchOp({ op: "replace", path: `${qaseUrn}:owner`, value: true })).expect(200);
    expect((await qase.delete(`/Users/${created.id}`)).status).toBe(409);
    await scim.get(`/Users/${stored.id}`).expect(200);
  });

  it("a user deleted through SCIM is gone from Qase", async () => {
    const created = await createQaseUser(qase, "scim-deleted@example.com");
    const stored = await byNumericId(created.id);
    await scim.delete(`/Users/${stored.id}`).expect(204);
    expect((await qase.get(`/Users/${created.id}`)).status).toBe(404);
  });
});
