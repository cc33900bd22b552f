import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { readConfig } from "../../src/config.ts";
import { routesOf } from "../../src/http/routes.ts";
import { buildServer, type Server } from "../../src/server.ts";
import { bytebaseUserSchema } from "../../src/compat/bytebase/extension.ts";
import { permGroupsGroupSchema } from "../../src/compat/perm-api/extension.ts";
import { qaseUserSchema } from "../../src/compat/qase/extension.ts";
import { vyteUserSchema } from "../../src/compat/vyte/extension.ts";
import { enterpriseUserUrn, groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import type { Sql } from "../../src/store/driver/sql.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { scimBody } from "../support/responses.ts";

// Reading never writes (issue #16): no GET on any surface, nor a read sent as POST (/.search, a
// Bytebase sign-in), changes any resource's version, lastModified or representation. Product ids
// exist from the moment a resource does: assigned when it is created, through any surface, or when
// its tenant enables the API that brings them.

const apis = ["bytebase", "vyte", "perm-api", "qase", "express-gateway"] as const;
const bytebase = bytebaseUserSchema.id;
const qase = qaseUserSchema.id;
const vyte = vyteUserSchema.id;
const roles = permGroupsGroupSchema.id;

// Every row of the tables resources live in, in a stable order.
async function snapshot(sql: Sql): Promise<string> {
  const tables: Array<[string, string]> = [
    ["User", `SELECT "id", "tenantId", "version", "lastModified", "doc", "passwordHash" FROM "User" ORDER BY "id"`],
    ["Group", `SELECT "id", "tenantId", "version", "lastModified", "doc" FROM "Group" ORDER BY "id"`],
    ["GroupMember", `SELECT * FROM "GroupMember" ORDER BY "groupId", "memberId"`],
    ["UserValue", `SELECT "userId", "attr", "pos", "value" FROM "UserValue" ORDER BY "userId", "attr", "pos"`],
    ["ExtensionValue", `SELECT "userId", "groupId", "attr", "pos", "value", "num" FROM "ExtensionValue" ORDER BY "userId", "groupId", "attr", "pos"`],
    ["Sequence", `SELECT * FROM "Sequence" ORDER BY "tenantId", "name"`],
    ["Tenant", `SELECT "id", "compatApis" FROM "Tenant" ORDER BY "id"`],
  ];
  const parts: Record<string, unknown> = {};
  for (const [name, text] of tables) parts[name] = await sql.query(text, []);
  return JSON.stringify(parts, (_key, value) => (typeof value === "bigint" ? Number(value) : value));
}

const patchOp = (...Operations: unknown[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });

describe("every read route of every surface", () => {
  let app: TestApp;
  let scim: ScimClient;
  const auth: Record<string, string> = {};
  // Values a path parameter may take: every id and name a surface may address a resource by.
  const candidates = new Set<string>();

  beforeAll(async () => {
    app = await startTestApp();
    scim = await app.client("acme");
    auth.scim = `Bearer ${scim.token}`;
    auth.bytebase = `Bearer ${await app.credential("bytebase")}`;
    auth.vyte = await app.credential("vyte");
    auth["perm-api"] = `Bearer ${await app.credential("perm-api")}`;
    auth.qase = `Bearer ${await app.credential("qase")}`;
    auth["express-gateway"] = `apiKey ${await app.credential("express-gateway")}`;
    const { id: organization } = await app.server.tenants.ensure("acme");

    // Written through SCIM only, as Okta and Entra write: a manager, reports, nested groups.
    const boss = scimBody(await scim.post("/Users", { userName: "boss@example.com", displayName: "Boss", password: "Secret-123!" }).expect(201));
    const worker = scimBody(
      await scim
        .post("/Users", {
          schemas: [userUrn, enterpriseUserUrn],
          userName: "worker@example.com",
          emails: [{ value: "worker@example.com", type: "work", primary: true }],
          [enterpriseUserUrn]: { manager: { value: boss.id }, department: "Ops" },
        })
        .expect(201),
    );
    auth.me = `Bearer ${await app.token("acme", ["scim:read", "scim:write"], boss.id)}`;
    const team = scimBody(await scim.post("/Groups", { schemas: [groupUrn], displayName: "Team", members: [{ value: worker.id }] }).expect(201));
    scimBody(await scim.post("/Groups", { schemas: [groupUrn], displayName: "Org", members: [{ value: team.id }, { value: boss.id }] }).expect(201));
    // ...and through each compat API.
    const http = () => app.http();
    await http().post("/compat/bytebase/v1/users").set("Authorization", auth.bytebase).send({ email: "bb@example.com", title: "BB", userType: "USER" }).expect(200);
    await http().post("/compat/bytebase/v1/groups?group_email=bb-group@example.com").set("Authorization", auth.bytebase)
      .send({ title: "BB group", members: [{ member: "users/bb@example.com", role: "OWNER" }] }).expect(200);
    await http().post("/compat/vyte/v2/users").set("Authorization", auth.vyte)
      .send({ organization, user: { first_name: "Vy", last_name: "Te", email: "vyte@example.com" } }).expect(200);
    await http().post("/compat/perm-api/api/v2/user").set("Authorization", auth["perm-api"])
      .send({ email: "perm@example.com", first_name: "Perm", last_name: "Api", password: "Secret-123!" }).expect(201);
    await http().post("/compat/qase/scim/v2/Users").set("Authorization", auth.qase).set("Content-Type", "application/scim+json")
      .send(JSON.stringify({ schemas: [userUrn], userName: "qase@example.com", name: { givenName: "Q", familyName: "A" } })).expect(201);
    await http().post("/compat/express-gateway/users").set("Authorization", auth["express-gateway"])
      .send({ username: "gateway", firstname: "Express", lastname: "Gateway", email: "gateway@example.com" }).expect(200);
    // A change after creation, so that versions are not all 1.
    await scim.patch(`/Groups/${team.id}`, patchOp({ op: "replace", path: "displayName", value: "Team A" })).expect(200);

    for (const user of scimBody(await scim.get("/Users?count=100").expect(200)).Resources as Array<Record<string, any>>) {
      for (const value of [user.id, user.userName, user[bytebase]?.uid, `users/${user[bytebase]?.uid}`, user[vyte]?.objectId, user[qase]?.numericId]) {
        if (value !== undefined) candidates.add(String(value));
      }
    }
    for (const group of scimBody(await scim.get("/Groups?count=100").expect(200)).Resources as Array<Record<string, any>>) {
      for (const value of [group.id, group.displayName, group[roles]?.roleId, ...Object.values(group).flatMap((section) =>
        typeof section === "object" && section !== null && !Array.isArray(section) ? Object.values(section).filter((v) => typeof v === "string" || typeof v === "number") : [])]) {
        if (value !== undefined) candidates.add(String(value));
      }
    }
    for (const name of ["User", "Group", userUrn, groupUrn, enterpriseUserUrn, "gateway", "bb-group@example.com"]) candidates.add(name);
    // The admin API addresses the tenant by name, and its log entries, subscriptions and the
    // console's files by their own ids.
    auth.admin = `Bearer ${(await app.server.adminCredentials.issue()).credential}`;
    const { subscription } = await app.server.subscriptions.create({ tenantId: organization, format: "webhook", url: "http://127.0.0.1:9/hook", types: [], audience: null, retryForSeconds: 60 });
    candidates.add(subscription.id);
    const log = await http().get("/admin/v1/tenants/acme/log?limit=3").set("Authorization", auth.admin).expect(200);
    for (const entry of log.body.data as { id: string }[]) candidates.add(entry.id);
    candidates.add("console.js");
  });
  afterAll(() => app.close());

  function authFor(path: string): string {
    if (path.startsWith("/admin/")) return auth.admin as string;
    const api = apis.find((name) => path.startsWith(`/compat/${name}/`));
    // /Me answers for the user a token names (RFC 7644 §3.11).
    return auth[api ?? (path === "/scim/v2/Me" ? "me" : "scim")] as string;
  }

  // Every path the route answers for a GET: its parameters filled with each candidate (the admin
  // API's tenant with the tenant's name).
  function pathsOf(template: string): string[] {
    const names = template.match(/:\w+/g) ?? [];
    if (names.length === 0) return [template];
    return [...candidates].map((value) => names.reduce((path, name) => path.replace(name, encodeURIComponent(name === ":tenant" ? "acme" : value)), template));
  }

  it("leaves every resource as it was, and each route answers some of its reads", async () => {
    const sql = app.server.database.sql;
    const before = await snapshot(sql);
    expect(before).toContain(bytebase);
    const routes = routesOf(app.server.app);
    const reads = routes.filter((route) => route.methods.includes("GET"));
    expect(reads.length).toBeGreaterThan(40);
    const unanswered: string[] = [];
    for (const route of reads) {
      let answered = 0;
      const queries = route.path.endsWith("/Users") || route.path.endsWith("/users") || route.path.endsWith("/Groups") ? ["", "?count=2&startIndex=2", "?showDeleted=true"] : [""];
      for (const path of pathsOf(route.path)) {
        for (const query of queries) {
          const response = await app.http().get(`${path}${query}`).set("Authorization", authFor(path));
          expect(response.status, `GET ${path}${query}`).toBeLessThan(500);
          if (response.status < 300) answered++;
        }
      }
      if (answered === 0) unanswered.push(route.path);
      expect(await snapshot(sql), `GET ${route.path} changed a resource`).toBe(before);
    }
    expect(unanswered).toStrictEqual([]);

    // Reads sent as POST.
    for (const [path, filter] of [["/scim/v2/.search", "userName pr or displayName pr"], ["/scim/v2/Users/.search", "userName pr"], ["/scim/v2/Groups/.search", "displayName pr"]]) {
      await app.http().post(path as string).set("Authorization", auth.scim).set("Content-Type", "application/scim+json")
        .send(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter })).expect(200);
    }
    await app.http().post("/compat/bytebase/v1/auth/login").send({ email: "boss@example.com", password: "Secret-123!" }).expect(200);
    expect(await snapshot(sql), "a search or a sign-in changed a resource").toBe(before);
  });
});

describe("product ids", () => {
  let app: TestApp;
  let scim: ScimClient;
  let tenantId: string;
  beforeAll(async () => {
    app = await startTestApp();
    scim = await app.client("later");
    tenantId = (await app.server.tenants.ensure("later")).id;
  });
  afterAll(() => app.close());

  it("are given to a tenant's existing resources when it enables an API, oldest first, as one new version each", async () => {
    const users = [];
    for (const name of ["first", "second", "third"]) users.push(scimBody(await scim.post("/Users", { userName: `${name}@example.com` }).expect(201)));
    const group = scimBody(await scim.post("/Groups", { displayName: "Early", members: [{ value: users[0].id }] }).expect(201));
    expect(users[0].schemas).toStrictEqual([userUrn]);

    await app.server.tenants.enableApi(tenantId, "bytebase");
    await app.server.tenants.enableApi(tenantId, "perm-api");
    const read = await Promise.all(users.map(async (user) => scimBody(await scim.get(`/Users/${user.id}`).expect(200))));
    expect(read.map((user) => user[bytebase])).toStrictEqual([{ uid: 101 }, { uid: 102 }, { uid: 103 }]);
    expect(read.map((user) => user.meta.version)).toStrictEqual(['W/"2"', 'W/"2"', 'W/"2"']);
    const roled = scimBody(await scim.get(`/Groups/${group.id}`).expect(200));
    expect(roled[roles]).toStrictEqual({ roleId: 1 });
    expect(roled.meta.version).toBe('W/"2"');
    // Filterable at once: the ids are indexed as they are assigned.
    const found = scimBody(await scim.get(`/Users?filter=${encodeURIComponent(`${bytebase}:uid eq 102`)}`).expect(200));
    expect(found.Resources.map((user: { userName: string }) => user.userName)).toStrictEqual(["second@example.com"]);

    // Enabling an API twice changes nothing.
    await app.server.tenants.enableApi(tenantId, "bytebase");
    expect(scimBody(await scim.get(`/Users/${users[0].id}`).expect(200)).meta.version).toBe('W/"2"');
    // Created afterwards: the ids come with the create.
    const later = scimBody(await scim.post("/Users", { userName: "fourth@example.com" }).expect(201));
    expect(later[bytebase]).toStrictEqual({ uid: 104 });
    expect(later.meta.version).toBe('W/"1"');
  });

  it("reach a resource created by a server that had not yet seen the API enabled by another", async () => {
    const second: Server = await buildServer(readConfig({ DATABASE_URL: app.database.url }), pino({ level: "silent" }));
    try {
      const tenant = (await app.server.tenants.ensure("shared")).id;
      const client = await app.client("shared");
      // This server remembers the tenant without Qase...
      scimBody(await client.post("/Users", { userName: "before@example.com" }).expect(201));
      expect((await app.server.tenants.compatApis(tenant)).includes("qase")).toBe(false);
      // ...while the other enables it.
      await second.tenants.enableApi(tenant, "qase");
      const created = scimBody(await client.post("/Users", { userName: "after@example.com" }).expect(201));
      expect(created[qase]).toStrictEqual({ numericId: 2 });
      const before = scimBody(await client.get(`/Users?filter=${encodeURIComponent('userName eq "before@example.com"')}`).expect(200)).Resources[0];
      expect(before[qase]).toStrictEqual({ numericId: 1 });
    } finally {
      await second.close();
    }
  });

  it("reach every user of creates that run while the API is being enabled", async () => {
    const tenant = (await app.server.tenants.ensure("racing")).id;
    const client = await app.client("racing");
    await app.server.tenants.compatApis(tenant);
    const creates = Array.from({ length: 40 }, (_, index) => client.post("/Users", { userName: `racer-${index}@example.com` }).expect(201));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await app.server.tenants.enableApi(tenant, "qase");
    await Promise.all(creates);
    const listed = scimBody(await client.get("/Users?count=100").expect(200)).Resources as Array<Record<string, any>>;
    expect(listed).toHaveLength(40);
    const numbers = listed.map((user) => user[qase]?.numericId as number).sort((a, b) => a - b);
    expect(numbers).toStrictEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  });

  it("are given once, at start, to the resources of tenants that enabled an API before they came with each create", async () => {
    const sql = app.server.database.sql;
    const client = await app.client("upgraded");
    const tenant = (await app.server.tenants.ensure("upgraded")).id;
    const user = scimBody(await client.post("/Users", { userName: "old@example.com" }).expect(201));
    // As a database of the previous release holds it: the API enabled, the user without its uid.
    await sql.execute(`UPDATE "Tenant" SET "compatApis" = 'bytebase' WHERE "id" = ?`, [tenant]);
    await sql.execute(`DELETE FROM "Setting" WHERE "key" = 'data/product-ids-assigned'`, []);

    for (let start = 0; start < 2; start++) {
      const server = await buildServer(readConfig({ DATABASE_URL: app.database.url }), pino({ level: "silent" }));
      await server.close();
    }
    const read = scimBody(await client.get(`/Users/${user.id}`).expect(200));
    expect(read[bytebase]).toStrictEqual({ uid: expect.any(Number) });
    expect(read.meta.version).toBe('W/"2"');
  });
});
