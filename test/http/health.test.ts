import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

// GET /healthz reports whether the database answers; it needs no token.
describe("GET /healthz", () => {
  it("answers 200 while the database is reachable", async () => {
    const response = await app.http().get("/healthz").expect(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.body).toStrictEqual({ status: "ok", database: "reachable" });
  });

  it("answers 503 when the database does not answer, and 200 again once it does", async () => {
    const probe = vi.spyOn(app.server.database.sql, "query").mockRejectedValueOnce(new Error("connection refused"));
    try {
      const response = await app.http().get("/healthz").expect(503);
      expect(response.body).toStrictEqual({ status: "unavailable", database: "unreachable" });
      expect(response.text).not.toContain("connection refused");
    } finally {
      probe.mockRestore();
    }
    await app.http().get("/healthz").expect(200);
  });

  it("ignores any Authorization header", async () => {
    await app.http().get("/healthz").set("Authorization", "Bearer not-a-token").expect(200);
  });
});
