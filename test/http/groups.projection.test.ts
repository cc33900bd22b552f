import pino from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.ts";
import { buildServer, type Server } from "../../src/server.ts";
import type { QueryEvent } from "../../src/store/database.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

// RFC 7644 §3.4.2.5: excludedAttributes=members (what Entra always sends) must not read the
// membership table at all, so that a group of any size costs the same to list or read.

let database: TestDatabase;
let server: Server;
let statements: string[] = [];
let auth: Record<string, string>;
let groupId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await buildServer(readConfig({ DATABASE_URL: database.url }), pino({ level: "silent" }), {
    onQuery: (event: QueryEvent) => statements.push(event.query),
  });
  const tenant = await server.tenants.ensure("acme");
  const { token } = await server.tokens.issue({ tenantId: tenant.id, scopes: ["scim:read", "scim:write"] });
  auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" };
  const user = await request(server.app).post("/scim/v2/Users").set(auth).send(JSON.stringify({ userName: "member" })).expect(201);
  const group = await request(server.app)
    .post("/scim/v2/Groups")
    .set(auth)
    .send(JSON.stringify({ displayName: "Readers", members: [{ value: user.body.id }] }))
    .expect(201);
  groupId = group.body.id;
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const readsMembers = () => statements.some((sql) => /GroupMember/.test(sql));

describe("excludedAttributes=members", () => {
  it.each([
    ["GET /Groups", () => `/scim/v2/Groups?excludedAttributes=members`],
    ["GET /Groups/{id}", () => `/scim/v2/Groups/${groupId}?excludedAttributes=members`],
    ["GET /Groups with a filter", () => `/scim/v2/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Readers"')}`],
    ["GET /Groups?attributes=displayName", () => `/scim/v2/Groups?attributes=displayName`],
  ])("%s does not read the membership table", async (_name, path) => {
    statements = [];
    const response = await request(server.app).get(path()).set(auth).expect(200);
    const resources = response.body.Resources ?? [response.body];
    expect(resources[0].displayName).toBe("Readers");
    expect(resources[0].members).toBeUndefined();
    expect(statements.length).toBeGreaterThan(0);
    expect(readsMembers()).toBe(false);
  });

  it("without it, members are read and returned", async () => {
    statements = [];
    const response = await request(server.app).get(`/scim/v2/Groups/${groupId}`).set(auth).expect(200);
    expect(response.body.members).toHaveLength(1);
    expect(readsMembers()).toBe(true);
  });
});
