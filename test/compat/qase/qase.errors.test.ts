import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../../support/app.ts";
import { createQaseUser, expectQaseError, newUser, patchOp, qaseBase, startQaseApp, type QaseClient } from "./qase.client.ts";

// docs/compat/qase.md §3.2 and §5: every bad request gets the SCIM Error schema with a string
// status, Qase's status and scimType, and leaves nothing changed.

let app: TestApp;
let qase: QaseClient;
let user: Awaited<ReturnType<typeof createQaseUser>>;
beforeAll(async () => {
  ({ app, qase } = await startQaseApp());
  user = await createQaseUser(qase, "taken@example.com", { title: "Unchanged" });
});
afterAll(() => app.close());

const longName = "x".repeat(61);

// The fixture user as it must still be after a refused write.
async function expectUnchanged(): Promise<void> {
  const response = await qase.get(`/Users/${user.id}`).expect(200);
  expect(response.body).toStrictEqual(user);
}

describe("POST /Users: 400 invalidValue", () => {
  it.each([
    ["userName missing", { name: { givenName: "A", familyName: "B" } }, "userName is required"],
    ["userName empty", { userName: " ", name: { givenName: "A", familyName: "B" } }, "userName is required"],
    ["userName not a string", { userName: 42, name: { givenName: "A", familyName: "B" } }, "userName must be a string"],
    ["userName not an email", { userName: "jdoe", name: { givenName: "A", familyName: "B" } }, "userName must be an email address"],
    ["userName with no domain dot", { userName: "jdoe@localhost", name: { givenName: "A", familyName: "B" } }, "userName must be an email address"],
    ["userName with a space", { userName: "j doe@example.com", name: { givenName: "A", familyName: "B" } }, "userName must be an email address"],
    ["name missing", { userName: "a@example.com" }, "name.givenName and name.familyName are required"],
    ["familyName missing", { userName: "a@example.com", name: { givenName: "A" } }, "name.familyName is required"],
    ["givenName missing", { userName: "a@example.com", name: { familyName: "B" } }, "name.givenName is required"],
    ["givenName empty", { userName: "a@example.com", name: { givenName: "", familyName: "B" } }, "name.givenName is required"],
    ["givenName over 60 characters", { userName: "a@example.com", name: { givenName: longName, familyName: "B" } }, "name.givenName must be at most 60 characters"],
    ["familyName over 60 characters", { userName: "a@example.com", name: { givenName: "A", familyName: longName } }, "name.familyName must be at most 60 characters"],
    ["userType not a Qase tier", newUser("a@example.com", { userType: "admin" }), "userType must be one of regular, read-only, readonly, billing"],
    ["active not a boolean", newUser("a@example.com", { active: "yes" }), "active must be true or false"],
  ])("%s", async (_case, body, detail) => {
    expectQaseError(await qase.post("/Users", body), 400, "invalidValue", detail);
    const list = await qase.get(`/Users?filter=${encodeURIComponent('userName eq "a@example.com"')}`).expect(200);
    expect(list.body.totalResults).toBe(0);
  });

  it("accepts names of exactly 60 characters", async () => {
    const sixty = "y".repeat(60);
    const created = await createQaseUser(qase, "sixty@example.com", { name: { givenName: sixty, familyName: sixty } });
    expect(created.name).toStrictEqual({ givenName: sixty, familyName: sixty });
  });
});

describe("duplicate userName: Qase's 400, not RFC 7644's 409", () => {
  it("on POST", async () => {
    expectQaseError(await qase.post("/Users", newUser("taken@example.com")), 400, "invalidValue", "User name 'taken@example.com' is invalid: 'not unique'");
  });

  it("on POST, in another case", async () => {
    expectQaseError(await qase.post("/Users", newUser("TAKEN@example.com")), 400, "invalidValue", "User name 'TAKEN@example.com' is invalid: 'not unique'");
  });

  it("on PUT and PATCH, naming the userName asked for", async () => {
    const other = await createQaseUser(qase, "other@example.com");
    expectQaseError(await qase.put(`/Users/${other.id}`, newUser("taken@example.com")), 400, "invalidValue", "User name 'taken@example.com' is invalid: 'not unique'");
    expectQaseError(
      await qase.patch(`/Users/${other.id}`, patchOp({ op: "Replace", path: "userName", value: "taken@example.com" })),
      400,
      "invalidValue",
      "User name 'taken@example.com' is invalid: 'not unique'",
    );
    expectQaseError(
      await qase.patch(`/Users/${other.id}`, patchOp({ op: "replace", value: { userName: "taken@example.com" } })),
      400,
      "invalidValue",
      "User name 'taken@example.com' is invalid: 'not unique'",
    );
    expect((await qase.get(`/Users/${other.id}`).expect(200)).body.userName).toBe("other@example.com");
  });
});

describe("PUT /Users/{id}", () => {
  it.each([
    ["userName missing", { name: { givenName: "A", familyName: "B" } }, "userName is required"],
    ["userName not an email", { userName: "jdoe", name: { givenName: "A", familyName: "B" } }, "userName must be an email address"],
    ["givenName over 60 characters", newUser("taken@example.com", { name: { givenName: longName } }), "name.givenName must be at most 60 characters"],
    ["userType not a Qase tier", newUser("taken@example.com", { userType: "owner" }), "userType must be one of regular, read-only, readonly, billing"],
  ])("%s: 400 invalidValue, nothing changed", async (_case, body, detail) => {
    expectQaseError(await qase.put(`/Users/${user.id}`, body), 400, "invalidValue", detail);
    await expectUnchanged();
  });
});

describe("PATCH /Users/{id}", () => {
  it.each([
    ["emails", { op: "replace", path: "emails", value: [{ value: "x@example.com" }] }],
    ["Entra's work email", { op: "replace", path: 'emails[type eq "work"].value', value: "x@example.com" }],
    ["phoneNumbers", { op: "add", path: "phoneNumbers", value: [{ value: "+1 555" }] }],
    ["externalId", { op: "replace", path: "externalId", value: "ext" }],
    ["name.formatted", { op: "replace", path: "name.formatted", value: "X" }],
    ["the owner flag", { op: "replace", path: "urn:scim-server:params:scim:schemas:extension:qase:2.0:User:owner", value: true }],
    ["the qase extension", { op: "replace", path: "urn:scim-server:params:scim:schemas:extension:qase:2.0:User", value: { owner: true } }],
    ["an unknown attribute", { op: "replace", path: "favouriteColour", value: "blue" }],
    ["a path-less value with an unsupported key", { op: "replace", value: { active: false, nickName: "nick" } }],
    ["a path-less value with an unsupported name part", { op: "replace", value: { name: { middleName: "M" } } }],
  ])("an unsupported path (%s): 400 invalidPath, nothing changed", async (_case, operation) => {
    expectQaseError(await qase.patch(`/Users/${user.id}`, patchOp(operation)), 400, "invalidPath");
    await expectUnchanged();
  });

  it.each([
    ["userType not a Qase tier", { op: "Replace", path: "userType", value: "admin" }, "userType must be one of regular, read-only, readonly, billing"],
    ["givenName over 60 characters", { op: "Replace", path: "name.givenName", value: longName }, "name.givenName must be at most 60 characters"],
    ["familyName over 60 characters", { op: "replace", value: { name: { familyName: longName } } }, "name.familyName must be at most 60 characters"],
    ["userName empty", { op: "replace", path: "userName", value: "" }, "userName must not be empty"],
    ["userName not an email", { op: "replace", path: "userName", value: "jdoe" }, "userName must be an email address"],
    ["a path-less userName not an email", { op: "replace", value: { userName: "jdoe" } }, "userName must be an email address"],
    ["a path-less value that is no object", { op: "replace", value: false }, /without a path needs an object/],
  ])("%s: 400 invalidValue, nothing changed", async (_case, operation, detail) => {
    expectQaseError(await qase.patch(`/Users/${user.id}`, patchOp(operation)), 400, "invalidValue", detail);
    await expectUnchanged();
  });

  it("applies all operations or none", async () => {
    const response = await qase.patch(
      `/Users/${user.id}`,
      patchOp({ op: "replace", path: "title", value: "Changed" }, { op: "replace", path: "active", value: false }, { op: "replace", path: "emails", value: [] }),
    );
    expectQaseError(response, 400, "invalidPath");
    await expectUnchanged();
  });

  it.each([
    ["no Operations", { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"] }, 400, "invalidSyntax"],
    ["an unknown op", patchOp({ op: "move", path: "title", value: "x" }), 400, "invalidSyntax"],
    ["a remove without a path", patchOp({ op: "remove" }), 400, "noTarget"],
    ["removing userName", patchOp({ op: "remove", path: "userName" }), 400, "invalidValue"],
    ["active not a boolean", patchOp({ op: "replace", path: "active", value: "maybe" }), 400, "invalidValue"],
  ])("%s: 400, nothing changed", async (_case, body, status, scimType) => {
    expectQaseError(await qase.patch(`/Users/${user.id}`, body), status, scimType);
    await expectUnchanged();
  });
});

describe("GET /Users: bad queries", () => {
  it.each([
    ["a filter that does not parse", 'userName eq "unterminated', "invalidFilter"],
    ["an unknown operator", 'userName xx "a"', "invalidFilter"],
    ["an unknown attribute", 'nickname2 eq "a"', "invalidFilter"],
    ["id compared with a non-digit string", 'id eq "abc"', "invalidFilter"],
    ["id with a string operator", 'id co "1"', "invalidFilter"],
  ])("%s: 400 %s", async (_case, filter, scimType) => {
    expectQaseError(await qase.get(`/Users?filter=${encodeURIComponent(filter)}`), 400, scimType);
  });

  it.each([
    ["sortBy an unknown attribute", "sortBy=nickname2", "invalidValue"],
    ["sortBy id (storage sorts by core attributes only)", "sortBy=id", "invalidValue"],
    ["a sortOrder other than ascending/descending", "sortBy=userName&sortOrder=up", "invalidValue"],
    ["startIndex not a number", "startIndex=two", "invalidValue"],
    ["attributes and excludedAttributes together", "attributes=userName&excludedAttributes=title", "invalidValue"],
  ])("%s: 400 %s", async (_case, query, scimType) => {
    expectQaseError(await qase.get(`/Users?${query}`), 400, scimType);
  });
});

describe("unknown users: 404", () => {
  it.each(["999", "abc", "1.5", "-1", "00000000-0000-4000-8000-000000000000"])("/Users/%s", async (id) => {
    expectQaseError(await qase.get(`/Users/${id}`), 404);
    expectQaseError(await qase.put(`/Users/${id}`, newUser("ghost@example.com")), 404);
    expectQaseError(await qase.patch(`/Users/${id}`, patchOp({ op: "replace", path: "active", value: false })), 404);
    expectQaseError(await qase.delete(`/Users/${id}`), 404);
  });

  it("our SCIM id is not a Qase id", async () => {
    const scim = await app.client();
    const stored = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "taken@example.com"')}`).expect(200);
    expectQaseError(await qase.get(`/Users/${stored.body.Resources[0].id}`), 404);
  });
});

describe("media types and sizes (§1.3)", () => {
  const post = (contentType: string | undefined, body: string) => {
    const test = app.http().post(`${qaseBase}/Users`).set("Authorization", `Bearer ${qase.token}`);
    return (contentType === undefined ? test : test.set("Content-Type", contentType)).send(body);
  };

  it.each([
    ["text/plain", "text/plain"],
    ["a form", "application/x-www-form-urlencoded"],
    ["XML", "application/xml"],
  ])("a %s body: 415", async (_case, contentType) => {
    expectQaseError(await post(contentType, JSON.stringify(newUser("media@example.com"))), 415);
  });

  it("a body that is not JSON: 400 invalidSyntax", async () => {
    expectQaseError(await post("application/scim+json", '{"userName":'), 400, "invalidSyntax");
  });

  it.each([
    ["an array", "[]"],
    ["a string", '"user"'],
    ["empty", ""],
  ])("a body that is %s: 400", async (_case, body) => {
    const response = await post("application/scim+json", body);
    expectQaseError(response, 400, "invalidSyntax");
  });

  it("a body over 800000 bytes: 413", async () => {
    const body = JSON.stringify(newUser("big@example.com", { title: "t".repeat(800_001) }));
    expectQaseError(await post("application/scim+json", body), 413);
  });

  it("a body just under the limit is read", async () => {
    const body = JSON.stringify(newUser("almost-big@example.com", { nickName: "n".repeat(790_000) }));
    expect((await post("application/scim+json", body)).status).toBe(201);
  });
});

describe("routes and methods", () => {
  it.each([
    ["GET", "/Groups"],
    ["POST", "/Groups"],
    ["GET", "/Groups/1"],
    ["GET", "/Bulk"],
    ["GET", "/Me"],
    ["GET", "/NoSuchThing"],
    ["GET", "/Users/1/extra"],
  ])("%s %s: 404 (Groups are not served)", async (method, path) => {
    const request = app.http()[method.toLowerCase() as "get" | "post"](`${qaseBase}${path}`).set("Authorization", `Bearer ${qase.token}`);
    expectQaseError(await request, 404);
  });

  it("an unknown path below /compat/qase: 404 in the Qase format, no token needed", async () => {
    expectQaseError(await app.http().get("/compat/qase/api/v1/users"), 404);
    expectQaseError(await app.http().get("/compat/qase"), 404);
  });

  it.each([
    ["DELETE", "/Users", "GET, POST"],
    ["PUT", "/Users", "GET, POST"],
    ["PATCH", "/Users", "GET, POST"],
    ["POST", "/Users/1", "GET, PUT, PATCH, DELETE"],
    ["POST", "/ServiceProviderConfig", "GET"],
    ["DELETE", "/Schemas", "GET"],
  ])("%s %s: 405 with Allow: %s", async (method, path, allow) => {
    const request = app
      .http()
      [method.toLowerCase() as "delete" | "put" | "patch" | "post"](`${qaseBase}${path}`)
      .set("Authorization", `Bearer ${qase.token}`);
    const response = await request;
    expectQaseError(response, 405);
    expect(response.headers.allow).toBe(allow);
  });
});
