import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe("users round trip", () => {
  it("creates, reads, replaces and deletes a user", async () => {
    const scim = await app.client();
    const created = await scim.post("/Users", { userName: "bjensen", name: { givenName: "Barbara" } }).expect(201);
    expect(created.headers.location).toBe(created.body.meta.location);
    const id = created.body.id as string;
    await scim.get(`/Users/${id}`).expect(200);
    const replaced = await scim.put(`/Users/${id}`, { userName: "bjensen", displayName: "Babs" }).expect(200);
    expect(replaced.body.name).toBeUndefined();
    expect(replaced.body.displayName).toBe("Babs");
    await scim.delete(`/Users/${id}`).expect(204);
    await scim.get(`/Users/${id}`).expect(404);
  });
});
