import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventText, type ChangeEvent } from "../../src/events/catalogue.ts";
import { enterpriseUserUrn, groupUrn, patchOpUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { eventsAfter } from "../../src/store/events.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";
import { egClient } from "../compat/express-gateway/express-gateway.fixture.ts";

// The outbox (docs/events.md): every committed change writes its events in its own transaction,
// a change that changes nothing writes none and keeps the version, and each tenant's events are
// numbered in commit order.

let app: TestApp;
let scim: ScimClient;
const statements: string[] = [];
beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: "https://scim.example.com" }, undefined, { onQuery: (event) => statements.push(event.query) });
  scim = await app.client("outbox");
});
afterAll(() => app.close());

const patchOp = (...operations: unknown[]) => ({ schemas: [patchOpUrn], Operations: operations });

async function tenantIdOf(name: string): Promise<string> {
  return (await app.server.tenants.ensure(name)).id;
}

// The tenant's events after `after`, as delivered.
async function eventsOf(tenant: string, after = 0): Promise<ChangeEvent[]> {
  const rows = await eventsAfter(app.server.database.sql, await tenantIdOf(tenant), after, 100_000);
  return rows.map((row) => JSON.parse(eventText(row, tenant)) as ChangeEvent);
}

async function lastSequence(tenant: string): Promise<number> {
  return (await eventsOf(tenant)).at(-1)?.sequence ?? 0;
}

// What a request added to the tenant's events.
async function eventsOfRequest(tenant: string, request: () => Promise<unknown>): Promise<ChangeEvent[]> {
  const before = await lastSequence(tenant);
  await request();
  return eventsOf(tenant, before);
}

describe(`change events in the outbox (${testDatabaseKind})`, () => {
  it("a created user has a user.created event carrying the user as GET returns it", async () => {
    const events = await eventsOfRequest("outbox", () => scim.post("/Users", { schemas: [userUrn], userName: "ada", externalId: "ext-ada", name: { givenName: "Ada" } }).expect(201));
    expect(events).toHaveLength(1);
    const [event] = events as [ChangeEvent];
    const read = await scim.get(`/Users/${event.resource.id}`).expect(200);
    expect(event).toMatchObject({
      type: "user.created",
      tenant: "outbox",
      resource: { type: "User", id: read.body.id, externalId: "ext-ada", version: 1 },
      data: read.body,
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event.occurredAt)).toBe(Date.parse(read.body.meta.created));
    expect(event).not.toHaveProperty("changed");
  });

  it("deactivation and reactivation are events of their own, with what changed and what it was", async () => {
    const user = (await scim.post("/Users", { schemas: [userUrn], userName: "grace", title: "Admiral" }).expect(201)).body;
    const off = await eventsOfRequest("outbox", () => scim.patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "active", value: false })).expect(200));
    expect(off).toMatchObject([{ type: "user.deactivated", changed: ["active"], previous: { active: true }, resource: { version: 2 }, data: { active: false } }]);
    const on = await eventsOfRequest("outbox", () => scim.patch(`/Users/${user.id}`, patchOp({ op: "replace", value: { active: true, title: "Rear Admiral" } })).expect(200));
    expect(on).toMatchObject([{ type: "user.reactivated", changed: ["active", "title"], previous: { active: false, title: "Admiral" }, resource: { version: 3 } }]);
  });

  it("an update names sub-attribute and extension paths, and a password without its value", async () => {
    const user = (await scim.post("/Users", { schemas: [userUrn], userName: "linus", name: { givenName: "Linus", familyName: "T" } }).expect(201)).body;
    const [event] = await eventsOfRequest("outbox", () =>
      scim
        .put(`/Users/${user.id}`, {
          schemas: [userUrn, enterpriseUserUrn],
          userName: "linus",
          password: "s3cret-Passw0rd",
          name: { givenName: "Linus", familyName: "Torvalds" },
          [enterpriseUserUrn]: { department: "Kernel" },
        })
        .expect(200),
    );
    expect(event).toMatchObject({
      type: "user.updated",
      changed: ["name.familyName", `${enterpriseUserUrn}:department`, "password"],
      previous: { "name.familyName": "T" },
    });
    expect(JSON.stringify(event)).not.toContain("s3cret");
  });

  it("a PATCH that sets what is there and a PUT of the resource as read write nothing and keep the version", async () => {
    const user = (await scim.post("/Users", { schemas: [userUrn], userName: "same", title: "Same", emails: [{ value: "same@example.com", primary: true }] }).expect(201)).body;
    const before = await lastSequence("outbox");
    const patched = await scim.patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "title", value: "Same" }, { op: "replace", path: "active", value: true })).expect(200);
    expect(patched.body.meta.version).toBe(user.meta.version);
    const read = (await scim.get(`/Users/${user.id}`).expect(200)).body;
    const put = await scim.put(`/Users/${user.id}`, read).expect(200);
    expect(put.body.meta).toStrictEqual(read.meta);

    const group = (await scim.post("/Groups", { schemas: [groupUrn], displayName: "Same group", members: [{ value: user.id }] }).expect(201)).body;
    const afterGroup = await lastSequence("outbox");
    const added = await scim.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: user.id }] })).expect(200);
    const removed = await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${crypto.randomUUID()}"]` })).expect(200);
    const groupRead = (await scim.get(`/Groups/${group.id}`).expect(200)).body;
    await scim.put(`/Groups/${group.id}`, groupRead).expect(200);
    expect([added.body.meta.version, removed.body.meta.version, (await scim.get(`/Groups/${group.id}`)).body.meta.version]).toStrictEqual([
      group.meta.version,
      group.meta.version,
      group.meta.version,
    ]);
    expect(afterGroup).toBe(before + 2);
    expect(await lastSequence("outbox")).toBe(afterGroup);
  });

  it("a group's creation lists its members as member_added events, and member changes are one event per member", async () => {
    const users = await Promise.all(["m1", "m2", "m3"].map(async (userName) => (await scim.post("/Users", { schemas: [userUrn], userName }).expect(201)).body));
    const [m1, m2, m3] = users as [{ id: string }, { id: string }, { id: string }];
    const created = await eventsOfRequest("outbox", () => scim.post("/Groups", { schemas: [groupUrn], displayName: "Team", members: [{ value: m1.id }, { value: m2.id }] }).expect(201));
    expect(created.map((event) => [event.type, event.member?.value])).toStrictEqual([
      ["group.created", undefined],
      ["group.member_added", m1.id],
      ["group.member_added", m2.id],
    ]);
    const group = created[0] as ChangeEvent;
    expect(group.data).not.toHaveProperty("members");
    expect(created.map((event) => event.resource.version)).toStrictEqual([1, 1, 1]);

    const changed = await eventsOfRequest("outbox", () =>
      scim.patch(`/Groups/${group.resource.id}`, patchOp({ op: "add", path: "members", value: [{ value: m3.id }] }, { op: "remove", path: `members[value eq "${m1.id}"]` })).expect(200),
    );
    expect(changed.map((event) => [event.type, event.member, event.resource.version])).toStrictEqual([
      ["group.member_added", { value: m3.id, type: "User" }, 2],
      ["group.member_removed", { value: m1.id, type: "User" }, 2],
    ]);

    const renamed = await eventsOfRequest("outbox", () =>
      scim.put(`/Groups/${group.resource.id}`, { schemas: [groupUrn], displayName: "Team B", members: [{ value: m1.id }, { value: m3.id }] }).expect(200),
    );
    expect(renamed.map((event) => [event.type, event.member?.value, event.changed])).toStrictEqual([
      ["group.updated", undefined, ["displayName"]],
      ["group.member_added", m1.id, undefined],
      ["group.member_removed", m2.id, undefined],
    ]);
    expect(renamed[0]?.previous).toStrictEqual({ displayName: "Team" });
  });

  it("deleting a user is its deletion and its removal from each group, whose version moves", async () => {
    const user = (await scim.post("/Users", { schemas: [userUrn], userName: "leaver" }).expect(201)).body;
    const group = (await scim.post("/Groups", { schemas: [groupUrn], displayName: "Left", members: [{ value: user.id }] }).expect(201)).body;
    const events = await eventsOfRequest("outbox", () => scim.delete(`/Users/${user.id}`).expect(204));
    expect(events.map((event) => [event.type, event.resource.id, event.member?.value])).toStrictEqual([
      ["user.deleted", user.id, undefined],
      ["group.member_removed", group.id, user.id],
    ]);
    expect(events[0]?.data).toMatchObject({ id: user.id, userName: "leaver" });
    const read = (await scim.get(`/Groups/${group.id}`).expect(200)).body;
    expect(read.meta.version).toBe('W/"2"');
    expect(events[1]?.resource.version).toBe(2);

    const gone = await eventsOfRequest("outbox", () => scim.delete(`/Groups/${group.id}`).expect(204));
    expect(gone.map((event) => event.type)).toStrictEqual(["group.deleted"]);
  });

  it("a user whose manager is deleted is updated, with its own event", async () => {
    const boss = (await scim.post("/Users", { schemas: [userUrn], userName: "boss" }).expect(201)).body;
    const report = (await scim.post("/Users", { schemas: [userUrn, enterpriseUserUrn], userName: "report", [enterpriseUserUrn]: { manager: { value: boss.id } } }).expect(201)).body;
    expect((await eventsOf("outbox")).at(-1)?.data).toMatchObject({ [enterpriseUserUrn]: { manager: { value: boss.id, displayName: "boss" } } });
    const events = await eventsOfRequest("outbox", () => scim.delete(`/Users/${boss.id}`).expect(204));
    expect(events.map((event) => [event.type, event.resource.id, event.changed])).toStrictEqual([
      ["user.deleted", boss.id, undefined],
      ["user.updated", report.id, [`${enterpriseUserUrn}:manager`]],
    ]);
  });

  it("a compat API's writes are events like any other", async () => {
    const eg = await egClient(app, "outbox-eg");
    const created = await eg.post("/users", { username: "gateway", firstname: "Gate", lastname: "Way" }).expect(200);
    await eg.put("/users/gateway/status", { status: false }).expect(200);
    await eg.put("/users/gateway", { firstname: "Gateway" }).expect(200);
    const events = await eventsOf("outbox-eg");
    expect(events.map((event) => [event.type, event.resource.id, event.changed])).toStrictEqual([
      ["user.created", created.body.id, undefined],
      ["user.deactivated", created.body.id, ["active"]],
      ["user.updated", created.body.id, ["name.givenName"]],
    ]);
  });

  it("a write that fails writes no event", async () => {
    await scim.post("/Users", { schemas: [userUrn], userName: "unique-one" }).expect(201);
    const events = await eventsOfRequest("outbox", async () => {
      await scim.post("/Users", { schemas: [userUrn], userName: "UNIQUE-one" }).expect(409);
      await scim.patch(`/Users/${crypto.randomUUID()}`, patchOp({ op: "replace", path: "title", value: "x" })).expect(404);
      await scim.post("/Groups", { schemas: [groupUrn], displayName: "Bad", members: [{ value: crypto.randomUUID() }] }).expect(400);
    });
    expect(events).toStrictEqual([]);
  });

  it("adding a thousand members writes their thousand events in one INSERT", async () => {
    const tenantId = await tenantIdOf("outbox");
    const { seedUsers } = await import("../support/seed.ts");
    const ids = await seedUsers(app.server.database, tenantId, 1000, { seed: 3, firstNumber: 900_000 });
    const group = (await scim.post("/Groups", { schemas: [groupUrn], displayName: "Thousand" }).expect(201)).body;
    statements.length = 0;
    const events = await eventsOfRequest("outbox", () =>
      scim.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: ids.map((value) => ({ value })) })).expect(200),
    );
    expect(events).toHaveLength(1000);
    expect(new Set(events.map((event) => event.member?.value))).toStrictEqual(new Set(ids));
    expect(statements.filter((text) => text.startsWith('INSERT INTO "Event"'))).toHaveLength(1);
  });

  it("numbers each tenant's events from 1, in commit order, with no gap under concurrent writes", async () => {
    const other = await app.client("outbox-other");
    const users = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => (await other.post("/Users", { schemas: [userUrn], userName: `concurrent-${i}` }).expect(201)).body as { id: string }),
    );
    await Promise.all(
      users.flatMap((user) => [1, 2, 3].map((n) => other.patch(`/Users/${user.id}`, patchOp({ op: "add", path: "nickName", value: `n${n}` })).expect(200))),
    );
    const events = await eventsOf("outbox-other");
    expect(events.map((event) => event.sequence)).toStrictEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Per resource, versions rise with the sequence: events are numbered in the order the writes committed.
    for (const user of users) {
      const versions = events.filter((event) => event.resource.id === user.id).map((event) => event.resource.version);
      expect(versions).toStrictEqual([1, 2, 3, 4]);
    }
  });
});
