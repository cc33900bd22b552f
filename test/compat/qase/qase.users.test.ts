import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userUrn } from "../../../src/scim/schema/urns.ts";
import type { ScimClient, TestApp } from "../../support/app.ts";
import {
  createQaseUser,
  newUser,
  patchOp,
  publicBaseUrl,
  qaseBase,
  qaseClient,
  qaseListOf,
  qaseUserOf,
  scimContentType,
  startQaseApp,
  type QaseClient,
} from "./qase.client.ts";

// docs/compat/qase.md §3 and §4.2-§4.8: the Users endpoints of the Qase profile.

const location = (id: string) => `${publicBaseUrl}${qaseBase}/Users/${id}`;

let app: TestApp;
let qase: QaseClient;
let scim: ScimClient;
beforeAll(async () => {
  ({ app, qase } = await startQaseApp());
  scim = await app.client();
});
afterAll(() => app.close());

// The SCIM resource behind a Qase user.
async function scimUserOf(userName: string): Promise<Record<string, any>> {
  const response = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`).expect(200);
  expect(response.body.totalResults).toBe(1);
  return response.body.Resources[0];
}

describe("POST /Users (§4.4)", () => {
  it("creates the documented user: 201, the Qase shape, Location = meta.location", async () => {
    const response = await qase.post("/Users", newUser("john@doe.com"));
    expect(response.status).toBe(201);
    expect(qaseUserOf(response)).toStrictEqual({
      schemas: [userUrn],
      id: expect.stringMatching(/^\d+$/),
      userName: "john@doe.com",
      name: { familyName: "John", givenName: "Doe" },
      active: true,
      emails: [{ value: "john@doe.com", primary: true }],
      meta: { resourceType: "User", location: location(response.body.id) },
    });
    expect(response.headers.location).toBe(response.body.meta.location);
  });

  it("allocates a new numeric id to each user", async () => {
    const first = await createQaseUser(qase, "ids-1@example.com");
    const second = await createQaseUser(qase, "ids-2@example.com");
    expect(Number(second.id)).toBe(Number(first.id) + 1);
  });

  it("stores userType as spelled, title, and active:false", async () => {
    const created = await createQaseUser(qase, "typed@example.com", { userType: "Read-Only", title: "CEO", active: false });
    expect(created).toMatchObject({ userType: "Read-Only", title: "CEO", active: false });
  });

  const userTypes = ["regular", "read-only", "readonly", "billing", "REGULAR", "ReadOnly", "Billing"];
  it.each(userTypes.map((userType, index) => [userType, index] as const))("accepts userType %s", async (userType, index) => {
    const created = await createQaseUser(qase, `type-${index}@example.com`, { userType });
    expect(created.userType).toBe(userType);
  });

  it("ignores attributes Qase does not support, and emails (derived from userName)", async () => {
    const created = await createQaseUser(qase, "ignored@example.com", {
      nickName: "nick",
      externalId: "ext-1",
      password: "Correct-Horse-Battery-Staple-1",
      phoneNumbers: [{ value: "+1 555", type: "work" }],
      emails: [{ value: "other@example.com", primary: true }],
      "urn:scim-server:params:scim:schemas:extension:qase:2.0:User": { owner: true, numericId: 999 },
    });
    expect(created.emails).toStrictEqual([{ value: "ignored@example.com", primary: true }]);
    const stored = await scimUserOf("ignored@example.com");
    expect(stored.nickName).toBeUndefined();
    expect(stored.externalId).toBeUndefined();
    expect(stored.phoneNumbers).toBeUndefined();
    expect(stored.emails).toStrictEqual([{ value: "ignored@example.com", primary: true }]);
    expect(stored["urn:scim-server:params:scim:schemas:extension:qase:2.0:User"]).toStrictEqual({ owner: false, numericId: Number(created.id) });
  });

  it("reads attribute names in any case", async () => {
    const response = await qase.post("/Users", { USERNAME: "cased@example.com", Name: { GivenName: "Cas", FAMILYNAME: "Ed" }, UserType: "billing" });
    expect(response.status).toBe(201);
    expect(qaseUserOf(response)).toMatchObject({ userName: "cased@example.com", name: { givenName: "Cas", familyName: "Ed" }, userType: "billing" });
  });

  it("accepts application/json as well as application/scim+json", async () => {
    const response = await app
      .http()
      .post(`${qaseBase}/Users`)
      .set("Authorization", `Bearer ${qase.token}`)
      .set("Content-Type", "application/json")
      .send(JSON.stringify(newUser("json@example.com")));
    expect(response.status).toBe(201);
    expect(response.headers["content-type"]).toBe(scimContentType);
  });

  it.each([
    ["displayName when given", { displayName: "Johnny", name: { givenName: "John", familyName: "Doe", formatted: "J. Doe" } }, "Johnny"],
    ["else name.formatted when not empty", { name: { givenName: "John", familyName: "Doe", formatted: "J. Doe" } }, "J. Doe"],
    ["else givenName familyName", { name: { givenName: "John", familyName: "Doe", formatted: " " } }, "John Doe"],
  ])("derives the stored full name: %s", async (_case, extra, displayName) => {
    const userName = `display-${displayName.replace(/\W/g, "")}@example.com`;
    await createQaseUser(qase, userName, extra);
    expect((await scimUserOf(userName)).displayName).toBe(displayName);
  });
});

describe("GET /Users/{id} (§4.3)", () => {
  let user: Awaited<ReturnType<typeof createQaseUser>>;
  beforeAll(async () => {
    user = await createQaseUser(qase, "get@example.com", { userType: "regular", title: "CEO" });
  });

  it("returns the user by its Qase id", async () => {
    const response = await qase.get(`/Users/${user.id}`).expect(200);
    expect(qaseUserOf(response)).toStrictEqual({
      schemas: [userUrn],
      id: user.id,
      userName: "get@example.com",
      name: { familyName: "John", givenName: "Doe" },
      active: true,
      userType: "regular",
      title: "CEO",
      emails: [{ value: "get@example.com", primary: true }],
      meta: { resourceType: "User", location: location(user.id) },
    });
  });

  it("applies attributes and excludedAttributes", async () => {
    const only = await qase.get(`/Users/${user.id}?attributes=userName,name.givenName`).expect(200);
    expect(only.body).toStrictEqual({ schemas: [userUrn], id: user.id, userName: "get@example.com", name: { givenName: "Doe" } });
    const without = await qase.get(`/Users/${user.id}?excludedAttributes=emails,meta,title`).expect(200);
    expect(Object.keys(without.body).sort()).toEqual(["active", "id", "name", "schemas", "userName", "userType"]);
  });

  it("answers the documented typo URL /scim/Users/{id} too", async () => {
    const response = await app.http().get(`/compat/qase/scim/Users/${user.id}`).set("Authorization", `Bearer ${qase.token}`).expect(200);
    expect(qaseUserOf(response)).toStrictEqual((await qase.get(`/Users/${user.id}`)).body);
  });

  it("reads paths in any case", async () => {
    await app.http().get(`/compat/qase/SCIM/V2/users/${user.id}`).set("Authorization", `Bearer ${qase.token}`).expect(200);
  });
});

describe("GET /Users (§4.2)", () => {
  let lister: QaseClient;
  // givenName, familyName, active, title
  const people: [string, string, boolean, string | undefined][] = [
    ["Alice", "Green", true, "CEO"],
    ["Bob", "Brown", true, "CTO"],
    ["Carol", "White", false, undefined],
    ["Dave", "Green", true, undefined],
    ["Eve", "Black", true, "Engineer"],
    ["Frank", "Grey", false, "Engineer"],
    ["Grace", "Blue", true, undefined],
    ["Heidi", "Pink", true, "Designer"],
    ["Ivan", "Red", true, undefined],
    ["Judy", "Gold", true, "Engineering Manager"],
  ];
  const ids = new Map<string, string>();
  beforeAll(async () => {
    lister = await qaseClient(app, "listing");
    // Created in reverse alphabetical order, so that sorting is visible.
    for (const [givenName, familyName, active, title] of [...people].reverse()) {
      const created = await createQaseUser(lister, `${givenName.toLowerCase()}@example.com`, {
        name: { givenName, familyName },
        active,
        ...(title ? { title } : {}),
      });
      ids.set(givenName, created.id);
    }
  });
  const names = (resources: Record<string, any>[]) => resources.map((resource) => resource.name.givenName);
  const list = async (query: string) => qaseListOf(await lister.get(`/Users?${query}`).expect(200));

  it("lists every user as a ListResponse of Qase users", async () => {
    const body = await list("");
    expect(body).toMatchObject({ totalResults: 10, itemsPerPage: 10, startIndex: 1 });
    for (const resource of body.Resources) expect(resource.emails).toStrictEqual([{ value: resource.userName, primary: true }]);
    expect(body.Resources.map((resource) => resource.id).sort()).toEqual([...ids.values()].sort());
  });

  it("answers the documented complex request: attributes, NOT(...), sortBy, startIndex=2&count=5", async () => {
    const query = 'attributes=name,userName&filter=NOT(name.familyName eq "Green")&sortBy=name.givenName&sortOrder=ascending&startIndex=2&count=5';
    const body = await list(query.replace(/ /g, "%20").replace(/"/g, "%22"));
    expect(body).toStrictEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 8,
      itemsPerPage: 5,
      startIndex: 2,
      Resources: ["Carol", "Eve", "Frank", "Grace", "Heidi"].map((givenName) => {
        const familyName = people.find(([name]) => name === givenName)?.[1];
        return {
          schemas: [userUrn],
          id: ids.get(givenName),
          userName: `${givenName.toLowerCase()}@example.com`,
          name: { familyName, givenName },
        };
      }),
    });
  });

  it("sorts descending", async () => {
    const body = await list("sortBy=name.givenName&sortOrder=descending&count=3");
    expect(names(body.Resources)).toEqual(["Judy", "Ivan", "Heidi"]);
  });

  it.each([
    ['userName eq "bob@example.com"', ["Bob"]],
    ['USERNAME EQ "BOB@example.com"', ["Bob"]],
    ["active eq false", ["Carol", "Frank"]],
    ['title co "Engineer"', ["Eve", "Frank", "Judy"]],
    ['title sw "Eng" and active eq true', ["Eve", "Judy"]],
    ['name.familyName eq "Green" or (title ew "Manager" and not (active eq false))', ["Alice", "Dave", "Judy"]],
    ["title pr and not(title co \"e\")", ["Bob"]],
    ['emails.value eq "heidi@example.com"', ["Heidi"]],
    ['emails[value sw "iv"]', ["Ivan"]],
    ['name.givenName lt "C" and meta.created pr', ["Alice", "Bob"]],
  ])("filters %s", async (filter, expected) => {
    const body = await list(`filter=${encodeURIComponent(filter)}&sortBy=name.givenName`);
    expect(names(body.Resources)).toEqual(expected);
    expect(body.totalResults).toBe(expected.length);
  });

  it("filters on id as the Qase id", async () => {
    const bob = ids.get("Bob") as string;
    const byId = await list(`filter=${encodeURIComponent(`id eq "${bob}"`)}`);
    expect(names(byId.Resources)).toEqual(["Bob"]);
    const notById = await list(`filter=${encodeURIComponent(`not (id eq "${bob}")`)}`);
    expect(notById.totalResults).toBe(9);
    const ordered = await list(`filter=${encodeURIComponent(`id ge "${ids.get("Bob")}" and id pr`)}&sortBy=name.givenName`);
    // Ids were allocated from Judy down to Alice.
    expect(names(ordered.Resources)).toEqual(["Alice", "Bob"]);
  });

  it.each([
    ["count=0 answers totalResults only", "count=0", { totalResults: 10, itemsPerPage: 0, startIndex: 1 }, []],
    ["count below 0 is 0", "count=-3", { totalResults: 10, itemsPerPage: 0, startIndex: 1 }, []],
    ["startIndex below 1 is 1", "startIndex=0&count=2&sortBy=name.givenName", { totalResults: 10, itemsPerPage: 2, startIndex: 1 }, ["Alice", "Bob"]],
    ["the last page", "startIndex=9&count=5&sortBy=name.givenName", { totalResults: 10, itemsPerPage: 2, startIndex: 9 }, ["Ivan", "Judy"]],
    ["beyond the last page", "startIndex=20", { totalResults: 10, itemsPerPage: 0, startIndex: 20 }, []],
  ])("pages: %s", async (_case, query, page, expected) => {
    const body = await list(query);
    expect(body).toMatchObject(page);
    expect(names(body.Resources)).toEqual(expected);
  });

  it("projects list resources with excludedAttributes", async () => {
    const body = await list("excludedAttributes=emails,meta,name&count=1");
    expect(Object.keys(body.Resources[0] as object).sort()).toEqual(expect.arrayContaining(["active", "id", "schemas", "userName"]));
    expect(body.Resources[0]).not.toHaveProperty("emails");
    expect(body.Resources[0]).not.toHaveProperty("name");
  });
});

describe("PUT /Users/{id} (§4.5)", () => {
  it("replaces the user with the documented body; id and meta in the body are ignored", async () => {
    const user = await createQaseUser(qase, "put@example.com", { title: "CEO", userType: "billing" });
    const response = await qase.put(`/Users/${user.id}`, {
      schemas: [userUrn],
      id: "999999",
      meta: { resourceType: "User", location: "https://app.qase.io/scim/v2/Users/999999" },
      userName: "replace@example.com",
      name: { familyName: "Replace", givenName: "Me" },
      active: true,
      userType: "regular",
      emails: [{ value: "replace@example.com", primary: true }],
    });
    expect(response.status).toBe(200);
    expect(qaseUserOf(response)).toStrictEqual({
      schemas: [userUrn],
      id: user.id,
      userName: "replace@example.com",
      name: { familyName: "Replace", givenName: "Me" },
      active: true,
      userType: "regular",
      emails: [{ value: "replace@example.com", primary: true }],
      meta: { resourceType: "User", location: location(user.id) },
    });
    expect((await qase.get(`/Users/${user.id}`).expect(200)).body).toStrictEqual(response.body);
    expect((await scimUserOf("replace@example.com")).displayName).toBe("Me Replace");
  });

  it("clears what the body omits (title, userType) and defaults active to true", async () => {
    const user = await createQaseUser(qase, "put-clear@example.com", { title: "CEO", userType: "billing", active: false });
    const response = await qase.put(`/Users/${user.id}`, { userName: "put-clear@example.com", name: { givenName: "Only" } }).expect(200);
    expect(qaseUserOf(response)).toStrictEqual({
      schemas: [userUrn],
      id: user.id,
      userName: "put-clear@example.com",
      name: { givenName: "Only" },
      active: true,
      emails: [{ value: "put-clear@example.com", primary: true }],
      meta: { resourceType: "User", location: location(user.id) },
    });
  });

  it("deactivates with active:false (the record is kept)", async () => {
    const user = await createQaseUser(qase, "put-off@example.com");
    const response = await qase.put(`/Users/${user.id}`, newUser("put-off@example.com", { active: false })).expect(200);
    expect(qaseUserOf(response).active).toBe(false);
    expect((await qase.get(`/Users/${user.id}`).expect(200)).body.active).toBe(false);
  });
});

describe("PATCH /Users/{id} (§4.6)", () => {
  let user: Awaited<ReturnType<typeof createQaseUser>>;
  beforeAll(async () => {
    user = await createQaseUser(qase, "patch@example.com", { userType: "regular" });
  });
  const patch = async (...operations: Record<string, unknown>[]) => {
    const response = await qase.patch(`/Users/${user.id}`, patchOp(...operations));
    expect(response.status, response.text).toBe(200);
    const patched = qaseUserOf(response);
    expect((await qase.get(`/Users/${user.id}`).expect(200)).body).toStrictEqual(patched);
    return patched;
  };

  it("deactivates with the documented {op:Replace, path:active, value:false}: 200 with active:false", async () => {
    expect((await patch({ op: "Replace", path: "active", value: false })).active).toBe(false);
    expect((await patch({ op: "replace", path: "active", value: true })).active).toBe(true);
  });

  it("reads Entra's \"False\" for active", async () => {
    expect((await patch({ op: "Replace", path: "active", value: "False" })).active).toBe(false);
    expect((await patch({ op: "Replace", path: "active", value: "True" })).active).toBe(true);
  });

  it("renames (name.givenName, name.familyName)", async () => {
    const patched = await patch(
      { op: "Replace", path: "name.givenName", value: "New Given Name" },
      { op: "replace", path: "name.familyName", value: "New Family" },
    );
    expect(patched.name).toStrictEqual({ familyName: "New Family", givenName: "New Given Name" });
  });

  it("changes userType, echoing the caller's spelling", async () => {
    expect((await patch({ op: "Replace", path: "userType", value: "READ-ONLY" })).userType).toBe("READ-ONLY");
    expect((await patch({ op: "Replace", path: "userType", value: "regular" })).userType).toBe("regular");
  });

  it("replaces userName and with it the primary email", async () => {
    const patched = await patch({ op: "Replace", path: "userName", value: "new@email.com" });
    expect(patched.userName).toBe("new@email.com");
    expect(patched.emails).toStrictEqual([{ value: "new@email.com", primary: true }]);
    expect((await scimUserOf("new@email.com")).emails).toStrictEqual([{ value: "new@email.com", primary: true }]);
    await patch({ op: "Replace", path: "userName", value: "patch@example.com" });
  });

  it("adds, replaces and removes title with ops in any case", async () => {
    expect((await patch({ op: "Add", path: "title", value: "CEO" })).title).toBe("CEO");
    expect((await patch({ op: "REPLACE", path: "urn:ietf:params:scim:schemas:core:2.0:User:title", value: "CTO" })).title).toBe("CTO");
    expect((await patch({ op: "Remove", path: "title" })).title).toBeUndefined();
  });

  it("sets displayName (kept in the store; Qase does not emit it)", async () => {
    await patch({ op: "replace", path: "displayName", value: "The Patcher" });
    expect((await scimUserOf("patch@example.com")).displayName).toBe("The Patcher");
  });

  it("accepts the path-less form", async () => {
    const patched = await patch({ op: "replace", value: { active: false, title: "Lead", name: { givenName: "Path" }, "name.familyName": "Less" } });
    expect(patched).toMatchObject({ active: false, title: "Lead", name: { givenName: "Path", familyName: "Less" } });
    const renamed = await patch({ op: "replace", value: { id: user.id, userName: "pathless@example.com", active: true } });
    expect(renamed).toMatchObject({ userName: "pathless@example.com", active: true, emails: [{ value: "pathless@example.com", primary: true }] });
    await patch({ op: "replace", path: "userName", value: "patch@example.com" });
  });

  it("keeps the user's id", async () => {
    expect((await patch({ op: "replace", path: "title", value: "Same id" })).id).toBe(user.id);
  });
});

describe("DELETE /Users/{id} (§4.7)", () => {
  it("deletes the user: 204 with no body; then GET, PATCH and DELETE answer 404", async () => {
    const user = await createQaseUser(qase, "delete@example.com");
    const response = await qase.delete(`/Users/${user.id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    await qase.get(`/Users/${user.id}`).expect(404);
    await qase.patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "active", value: false })).expect(404);
    await qase.delete(`/Users/${user.id}`).expect(404);
    await scim.get(`/Users?filter=${encodeURIComponent('userName eq "delete@example.com"')}`).expect(200, /"totalResults":0/);
  });

  it("answers the documented URL /scim/Users/{id}", async () => {
    const user = await createQaseUser(qase, "delete-typo@example.com");
    await app.http().delete(`/compat/qase/scim/Users/${user.id}`).set("Authorization", `Bearer ${qase.token}`).expect(204);
    await qase.get(`/Users/${user.id}`).expect(404);
  });

  it("refuses to delete the workspace owner with 409, and deletes once ownership is gone", async () => {
    const user = await createQaseUser(qase, "owner@example.com");
    const stored = await scimUserOf("owner@example.com");
    await scim
      .patch(`/Users/${stored.id}`, patchOp({ op: "replace", path: "urn:scim-server:params:scim:schemas:extension:qase:2.0:User:owner", value: true }))
      .expect(200);
    const refused = await qase.delete(`/Users/${user.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toStrictEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      detail: "The workspace owner cannot be deleted",
    });
    await qase.get(`/Users/${user.id}`).expect(200);
    await scim
      .patch(`/Users/${stored.id}`, patchOp({ op: "replace", path: "urn:scim-server:params:scim:schemas:extension:qase:2.0:User:owner", value: false }))
      .expect(200);
    await qase.delete(`/Users/${user.id}`).expect(204);
  });
});

describe("discovery (§4.8)", () => {
  it("GET /ServiceProviderConfig describes the Qase profile", async () => {
    const response = await qase.get("/ServiceProviderConfig").expect(200);
    expect(response.headers["content-type"]).toBe(scimContentType);
    expect(response.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: "oauthbearertoken" })],
      meta: { resourceType: "ServiceProviderConfig", location: `${publicBaseUrl}${qaseBase}/ServiceProviderConfig` },
    });
  });

  it("GET /ResourceTypes lists User only", async () => {
    const response = await qase.get("/ResourceTypes").expect(200);
    expect(response.body.totalResults).toBe(1);
    expect(response.body.Resources[0]).toMatchObject({ id: "User", endpoint: "/Users", schema: userUrn });
    expect(response.body.Resources[0].schemaExtensions).toBeUndefined();
    await qase.get("/ResourceTypes/User").expect(200);
    await qase.get("/ResourceTypes/Group").expect(404);
  });

  it("GET /Schemas describes the User attributes Qase supports", async () => {
    const response = await qase.get("/Schemas").expect(200);
    expect(response.body.totalResults).toBe(1);
    const schema = response.body.Resources[0];
    expect(schema.id).toBe(userUrn);
    expect(schema.attributes.map((attribute: { name: string }) => attribute.name)).toEqual(["userName", "name", "displayName", "title", "userType", "active", "emails"]);
    expect(schema.attributes.find((attribute: { name: string }) => attribute.name === "userType").canonicalValues).toEqual(["regular", "read-only", "readonly", "billing"]);
    await qase.get(`/Schemas/${userUrn}`).expect(200);
    await qase.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group").expect(404);
  });
});
