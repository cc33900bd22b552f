import express from "express";
import pino from "pino";
import request from "supertest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CompatCore } from "../../../src/compat/core.ts";
import { createPermApiRouter } from "../../../src/compat/perm-api/router.ts";
import type { RequestContext } from "../../../src/scim/context.ts";
import { GroupService } from "../../../src/scim/groups.ts";
import type { StoredGroup, WriteCondition } from "../../../src/scim/ports.ts";
import { coreServicesOver } from "../../../src/server.ts";
import { SqlGroupStore } from "../../../src/store/groups.ts";
import type { Sql } from "../../../src/store/driver/sql.ts";
import { transactionalUnitOfWork } from "../../../src/store/unit-of-work.ts";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";
import { createRole, permApi, uniqueEmail, type CreatedRole, type PermApiClient } from "./fixtures.ts";
import { schemaRegistry } from "../../support/schemas.ts";

// docs/compat/perm-api.md §5.3: a user's roles are memberships of several groups, so a create and
// an update take several core writes, run as one unit of work. When one of them fails, nothing is
// left half-done: the create leaves no user, the update leaves the memberships and the user's
// attributes as they were. The failures are injected into the group service of each unit of work
// the router is given, which is built on the unit's transaction as the server's is.

// The number of membership writes to let through before failing; undefined: never fail.
class Failure {
  failAfter: number | undefined;
  writes = 0;

  arm(failAfter: number | undefined): void {
    this.failAfter = failAfter;
    this.writes = 0;
  }
}

class FailingGroups extends GroupService {
  constructor(
    private readonly failure: Failure,
    ...services: ConstructorParameters<typeof GroupService>
  ) {
    super(...services);
  }

  override patch(context: RequestContext, id: string, body: unknown, condition: WriteCondition, withMembers: boolean): Promise<StoredGroup> {
    const failure = this.failure;
    if (failure.failAfter !== undefined && failure.writes >= failure.failAfter) {
      failure.failAfter = undefined;
      return Promise.reject(new Error("injected: the database went away"));
    }
    failure.writes += 1;
    return super.patch(context, id, body, condition, withMembers);
  }
}

let app: TestApp;
let scim: ScimClient;
let healthy: PermApiClient;
const groups = new Failure();
let failing: ReturnType<typeof request>;
let token: string;
let roles: CreatedRole[];

beforeAll(async () => {
  app = await startTestApp();
  scim = await app.client();
  token = await app.credential("perm-api");
  healthy = permApi(app, token);
  const over = (sql: Sql) => {
    const services = coreServicesOver(sql, app.server.served);
    return {
      users: services.users,
      groups: new FailingGroups(groups, new SqlGroupStore(sql), services.sequences, services.tenants, services.extensions),
    };
  };
  const core: CompatCore = {
    ...over(app.server.database.sql),
    unitOfWork: transactionalUnitOfWork(app.server.database.sql, over),
    tokens: app.server.tokens,
    keys: app.server.keys,
    tenants: app.server.tenants,
    registry: schemaRegistry,
    logger: pino({ level: "silent" }),
    settings: { maxBodyBytes: 1_048_576, defaultPageSize: 100, maxPageSize: 1000, filter: { maxLength: 4096, maxDepth: 16, maxTerms: 64 } },
  };
  const server = express();
  server.use("/compat/perm-api", createPermApiRouter(core));
  failing = request(server);
  roles = [await createRole(scim, "One", ["one"]), await createRole(scim, "Two", ["two"]), await createRole(scim, "Three", ["three"])];
});
afterAll(() => app.close());
beforeEach(() => groups.arm(undefined));

const memberIds = async (role: CreatedRole): Promise<string[]> =>
  (((await scim.get(`/Groups/${role.groupId}`).expect(200)).body.members ?? []) as { value: string }[]).map((member) => member.value).sort();
const allMembers = () => Promise.all(roles.map(memberIds));
const send = (method: "post" | "patch", path: string, body: unknown) =>
  failing[method](`/compat/perm-api${path}`).set("Authorization", `Bearer ${token}`).set("Content-Type", "application/json").send(JSON.stringify(body));

describe("§4.2 create: a membership write that fails", () => {
  it("deletes the user created, removes the memberships already written, and answers DRF's 500", async () => {
    const email = uniqueEmail("undone");
    const before = await allMembers();
    groups.arm(1);
    const response = await send("post", "/api/v2/user", { email, password: "pw", groups: roles.map((role) => role.roleId) });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ detail: "A server error occurred." });
    const found = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`).expect(200);
    expect(found.body.totalResults).toBe(0);
    expect(await allMembers()).toEqual(before);
    await healthy.post("/api/v2/user", { email, password: "pw" }).expect(201);
  });
});

describe("§4.5 update: a membership write that fails", () => {
  it("changes back the memberships already changed and leaves the user's attributes alone", async () => {
    const user = (await healthy.post("/api/v2/user", { email: uniqueEmail("p2"), password: "pw", first_name: "Before", groups: [roles[0]?.roleId] }).expect(201)).body;
    const before = await allMembers();
    groups.arm(2);
    const response = await send("patch", `/api/v2/user/${user.id}`, { first_name: "After", groups: [roles[1]?.roleId, roles[2]?.roleId] });
    expect(response.status).toBe(500);
    expect(await allMembers()).toEqual(before);
    expect((await healthy.get(`/api/v2/user/${user.id}`).expect(200)).body).toEqual(user);
  });

  it("a user write that fails after the memberships changed puts them back (duplicate email)", async () => {
    const taken = (await healthy.post("/api/v2/user", { email: uniqueEmail("taken"), password: "pw" }).expect(201)).body;
    const user = (await healthy.post("/api/v2/user", { email: uniqueEmail("p2b"), password: "pw", groups: [roles[0]?.roleId] }).expect(201)).body;
    const before = await allMembers();
    const response = await send("patch", `/api/v2/user/${user.id}`, { email: taken.email, groups: [roles[1]?.roleId] });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ email: ["user with this email already exists."] });
    expect(await allMembers()).toEqual(before);
    expect((await healthy.get(`/api/v2/user/${user.id}`).expect(200)).body).toEqual(user);
  });
});

// Read from the database itself: a unit of work that fails commits no row, moves no version and
// takes no sequence number (a write taken back by a later one would have done all three).
describe("§5.3 in the database: a failed create or update leaves no trace", () => {
  const tenantRows = async () => {
    const { id } = await app.server.tenants.ensure("acme");
    const sql = app.server.database.sql;
    return {
      users: await sql.query('SELECT "id", "version", "doc", "passwordHash" FROM "User" WHERE "tenantId" = ? ORDER BY "id"', [id]),
      groups: await sql.query('SELECT "id", "version", "doc" FROM "Group" WHERE "tenantId" = ? ORDER BY "id"', [id]),
      members: await sql.query('SELECT "groupId", "memberId" FROM "GroupMember" WHERE "tenantId" = ? ORDER BY "groupId", "memberId"', [id]),
      sequences: await sql.query('SELECT "name", "last" FROM "Sequence" WHERE "tenantId" = ? ORDER BY "name"', [id]),
    };
  };

  it("a create whose last membership fails", async () => {
    const before = await tenantRows();
    groups.arm(2);
    const response = await send("post", "/api/v2/user", { email: uniqueEmail("trace"), password: "pw", groups: roles.map((role) => role.roleId) });
    expect(response.status).toBe(500);
    expect(await tenantRows()).toEqual(before);
  });

  it("an update whose user write fails after its memberships and password were written", async () => {
    const taken = (await healthy.post("/api/v2/user", { email: uniqueEmail("taken2"), password: "pw" }).expect(201)).body;
    const user = (await healthy.post("/api/v2/user", { email: uniqueEmail("trace2"), password: "pw", groups: [roles[0]?.roleId] }).expect(201)).body;
    const before = await tenantRows();
    const response = await send("patch", `/api/v2/user/${user.id}`, { email: taken.email, password: "changed", groups: [roles[1]?.roleId, roles[2]?.roleId] });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ email: ["user with this email already exists."] });
    expect(await tenantRows()).toEqual(before);
  });
});
