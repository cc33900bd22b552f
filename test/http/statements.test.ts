import pino from "pino";
import type request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { patchOpUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";

// The statements the hot requests send (the workloads of `npm run bench`): each one the request
// needs, none read back what the server already knows, no transaction where one statement does.

let app: TestApp;
let scim: ScimClient;
let statements: string[] = [];

beforeAll(async () => {
  app = await startTestApp({}, pino({ level: "silent" }), { onQuery: (event) => statements.push(asWritten(event.query)) });
  scim = await app.client();
  await send("get", "/Users?count=1").expect(200); // credential and tenant settings cached
  await send("patch", `/Users/${(await send("post", "/Users", { userName: "warm-up" }).expect(201)).body.id}`, deactivate).expect(200);
});
afterAll(() => app.close());

const deactivate = { schemas: [patchOpUrn], Operations: [{ op: "replace", path: "active", value: false }] };

function send(method: "get" | "post" | "patch", path: string, body?: unknown) {
  return method === "get" ? scim.get(path) : scim[method](path, body);
}

// A statement as the store wrote it: the PostgreSQL driver sends the guard of a guarded batch
// wrapped (driver/postgresql.ts, heldText).
function asWritten(sql: string): string {
  return /^WITH "guarded" AS \(([\s\S]*)\)\s*SELECT "guard_held"/.exec(sql)?.[1] ?? sql;
}

// The statements of one request, as "VERB table" (BEGIN/COMMIT as themselves).
async function statementsOf(run: () => PromiseLike<unknown>): Promise<string[]> {
  statements = [];
  await run();
  return statements.map((sql) => {
    const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? sql;
    const table = /(?:FROM|INTO|UPDATE)\s+(?:[`"]?\w+[`"]?\.)?[`"](\w+)[`"]/i.exec(sql)?.[1];
    return table ? `${verb} ${table}` : verb;
  });
}

describe("statements per request", () => {
  // The tenant row is read in the create's transaction: the compat APIs the create assigned ids
  // for must still be the tenant's when it commits (store/tenants.ts extensionsGuard).
  // The event's two statements number it and insert it (store/events.ts).
  it("POST /Users without multi-valued attributes: the tenant check, one INSERT and the event, nothing read back", async () => {
    const sent = await statementsOf(() => send("post", "/Users", { schemas: [userUrn], userName: "plain", name: { familyName: "Smith" } }).expect(201));
    expect(sent.filter((statement) => statement !== "BEGIN")).toStrictEqual(["SELECT Tenant", "INSERT User", "INSERT Sequence", "INSERT Event", "COMMIT"]);
  });

  it("POST /Users with emails: the user and its value rows in one transaction, nothing read back", async () => {
    const body = { schemas: [userUrn], userName: "mailed", emails: [{ value: "mailed@example.com", primary: true }] };
    const sent = await statementsOf(() => send("post", "/Users", body).expect(201));
    expect(sent.filter((statement) => statement !== "BEGIN")).toStrictEqual(["SELECT Tenant", "INSERT User", "INSERT UserValue", "INSERT Sequence", "INSERT Event", "COMMIT"]);
  });

  it("GET /Users?filter=userName eq: the page and the memberships; no group read for a user in none", async () => {
    const filter = encodeURIComponent('userName eq "plain"');
    const sent = await statementsOf(() => send("get", `/Users?filter=${filter}`).expect(200));
    expect(sent).toStrictEqual(["SELECT User", "SELECT GroupMember"]);
  });

  it("GET /Users/<id> of a member: the user, then its memberships with the groups' names in one statement", async () => {
    const id = (await send("post", "/Users", { schemas: [userUrn], userName: "member" }).expect(201)).body.id;
    const group = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], members: [{ value: id }] };
    await send("post", "/Groups", { ...group, displayName: "Readers" }).expect(201);
    await send("post", "/Groups", { ...group, displayName: "Writers" }).expect(201);
    let response!: request.Response;
    const sent = await statementsOf(async () => {
      response = await send("get", `/Users/${id}`).expect(200);
    });
    expect(sent).toStrictEqual(["SELECT User", "SELECT GroupMember"]);
    expect((response.body.groups as { display: string }[]).map((group) => group.display).sort()).toStrictEqual(["Readers", "Writers"]);
  });

  it("PATCH active: the user and its groups read, then the UPDATE of the changed columns and the event in one batch; nothing when nothing changes", async () => {
    const id = (await send("post", "/Users", { schemas: [userUrn], userName: "patched", emails: [{ value: "p@example.com" }] }).expect(201)).body.id;
    statements = [];
    const response = await send("patch", `/Users/${id}`, deactivate).expect(200);
    expect(response.body.active).toBe(false);
    const updates = statements.filter((sql) => /^\s*UPDATE/i.test(sql));
    expect(updates).toHaveLength(1);
    const set = /SET (.*) WHERE/is.exec(updates[0]!)?.[1] ?? "";
    expect([...set.matchAll(/[`"](\w+)[`"]\s*=/g)].map((match) => match[1])).toStrictEqual(["active", "doc", "lastModified", "version"]);
    expect(await statementsOf(() => send("patch", `/Users/${id}`, deactivate).expect(200))).toStrictEqual(["SELECT User", "SELECT GroupMember"]);
    const reactivate = { schemas: [patchOpUrn], Operations: [{ op: "replace", path: "active", value: true }] };
    const sent = await statementsOf(() => send("patch", `/Users/${id}`, reactivate).expect(200));
    expect(sent.filter((statement) => statement !== "BEGIN")).toStrictEqual(["SELECT User", "SELECT GroupMember", "UPDATE User", "INSERT Sequence", "INSERT Event", "COMMIT"]);
  });

  it("PATCH of emails rewrites the value rows in the same transaction as the user row", async () => {
    const id = (await send("post", "/Users", { schemas: [userUrn], userName: "remailed" }).expect(201)).body.id;
    const body = { schemas: [patchOpUrn], Operations: [{ op: "add", path: "emails", value: [{ value: "r@example.com" }] }] };
    const sent = await statementsOf(() => send("patch", `/Users/${id}`, body).expect(200));
    expect(sent.filter((statement) => statement !== "BEGIN")).toStrictEqual([
      "SELECT User",
      "SELECT GroupMember",
      "UPDATE User",
      "DELETE UserValue",
      "INSERT UserValue",
      "INSERT Sequence",
      "INSERT Event",
      "COMMIT",
    ]);
    const filter = encodeURIComponent('emails.value eq "r@example.com"');
    expect((await send("get", `/Users?filter=${filter}`).expect(200)).body.Resources.map((user: { id: string }) => user.id)).toStrictEqual([id]);
  });

  it("PATCH adding a user to a group: in one transaction, the group held, the user looked up, the member added, the group bumped and the event; no group lookup for a user id", async () => {
    const group = (await send("post", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Staff" }).expect(201)).body.id;
    const [user, nested] = [
      (await send("post", "/Users", { schemas: [userUrn], userName: "joiner" }).expect(201)).body.id,
      (await send("post", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Nested" }).expect(201)).body.id,
    ];
    const add = (value: string) => ({ schemas: [patchOpUrn], Operations: [{ op: "add", path: "members", value: [{ value }] }] });
    const sent = await statementsOf(() => send("patch", `/Groups/${group}?excludedAttributes=members`, add(user)).expect(200));
    expect(sent.filter((statement) => statement !== "BEGIN")).toStrictEqual([
      "SELECT Group",
      "SELECT User",
      "INSERT GroupMember",
      "UPDATE Group",
      "INSERT Sequence",
      "INSERT Event",
      "COMMIT",
    ]);
    // The group's own row, then the member looked up among groups once it is no user.
    const withGroup = await statementsOf(() => send("patch", `/Groups/${group}?excludedAttributes=members`, add(nested)).expect(200));
    expect(withGroup.filter((statement) => statement === "SELECT Group")).toHaveLength(2);
    // Adding it again adds nothing: no bump, no event, the transaction rolled back.
    const again = await statementsOf(() => send("patch", `/Groups/${group}?excludedAttributes=members`, add(nested)).expect(200));
    expect(again.filter((statement) => !["BEGIN", "ROLLBACK"].includes(statement))).toStrictEqual(["SELECT Group", "SELECT User", "SELECT Group", "INSERT GroupMember"]);
    const members = (await send("get", `/Groups/${group}`).expect(200)).body.members as { value: string; type: string }[];
    expect(members.map(({ value, type }) => ({ value, type })).sort((a, b) => a.type.localeCompare(b.type))).toStrictEqual([
      { value: nested, type: "Group" },
      { value: user, type: "User" },
    ]);
  });
});
