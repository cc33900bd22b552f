import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";

// RFC 7644 §3.4.2.5: excludedAttributes=members (what Entra always sends) must not read the
// membership table at all, so that a group of any size costs the same to list or read.

let app: TestApp;
let scim: ScimClient;
let statements: string[] = [];
let groupId: string;

beforeAll(async () => {
  app = await startTestApp({}, pino({ level: "silent" }), { onQuery: (event) => statements.push(event.query) });
  scim = await app.client();
  const user = await scim.post("/Users", { userName: "member" }).expect(201);
  groupId = (await scim.post("/Groups", { displayName: "Readers", members: [{ value: user.body.id }] }).expect(201)).body.id;
});
afterAll(() => app.close());

const readsMembers = () => statements.some((sql) => /GroupMember/.test(sql));

describe("excludedAttributes=members", () => {
  it.each([
    ["GET /Groups", () => `/Groups?excludedAttributes=members`],
    ["GET /Groups/{id}", () => `/Groups/${groupId}?excludedAttributes=members`],
    ["GET /Groups with a filter", () => `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Readers"')}`],
    ["GET /Groups?attributes=displayName", () => `/Groups?attributes=displayName`],
  ])("%s does not read the membership table", async (_name, path) => {
    statements = [];
    const response = await scim.get(path()).expect(200);
    const resources = response.body.Resources ?? [response.body];
    expect(resources[0].displayName).toBe("Readers");
    expect(resources[0].members).toBeUndefined();
    expect(statements.length).toBeGreaterThan(0);
    expect(readsMembers()).toBe(false);
  });

  it("without it, members are read and returned", async () => {
    statements = [];
    const response = await scim.get(`/Groups/${groupId}`).expect(200);
    expect(response.body.members).toHaveLength(1);
    expect(readsMembers()).toBe(true);
  });
});
