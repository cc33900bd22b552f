import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

// GET /healthz: the process serves HTTP. GET /readyz: it can serve requests: the database answers
// and has every committed migration. Neither needs a token.
describe("GET /healthz and GET /readyz", () => {
  it("answer 200 while the database is reachable and migrated", async () => {
    const health = await app.http().get("/healthz").expect(200);
    expect(health.headers["content-type"]).toMatch(/^application\/json/);
    expect(health.body).toStrictEqual({ status: "ok" });
    const ready = await app.http().get("/readyz").expect(200);
    expect(ready.body).toStrictEqual({ status: "ready", database: "reachable", migrations: "applied" });
  });

  it("ignore any Authorization header", async () => {
    await app.http().get("/healthz").set("Authorization", "Bearer not-a-token").expect(200);
    await app.http().get("/readyz").set("Authorization", "Bearer not-a-token").expect(200);
  });

  it("/readyz answers 503 naming a committed migration the database lacks, and 200 once it has it again", async () => {
    const [row] = await app.server.database.sql.query<Record<string, unknown>>('SELECT * FROM "_prisma_migrations" ORDER BY "migration_name" DESC', []);
    const name = row!.migration_name as string;
    await app.server.database.sql.execute('DELETE FROM "_prisma_migrations" WHERE "migration_name" = ?', [name]);
    try {
      const response = await app.http().get("/readyz").expect(503);
      expect(response.body).toStrictEqual({ status: "unavailable", database: "reachable", migrations: { pending: [name] } });
      await app.http().get("/healthz").expect(200);
    } finally {
      const columns = Object.keys(row!);
      await app.server.database.sql.execute(
        `INSERT INTO "_prisma_migrations" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        columns.map((column) => row![column] as string | number | Date | null),
      );
    }
    await app.http().get("/readyz").expect(200);
  });
});

// The database goes away under a running server: PostgreSQL's database is dropped (its
// connections terminated), SQLite's connection is closed.
describe("GET /readyz when the database goes away", () => {
  let gone: TestApp;
  beforeAll(async () => {
    gone = await startTestApp();
  });
  afterAll(async () => {
    if (testDatabaseKind === "sqlite") await gone.database.drop();
    else await gone.close();
  });

  it("answers 503 without the database's error, while /healthz still answers 200", async () => {
    await gone.http().get("/readyz").expect(200);
    if (testDatabaseKind === "sqlite") await gone.server.database.close();
    else await gone.database.drop();
    const response = await gone.http().get("/readyz").expect(503);
    expect(response.body).toStrictEqual({ status: "unavailable", database: "unreachable" });
    await gone.http().get("/healthz").expect(200);
  });
});
