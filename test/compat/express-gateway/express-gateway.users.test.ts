import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { egUserListSchema, egUserSchema } from "../../../src/compat/express-gateway/contract.ts";
import type { TestApp } from "../../support/app.ts";
import { dateString, startEgApp, steve, steveCreated, type EgClient } from "./express-gateway.fixture.ts";

// docs/compat/express-gateway.md §3 and §4: the endpoints, happy paths.

let app: TestApp;
let eg: EgClient;
beforeAll(async () => {
  ({ app, eg } = await startEgApp());
});
afterAll(() => app.close());

describe("POST /users (§4.3)", () => {
  it("answers 200 (not 201) with the user of §3.1", async () => {
    const response = await eg.post("/users", steve);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(egUserSchema.parse(response.body)).toEqual(
      steveCreated(expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)),
    );
    expect(Object.keys(response.body)).toEqual(["username", "id", "email", "firstname", "lastname", "isActive", "redirectUri", "createdAt", "updatedAt"]);
    expect(response.body.createdAt).toBe(response.body.updatedAt);
    expect(new Date(response.body.createdAt).toString()).toBe(response.body.createdAt);
    expect(Math.abs(Date.parse(response.body.createdAt) - Date.now())).toBeLessThan(60_000);
  });

  it("omits email and redirectUri when they are not set, and never returns a password", async () => {
    const response = await eg.post("/users", { username: "plain", firstname: "Plain", lastname: "User", password: "Secret-123" }).expect(200);
    expect(Object.keys(response.body).sort()).toEqual(["createdAt", "firstname", "id", "isActive", "lastname", "updatedAt", "username"]);
    expect(response.text).not.toContain("Secret-123");
  });

  it("coerces types as ajv does: \"username\": 42 becomes \"42\"", async () => {
    const response = await eg.post("/users", { username: 42, firstname: true, lastname: 7.5 }).expect(200);
    expect(response.body).toMatchObject({ username: "42", firstname: "true", lastname: "7.5" });
  });

  it("ignores a client id, isActive and unknown properties", async () => {
    const id = "47bc9fa2-f245-4b47-9cb4-29b8ccb49728";
    const response = await eg
      .post("/users", { username: "ignorer", firstname: "I", lastname: "G", id, isActive: false, createdAt: "yesterday", favouriteColour: "blue" })
      .expect(200);
    expect(response.body.id).not.toBe(id);
    expect(response.body.isActive).toBe(true);
    expect(response.body).not.toHaveProperty("favouriteColour");
    expect(response.body.createdAt).not.toBe("yesterday");
    await eg.get(`/users/${response.body.id}`).expect(200);
    await eg.get(`/users/${id}`).expect(404);
  });

  it("lets two users share an email (only username is unique)", async () => {
    await eg.post("/users", { username: "twin-a", firstname: "T", lastname: "A", email: "twins@example.com" }).expect(200);
    await eg.post("/users", { username: "twin-b", firstname: "T", lastname: "B", email: "twins@example.com" }).expect(200);
  });
});

describe("GET /users/:idOrUsername (§4.4)", () => {
  let steveId: string;
  beforeAll(async () => {
    steveId = (await eg.get("/users/steve").expect(200)).body.id;
  });

  it("finds a user by username and by id, with the same body", async () => {
    const byName = await eg.get("/users/steve").expect(200);
    const byId = await eg.get(`/users/${steveId}`).expect(200);
    expect(byId.body).toEqual(byName.body);
    expect(byName.body).toMatchObject({ username: "steve", firstname: "Steve", lastname: "Brown", isActive: true });
  });

  it("compares usernames case-sensitively", async () => {
    const response = await eg.get("/users/STEVE").expect(404);
    expect(response.text).toBe("User not found: STEVE");
  });

  it("prefers the username when a username equals another user's id", async () => {
    const impostor = await eg.post("/users", { username: steveId, firstname: "Im", lastname: "Postor" }).expect(200);
    const response = await eg.get(`/users/${steveId}`).expect(200);
    expect(response.body.id).toBe(impostor.body.id);
    expect(response.body.firstname).toBe("Im");
    await eg.delete(`/users/${impostor.body.id}`).expect(204);
    expect((await eg.get(`/users/${steveId}`).expect(200)).body.username).toBe("steve");
  });

  it("decodes an encodeURIComponent-ed username", async () => {
    await eg.post("/users", { username: "a b/c@d", firstname: "E", lastname: "N" }).expect(200);
    const response = await eg.get(`/users/${encodeURIComponent("a b/c@d")}`).expect(200);
    expect(response.body.username).toBe("a b/c@d");
  });
});

describe("PUT /users/:idOrUsername (§4.5)", () => {
  it("merges the properties given and re-reads the user", async () => {
    const before = (await eg.post("/users", { username: "merge", firstname: "Old", lastname: "Name", email: "old@example.com" }).expect(200)).body;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const response = await eg.put("/users/merge", { email: "new@example.com", redirectUri: "https://cb.example.com/x" }).expect(200);
    expect(response.body).toEqual({
      ...before,
      email: "new@example.com",
      redirectUri: "https://cb.example.com/x",
      updatedAt: expect.stringMatching(dateString),
    });
    expect(Date.parse(response.body.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    expect((await eg.get("/users/merge").expect(200)).body).toEqual(response.body);
  });

  it("accepts the documented update body on the user's id", async () => {
    const id = (await eg.post("/users", { username: "documented-put", firstname: "S", lastname: "P" }).expect(200)).body.id;
    const response = await eg
      .put(`/users/${id}`, { email: "steve.brown@example.com", firstname: "Steve", lastname: "Brown", redirectUri: "http://example.com" })
      .expect(200);
    expect(response.body).toMatchObject({ username: "documented-put", id, email: "steve.brown@example.com", firstname: "Steve", lastname: "Brown", redirectUri: "http://example.com" });
  });

  it("drops username silently (no rename)", async () => {
    await eg.post("/users", { username: "keepname", firstname: "K", lastname: "N" }).expect(200);
    const response = await eg.put("/users/keepname", { username: "renamed", firstname: "Kept" }).expect(200);
    expect(response.body).toMatchObject({ username: "keepname", firstname: "Kept" });
    await eg.get("/users/renamed").expect(404);
  });

  it("treats an empty body as a no-op that returns the user", async () => {
    const before = (await eg.post("/users", { username: "noop", firstname: "N", lastname: "O" }).expect(200)).body;
    const response = await eg.put("/users/noop").expect(200);
    expect(response.body).toEqual(before);
    expect((await eg.put("/users/noop", { username: "ignored" }).expect(200)).body).toEqual(before);
  });

  it("does not check formats on update, as upstream", async () => {
    await eg.post("/users", { username: "loose", firstname: "L", lastname: "O" }).expect(200);
    const response = await eg.put("/users/loose", { email: "not-an-email" }).expect(200);
    expect(response.body.email).toBe("not-an-email");
  });

  it("unassigns a property given as an empty string", async () => {
    await eg.post("/users", { username: "clear", firstname: "C", lastname: "L", email: "c@example.com", redirectUri: "http://x.example" }).expect(200);
    const response = await eg.put("/users/clear", { email: "", redirectUri: "" }).expect(200);
    expect(response.body).not.toHaveProperty("email");
    expect(response.body).not.toHaveProperty("redirectUri");
  });
});

describe("PUT and DELETE /users/:idOrUsername/status (§4.7)", () => {
  it("deactivates, reports no change, activates, reports no change", async () => {
    await eg.post("/users", { username: "toggle", firstname: "T", lastname: "G" }).expect(200);
    expect((await eg.put("/users/toggle/status", { status: false }).expect(200)).body).toEqual({ status: "Deactivated" });
    expect((await eg.get("/users/toggle").expect(200)).body.isActive).toBe(false);
    expect((await eg.put("/users/toggle/status", { status: false }).expect(200)).body).toEqual({ status: "Inactive" });
    expect((await eg.put("/users/toggle/status", { status: true }).expect(200)).body).toEqual({ status: "Activated" });
    expect((await eg.get("/users/toggle").expect(200)).body.isActive).toBe(true);
    expect((await eg.put("/users/toggle/status", { status: true }).expect(200)).body).toEqual({ status: "Active" });
  });

  it("serves the documented DELETE form as an alias", async () => {
    const id = (await eg.post("/users", { username: "alias", firstname: "A", lastname: "L" }).expect(200)).body.id;
    expect((await eg.delete(`/users/${id}/status`, { status: false }).expect(200)).body).toEqual({ status: "Deactivated" });
    expect((await eg.delete("/users/alias/status", { status: true }).expect(200)).body).toEqual({ status: "Activated" });
    expect((await eg.delete("/users/alias/status", { status: true }).expect(200)).body).toEqual({ status: "Active" });
  });

  it("keeps upstream's strict comparison: anything but true deactivates", async () => {
    await eg.post("/users", { username: "strict", firstname: "S", lastname: "T" }).expect(200);
    expect((await eg.put("/users/strict/status", { status: "true" }).expect(200)).body).toEqual({ status: "Deactivated" });
    expect((await eg.put("/users/strict/status", { status: true }).expect(200)).body).toEqual({ status: "Activated" });
    expect((await eg.put("/users/strict/status").expect(200)).body).toEqual({ status: "Deactivated" });
    expect((await eg.put("/users/strict/status", { status: "true" }).expect(200)).body).toEqual({ status: "Deactivated" });
    expect((await eg.get("/users/strict").expect(200)).body.isActive).toBe(false);
  });
});

describe("DELETE /users/:idOrUsername (§4.6)", () => {
  it("answers 204 with no body; the user is gone", async () => {
    await eg.post("/users", { username: "gone", firstname: "G", lastname: "O" }).expect(200);
    const response = await eg.delete("/users/gone");
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    const after = await eg.get("/users/gone").expect(404);
    expect(after.text).toBe("User not found: gone");
    expect((await eg.delete("/users/gone").expect(404)).text).toBe("User not found: gone");
  });

  it("frees the username for a new user", async () => {
    await eg.post("/users", { username: "reborn", firstname: "R", lastname: "B" }).expect(200);
    await eg.delete("/users/reborn").expect(204);
    await eg.post("/users", { username: "reborn", firstname: "R", lastname: "B" }).expect(200);
  });
});

describe("GET /users (§4.2)", () => {
  it("lists users with nextKey 0 when all fit, inactive ones included", async () => {
    await eg.post("/users", { username: "sleeper", firstname: "S", lastname: "L" }).expect(200);
    await eg.put("/users/sleeper/status", { status: false }).expect(200);
    const response = await eg.get("/users").expect(200);
    const list = egUserListSchema.parse(response.body);
    expect(list.nextKey).toBe(0);
    expect(list.users.find((user) => user.username === "sleeper")?.isActive).toBe(false);
    expect(list.users.find((user) => user.username === "steve")).toMatchObject({ email: "steve@example.com", isActive: true });
  });
});
