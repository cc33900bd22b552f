import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";

// RFC 7644 §3.11: /Me is the user a token acts for.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe("/Me", () => {
  it("reads, patches and replaces the token's own user", async () => {
    const admin = await app.client();
    const created = await admin.post("/Users", { userName: "me-user", displayName: "Me" }).expect(201);
    const token = await app.token("acme", ["scim:read", "scim:write"], created.body.id);
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" };
    const read = await app.http().get("/scim/v2/Me").set(auth).expect(200);
    expect(read.body).toMatchObject({ id: created.body.id, userName: "me-user" });
    const patched = await app
      .http()
      .patch("/scim/v2/Me")
      .set(auth)
      .send(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "nickName", value: "Mimi" }] }))
      .expect(200);
    expect(patched.body.nickName).toBe("Mimi");
    const replaced = await app.http().put("/scim/v2/Me").set(auth).send(JSON.stringify({ userName: "me-user" })).expect(200);
    expect(replaced.body.displayName).toBeUndefined();
  });

  it("answers 501 for a token that acts for no user", async () => {
    const admin = await app.client();
    expectScimError(await admin.get("/Me"), 501);
  });

  it("answers 404 once the token's user is deleted, and never reaches another tenant", async () => {
    const other = await app.client("globex");
    const foreign = await other.post("/Users", { userName: "foreign" }).expect(201);
    const token = await app.token("acme", ["scim:read"], foreign.body.id);
    expectScimError(await app.http().get("/scim/v2/Me").set("Authorization", `Bearer ${token}`), 404);
  });
});
