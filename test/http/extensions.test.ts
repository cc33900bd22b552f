import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFilter } from "../../src/scim/filter/parse.ts";
import { matches } from "../../src/scim/filter/evaluate.ts";
import { bytebaseGroupSchema, bytebaseUserSchema } from "../../src/compat/bytebase/extension.ts";
import { permGroupsGroupSchema } from "../../src/compat/perm-api/extension.ts";
import { qaseUserSchema } from "../../src/compat/qase/extension.ts";
import { vyteGroupSchema, vyteUserSchema } from "../../src/compat/vyte/extension.ts";
import { groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError, scimBody } from "../support/responses.ts";
import { schemaRegistry } from "../support/schemas.ts";

// RFC 7643 §3.3: this server's own extension schemas, as SCIM clients of a tenant that enabled
// the compat APIs see them. Their simple attributes are filterable (ExtensionValue rows),
// "server"-unique ones are unique per tenant, and assigned ones (product ids) are allocated by the
// server when a resource is created and survive PUT. A tenant without the APIs has none of them.

const bytebase = bytebaseUserSchema.id;
const bytebaseGroup = bytebaseGroupSchema.id;
const vyte = vyteUserSchema.id;
const qase = qaseUserSchema.id;

let app: TestApp;
let scim: ScimClient;
let other: ScimClient;
let plain: ScimClient;
const apis = ["bytebase", "vyte", "perm-api", "qase", "express-gateway"];
beforeAll(async () => {
  app = await startTestApp();
  scim = await app.client("acme");
  other = await app.client("globex");
  plain = await app.client("okta-only");
  for (const tenant of ["acme", "globex"]) {
    const { id } = await app.server.tenants.ensure(tenant);
    for (const api of apis) await app.server.tenants.enableApi(id, api);
  }
});
afterAll(() => app.close());

const ids = (response: { body: { Resources: Array<{ id: string }> } }) => response.body.Resources.map((resource) => resource.id).sort();

async function createUser(client: ScimClient, userName: string, extra: Record<string, unknown> = {}) {
  return scimBody(await client.post("/Users", { schemas: [userUrn], userName, ...extra }).expect(201));
}

describe("assigned product ids", () => {
  it("allocates the Bytebase uid from 101 per tenant when a user is created, whatever the client sent", async () => {
    const first = await createUser(scim, "uid-1@example.com", { [bytebase]: { userType: "USER" } });
    const second = await createUser(scim, "uid-2@example.com", { [bytebase]: { userType: "SERVICE_ACCOUNT", uid: 5 } });
    const bare = await createUser(scim, "uid-3@example.com");
    const elsewhere = await createUser(other, "uid-1@example.com", { [bytebase]: { userType: "USER" } });

    expect(first[bytebase]).toStrictEqual({ uid: 101, userType: "USER" });
    expect(second[bytebase]).toStrictEqual({ uid: 102, userType: "SERVICE_ACCOUNT" });
    expect(bare[bytebase]).toStrictEqual({ uid: 103 });
    expect(bare[vyte].objectId).toMatch(/^[0-9a-f]{24}$/);
    expect(bare[qase].numericId).toBeGreaterThan(0);
    expect(bare.schemas).toStrictEqual([userUrn, bytebase, vyte, qase]);
    expect(elsewhere[bytebase].uid).toBe(101);
    const read = scimBody(await scim.get(`/Users/${bare.id}`).expect(200));
    expect({ ...read, meta: { ...read.meta, location: undefined } }).toStrictEqual({ ...bare, meta: { ...bare.meta, location: undefined } });
  });

  it("gives a tenant without the compat APIs none of their extensions, and ignores them as unknown schemas", async () => {
    const user = await createUser(plain, "plain@example.com", { [bytebase]: { userType: "USER" }, [vyte]: { linked: true } });
    expect(user.schemas).toStrictEqual([userUrn]);
    expect(user[bytebase]).toBeUndefined();
    expect(user[vyte]).toBeUndefined();
    // A PATCH path into it names an unknown schema, as with any other (RFC 7644 §3.5.2: invalidPath).
    const patched = await plain.patch(`/Users/${user.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "add", path: `${bytebase}:userType`, value: "USER" }],
    });
    expectScimError(patched, 400, "invalidPath");
    expect(scimBody(await plain.get(`/Users/${user.id}`).expect(200)).meta.version).toBe(user.meta.version);
    expectScimError(await plain.get(`/Users?filter=${encodeURIComponent(`${bytebase}:uid pr`)}`), 400, "invalidFilter");
    const group = scimBody(
      await plain.post("/Groups", { schemas: [groupUrn], displayName: "Plain", [permGroupsGroupSchema.id]: { permissions: ["users.read"] } }).expect(201),
    );
    expect(group.schemas).toStrictEqual([groupUrn]);
  });

  it("gives object ids of 24 hexadecimal digits, different for every resource", async () => {
    const users = await Promise.all(
      ["oid-1", "oid-2", "oid-3"].map((name) => createUser(scim, `${name}@example.com`, { [vyte]: { linked: true } })),
    );
    const objectIds = users.map((user) => user[vyte].objectId as string);
    for (const objectId of objectIds) expect(objectId).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(objectIds).size).toBe(3);
  });

  it("never hands out one number twice under concurrent creates", async () => {
    const users = await Promise.all(
      Array.from({ length: 12 }, (_, index) => createUser(scim, `qase-${index}@example.com`, { [qase]: { owner: false } })),
    );
    const numbers = users.map((user) => user[qase].numericId as number).sort((a, b) => a - b);
    const first = numbers[0] as number;
    expect(numbers).toStrictEqual(Array.from({ length: 12 }, (_, index) => first + index));
  });

  it("keeps the assigned id through a PUT that omits it, and ignores one a client sends", async () => {
    const user = await createUser(scim, "keep-uid@example.com", { [bytebase]: { userType: "USER" } });
    const replaced = scimBody(
      await scim.put(`/Users/${user.id}`, { schemas: [userUrn], userName: "keep-uid@example.com", displayName: "Kept" }).expect(200),
    );
    expect(replaced[bytebase]).toStrictEqual({ uid: user[bytebase].uid });
    expect(replaced[vyte]).toStrictEqual({ objectId: user[vyte].objectId });
    const tampered = scimBody(
      await scim
        .put(`/Users/${user.id}`, { schemas: [userUrn], userName: "keep-uid@example.com", [bytebase]: { uid: 999, userType: "USER" } })
        .expect(200),
    );
    expect(tampered[bytebase]).toStrictEqual({ uid: user[bytebase].uid, userType: "USER" });
  });

  it("keeps assigned ids through PATCHes of other attributes", async () => {
    const user = await createUser(scim, "patch-keep@example.com", { [bytebase]: { userType: "USER" }, [vyte]: { linked: true } });
    const patched = scimBody(
      await scim
        .patch(`/Users/${user.id}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [
            { op: "replace", path: "title", value: "X" },
            { op: "replace", path: `${vyte}:linked`, value: false },
          ],
        })
        .expect(200),
    );
    expect(patched[bytebase]).toStrictEqual(user[bytebase]);
    expect(patched[vyte]).toStrictEqual({ objectId: user[vyte].objectId, linked: false });
    expect(scimBody(await scim.get(`/Users/${user.id}`).expect(200))[bytebase]).toStrictEqual(user[bytebase]);

    const group = scimBody(
      await other.post("/Groups", { schemas: [groupUrn], displayName: "Keep role", [permGroupsGroupSchema.id]: { permissions: ["roles.read"] } }).expect(201),
    );
    const renamed = scimBody(
      await other
        .patch(`/Groups/${group.id}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "displayName", value: "Kept role" }],
        })
        .expect(200),
    );
    expect(renamed[permGroupsGroupSchema.id].roleId).toBe(group[permGroupsGroupSchema.id].roleId);
  });

  it("refuses a PATCH of an assigned id", async () => {
    const user = await createUser(scim, "patch-uid@example.com", { [bytebase]: { userType: "USER" } });
    const response = await scim.patch(`/Users/${user.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: `${bytebase}:uid`, value: 7 }],
    });
    expectScimError(response, 400, "mutability");
  });

  it("allocates a role id for every group of a tenant that enabled the permission API", async () => {
    const group = scimBody(
      await scim
        .post("/Groups", { schemas: [groupUrn], displayName: "Role A", [permGroupsGroupSchema.id]: { permissions: ["users.read"] } })
        .expect(201),
    );
    expect(group[permGroupsGroupSchema.id]).toStrictEqual({ roleId: 1, permissions: ["users.read"] });
  });
});

describe("filters on extension attributes", () => {
  const users: Array<Record<string, any>> = [];
  beforeAll(async () => {
    users.push(await createUser(other, "f-alice@example.com", { [bytebase]: { userType: "USER", mfaEnabled: true, source: "Entra ID" } }));
    users.push(await createUser(other, "f-bob@example.com", { [bytebase]: { userType: "SERVICE_ACCOUNT", mfaEnabled: false } }));
    users.push(await createUser(other, "f-carol@example.com", { [vyte]: { linked: false, signedUpWith: "api" } }));
    users.push(await createUser(other, "f-dave@example.com"));
  });

  // The tenant also holds uid-1@example.com (uid 101) from the tests above; every user has a uid.
  const cases: Array<[string, string[]]> = [
    [`${bytebase}:uid eq 102`, ["f-alice@example.com"]],
    [`${bytebase}:uid gt 103`, ["f-carol@example.com", "f-dave@example.com"]],
    [`${bytebase}:uid le 103`, ["f-alice@example.com", "f-bob@example.com", "uid-1@example.com"]],
    [`${bytebase}:userType eq "SERVICE_ACCOUNT"`, ["f-bob@example.com"]],
    [`${bytebase}:userType eq "service_account"`, []],
    [`${bytebase}:source eq "entra id"`, ["f-alice@example.com"]],
    [`${bytebase}:source sw "Ent"`, ["f-alice@example.com"]],
    [`${bytebase}:mfaEnabled eq true`, ["f-alice@example.com"]],
    [`${bytebase}:mfaEnabled eq false`, ["f-bob@example.com"]],
    [`${bytebase}:mfaEnabled ne true`, ["f-bob@example.com"]],
    [`${bytebase}:userType pr`, ["f-alice@example.com", "f-bob@example.com", "uid-1@example.com"]],
    [`not (${bytebase}:userType pr) and userName sw "f-"`, ["f-carol@example.com", "f-dave@example.com"]],
    [`${vyte}:linked eq false or ${bytebase}:userType eq "USER"`, ["f-alice@example.com", "f-carol@example.com", "uid-1@example.com"]],
    [`${vyte}:signedUpWith pr`, ["f-carol@example.com"]],
    [`${vyte}:objectId pr and ${bytebase}:uid pr and userName sw "f-"`, ["f-alice@example.com", "f-bob@example.com", "f-carol@example.com", "f-dave@example.com"]],
  ];

  it.each(cases)("%s", async (filter, expected) => {
    const response = scimBody(await other.get(`/Users?filter=${encodeURIComponent(filter)}&count=100`).expect(200));
    const found = response.Resources.map((user: { userName: string }) => user.userName).sort();
    expect(found).toStrictEqual(expected);
    // The reference evaluator agrees with the database on every user of the tenant.
    const parsed = parseFilter(filter, "User", schemaRegistry);
    const all = scimBody(await other.get("/Users?count=100").expect(200)).Resources as Array<Record<string, unknown>>;
    expect(all.filter((user) => matches(parsed, user)).map((user) => user.userName).sort()).toStrictEqual(expected);
  });

  it("stays within the caller's tenant", async () => {
    const response = scimBody(await scim.get(`/Users?filter=${encodeURIComponent(`${bytebase}:uid eq 102`)}`).expect(200));
    expect(response.Resources.map((user: { userName: string }) => user.userName)).toStrictEqual(["uid-2@example.com"]);
  });

  it("answers multi-valued extension attributes by any value", async () => {
    const [alice, bob] = users as [Record<string, any>, Record<string, any>];
    const team = scimBody(
      await other
        .post("/Groups", {
          schemas: [groupUrn],
          displayName: "Filter team",
          members: [{ value: alice.id }, { value: bob.id }],
          [vyteGroupSchema.id]: { admins: [bob.id], public: true },
        })
        .expect(201),
    );
    const filter = encodeURIComponent(`${vyteGroupSchema.id}:admins eq "${bob.id}"`);
    expect(ids(await other.get(`/Groups?filter=${filter}`).expect(200))).toStrictEqual([team.id]);
    const none = encodeURIComponent(`${vyteGroupSchema.id}:admins eq "${alice.id}"`);
    expect(ids(await other.get(`/Groups?filter=${none}`).expect(200))).toStrictEqual([]);
  });
});

describe("uniqueness of extension attributes", () => {
  it("refuses a second group with the same Bytebase email, in any case, and leaves the first as it was", async () => {
    const first = scimBody(
      await scim.post("/Groups", { schemas: [groupUrn], displayName: "Contractors", [bytebaseGroup]: { email: "contractor@example.com" } }).expect(201),
    );
    const duplicate = await scim.post("/Groups", { schemas: [groupUrn], displayName: "Contractors 2", [bytebaseGroup]: { email: "Contractor@Example.com" } });
    expectScimError(duplicate, 409, "uniqueness");
    const byEmail = encodeURIComponent(`${bytebaseGroup}:email eq "CONTRACTOR@example.com"`);
    expect(ids(await scim.get(`/Groups?filter=${byEmail}`).expect(200))).toStrictEqual([first.id]);
    const named = encodeURIComponent('displayName eq "Contractors 2"');
    expect(scimBody(await scim.get(`/Groups?filter=${named}`).expect(200)).totalResults).toBe(0);
  });

  it("refuses a PATCH that would take another group's email, without changing the group", async () => {
    const group = scimBody(
      await scim.post("/Groups", { schemas: [groupUrn], displayName: "Interns", [bytebaseGroup]: { email: "interns@example.com" } }).expect(201),
    );
    const response = await scim.patch(`/Groups/${group.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: `${bytebaseGroup}:email`, value: "contractor@example.com" }],
    });
    expectScimError(response, 409, "uniqueness");
    expect(scimBody(await scim.get(`/Groups/${group.id}`).expect(200))[bytebaseGroup]).toStrictEqual({ email: "interns@example.com" });
  });

  it("allows the same email in another tenant, and again once the group is deleted", async () => {
    await other.post("/Groups", { schemas: [groupUrn], displayName: "Contractors", [bytebaseGroup]: { email: "contractor@example.com" } }).expect(201);
    const group = scimBody(
      await scim.post("/Groups", { schemas: [groupUrn], displayName: "Temps", [bytebaseGroup]: { email: "temps@example.com" } }).expect(201),
    );
    await scim.delete(`/Groups/${group.id}`).expect(204);
    await scim.post("/Groups", { schemas: [groupUrn], displayName: "Temps again", [bytebaseGroup]: { email: "temps@example.com" } }).expect(201);
  });
});
