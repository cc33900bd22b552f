import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { runTool } from "../support/process.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError, scimBody } from "../support/responses.ts";

// Custom attributes are kept (issue #16): an operator defines extension schemas per tenant
// (npm run tenant -- <t> --schema <file>); the tenant's /Schemas and /ResourceTypes show them, and
// their attributes are stored, returned, filtered on and patched like the Enterprise extension's,
// through the same machinery (ExtensionValue rows). Another tenant does not have them: there they
// are an unknown schema, ignored in bodies as before.

const contoso = "urn:ietf:params:scim:schemas:extension:Contoso:2.0:User";
const teams = "urn:example:params:scim:schemas:extension:teams:2.0:Group";
const patchOpUrn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const contosoSchema = {
  id: contoso,
  name: "Contoso",
  description: "What Contoso's Entra ID maps",
  attributes: [
    { name: "costCode", type: "string" },
    { name: "badge", type: "integer", uniqueness: "server" },
    { name: "clearance", type: "boolean" },
    { name: "skills", type: "string", multiValued: true },
    { name: "hired", type: "dateTime" },
    { name: "level", type: "string", returned: "request" },
  ],
};
const teamsSchema = { id: teams, attributes: [{ name: "channel", type: "string", caseExact: true }] };

let app: TestApp;
let entra: ScimClient;
let other: ScimClient;
let tenantId: string;
beforeAll(async () => {
  app = await startTestApp();
  entra = await app.client("entra");
  other = await app.client("other");
  tenantId = (await app.server.tenants.ensure("entra")).id;
  for (const definition of [contosoSchema, teamsSchema]) {
    expect(await app.server.tenantSchemas.define(tenantId, definition)).toHaveProperty("schema");
  }
});
afterAll(() => app.close());

const users = async (client: ScimClient, filter: string) =>
  (scimBody(await client.get(`/Users?filter=${encodeURIComponent(filter)}&count=100`).expect(200)).Resources as Array<{ userName: string }>)
    .map((user) => user.userName)
    .sort();

describe("a tenant schema definition", () => {
  const refused: Array<[string, unknown, RegExp]> = [
    ["not an object", [], /schema: /],
    ["an id that is not a URN", { id: "Contoso", attributes: [{ name: "a" }] }, /^id: must be a URN ending in ":User" or ":Group"$/],
    ["an id for no resource type", { id: "urn:x:y:Device", attributes: [{ name: "a" }] }, /^id: /],
    ["one of the server's own schemas", { id: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attributes: [{ name: "a" }] }, /one of the server's own schemas/],
    ["no attributes", { id: contoso, attributes: [] }, /attributes: a schema needs at least one attribute/],
    ["a complex attribute", { id: contoso, attributes: [{ name: "address", type: "complex", subAttributes: [] }] }, /complex attributes are not supported/],
    ["a bad attribute name", { id: contoso, attributes: [{ name: "has space" }] }, /attributes\.0\.name: must be an attribute name/],
    ["a name defined twice", { id: contoso, attributes: [{ name: "code" }, { name: "Code" }] }, /"Code" is defined twice/],
    ["a readOnly attribute", { id: contoso, attributes: [{ name: "code", mutability: "readOnly" }] }, /readOnly attribute could never be set/],
    ["a writeOnly attribute", { id: contoso, attributes: [{ name: "pin", mutability: "writeOnly", returned: "never" }] }, /writeOnly attributes .* are not supported/],
    ["an unknown type", { id: contoso, attributes: [{ name: "code", type: "text" }] }, /attributes\.0\.type: /],
    ["an unknown key", { id: contoso, attributes: [{ name: "code" }], extra: true }, /schema: /],
  ];
  it.each(refused)("is refused with %s, naming the field", async (_name, definition, message) => {
    const read = await app.server.tenantSchemas.define(tenantId, definition);
    expect("errors" in read && read.errors.some((line) => message.test(line))).toBe(true);
  });

  it("shows in its tenant's discovery, and nowhere else", async () => {
    const schemas = scimBody(await entra.get("/Schemas").expect(200)).Resources.map((schema: { id: string }) => schema.id);
    expect(schemas).toEqual(expect.arrayContaining([contoso, teams]));
    const served = scimBody(await entra.get(`/Schemas/${contoso}`).expect(200));
    expect(served.attributes.map((attribute: { name: string }) => attribute.name)).toStrictEqual(["costCode", "badge", "clearance", "skills", "hired", "level"]);
    expect(served.attributes[1]).toMatchObject({ type: "integer", uniqueness: "server", multiValued: false, mutability: "readWrite", returned: "default" });
    const user = scimBody(await entra.get("/ResourceTypes/User").expect(200));
    expect(user.schemaExtensions).toContainEqual({ schema: contoso, required: false });
    expect(scimBody(await entra.get("/ResourceTypes/Group").expect(200)).schemaExtensions).toContainEqual({ schema: teams, required: false });

    expectScimError(await other.get(`/Schemas/${contoso}`), 404);
    expect(scimBody(await other.get("/ResourceTypes/User").expect(200)).schemaExtensions.map((entry: { schema: string }) => entry.schema)).not.toContain(contoso);
  });
});

describe("attributes of a tenant schema", () => {
  let ada: Record<string, any>;
  beforeAll(async () => {
    ada = scimBody(
      await entra
        .post("/Users", {
          schemas: [userUrn, contoso],
          userName: "ada@contoso.com",
          [contoso]: { costCode: "CC-1", badge: 7, clearance: true, skills: ["Go", "SQL"], hired: "2020-01-15T09:00:00Z", level: "L3" },
        })
        .expect(201),
    );
    // Entra's form: URN-qualified attribute names at the top level.
    await entra.post("/Users", { schemas: [userUrn], userName: "bob@contoso.com", [`${contoso}:costCode`]: "CC-2", [`${contoso}:badge`]: 9 }).expect(201);
    await entra.post("/Users", { userName: "cleo@contoso.com" }).expect(201);
  });

  it("are stored and returned as their schema says (returned \"request\" only when asked for)", async () => {
    expect(ada.schemas).toStrictEqual([userUrn, contoso]);
    expect(ada[contoso]).toStrictEqual({ costCode: "CC-1", badge: 7, clearance: true, skills: ["Go", "SQL"], hired: "2020-01-15T09:00:00Z" });
    const read = scimBody(await entra.get(`/Users/${ada.id}?attributes=${contoso}:costCode,${contoso}:level`).expect(200));
    expect(read[contoso]).toStrictEqual({ costCode: "CC-1", level: "L3" });
  });

  it.each([
    [`${contoso}:costCode eq "cc-1"`, ["ada@contoso.com"]],
    [`${contoso}:costCode sw "CC"`, ["ada@contoso.com", "bob@contoso.com"]],
    [`${contoso}:badge gt 7`, ["bob@contoso.com"]],
    [`${contoso}:clearance eq true`, ["ada@contoso.com"]],
    [`${contoso}:skills eq "sql"`, ["ada@contoso.com"]],
    [`${contoso}:hired lt "2021-01-01T00:00:00Z"`, ["ada@contoso.com"]],
    [`${contoso}:costCode pr`, ["ada@contoso.com", "bob@contoso.com"]],
    [`not (${contoso}:badge pr) and userName ew "contoso.com"`, ["cleo@contoso.com"]],
  ])("are filterable: %s", async (filter, expected) => {
    expect(await users(entra, filter)).toStrictEqual(expected);
  });

  it("are patched as Entra sends them, and a PUT without them clears them", async () => {
    await entra
      .patch(`/Users/${ada.id}`, { schemas: [patchOpUrn], Operations: [{ op: "Replace", path: `${contoso}:costCode`, value: "CC-9" }, { op: "Add", path: `${contoso}:skills`, value: ["Rust"] }] })
      .expect(200);
    expect(await users(entra, `${contoso}:costCode eq "CC-1"`)).toStrictEqual([]);
    expect(await users(entra, `${contoso}:costCode eq "CC-9"`)).toStrictEqual(["ada@contoso.com"]);
    expect(await users(entra, `${contoso}:skills eq "rust"`)).toStrictEqual(["ada@contoso.com"]);
    await entra.patch(`/Users/${ada.id}`, { schemas: [patchOpUrn], Operations: [{ op: "Remove", path: `${contoso}:clearance` }] }).expect(200);
    expect(await users(entra, `${contoso}:clearance eq true`)).toStrictEqual([]);

    const replaced = scimBody(await entra.put(`/Users/${ada.id}`, { schemas: [userUrn], userName: "ada@contoso.com" }).expect(200));
    expect(replaced[contoso]).toBeUndefined();
    expect(await users(entra, `${contoso}:costCode pr`)).toStrictEqual(["bob@contoso.com"]);
  });

  it("keep the uniqueness the schema declares, per tenant", async () => {
    expectScimError(await entra.post("/Users", { userName: "dup@contoso.com", [contoso]: { badge: 9 } }), 409, "uniqueness");
    await other.post("/Users", { userName: "dup@other.com", [contoso]: { badge: 9 } }).expect(201);
  });

  it("are ignored by a tenant that has not defined the schema, like any unknown schema", async () => {
    const user = scimBody(await other.post("/Users", { userName: "ignored@other.com", [contoso]: { costCode: "CC-1" } }).expect(201));
    expect(user.schemas).toStrictEqual([userUrn]);
    expect(user[contoso]).toBeUndefined();
    expectScimError(await other.get(`/Users?filter=${encodeURIComponent(`${contoso}:costCode pr`)}`), 400, "invalidFilter");
  });

  it("of a Group schema are kept and filterable too", async () => {
    const group = scimBody(await entra.post("/Groups", { schemas: [groupUrn, teams], displayName: "Ops", [teams]: { channel: "#Ops" } }).expect(201));
    expect(group[teams]).toStrictEqual({ channel: "#Ops" });
    const found = scimBody(await entra.get(`/Groups?filter=${encodeURIComponent(`${teams}:channel eq "#Ops"`)}`).expect(200));
    expect(found.Resources.map((entry: { id: string }) => entry.id)).toStrictEqual([group.id]);
    const caseExact = scimBody(await entra.get(`/Groups?filter=${encodeURIComponent(`${teams}:channel eq "#ops"`)}`).expect(200));
    expect(caseExact.totalResults).toBe(0);
  });

  it("are sort keys, by index and by cursor; users without a value come last ascending, first descending", async () => {
    const names = async (query: string) =>
      (scimBody(await entra.get(`/Users?filter=${encodeURIComponent('userName ew "@sort.com"')}&${query}`).expect(200)).Resources as Array<{ userName: string }>).map((user) => user.userName);
    for (const [name, badge, hired] of [["b", 30, "2019-05-01T00:00:00Z"], ["a", 200, "2018-01-01T00:00:00Z"], ["c", 4, undefined], ["d", undefined, "2022-01-01T00:00:00Z"]] as const) {
      await entra.post("/Users", { userName: `${name}@sort.com`, [contoso]: { ...(badge === undefined ? {} : { badge }), ...(hired === undefined ? {} : { hired }) } }).expect(201);
    }
    const badge = encodeURIComponent(`${contoso}:badge`);
    // Numbers sort as numbers (200 after 30), not as text.
    expect(await names(`sortBy=${badge}`)).toStrictEqual(["c@sort.com", "b@sort.com", "a@sort.com", "d@sort.com"]);
    expect(await names(`sortBy=${badge}&sortOrder=descending`)).toStrictEqual(["d@sort.com", "a@sort.com", "b@sort.com", "c@sort.com"]);
    expect(await names(`sortBy=${encodeURIComponent(`${contoso}:hired`)}`)).toStrictEqual(["a@sort.com", "b@sort.com", "d@sort.com", "c@sort.com"]);

    const walked: string[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const body = scimBody(await entra.get(`/Users?filter=${encodeURIComponent('userName ew "@sort.com"')}&sortBy=${badge}&count=1&cursor=${cursor}`).expect(200));
      walked.push(...body.Resources.map((user: { userName: string }) => user.userName));
      if (!body.nextCursor) break;
      cursor = encodeURIComponent(body.nextCursor);
    }
    expect(walked).toStrictEqual(["c@sort.com", "b@sort.com", "a@sort.com", "d@sort.com"]);
  });
});

describe("removing a tenant schema", () => {
  it("takes it out of discovery and its values out of every resource, as a new version of each", async () => {
    const client = await app.client("leaving");
    const id = (await app.server.tenants.ensure("leaving")).id;
    await app.server.tenantSchemas.define(id, contosoSchema);
    const user = scimBody(await client.post("/Users", { userName: "x@leaving.com", [contoso]: { costCode: "A" }, title: "Kept" }).expect(201));
    expect(await app.server.tenantSchemas.remove(id, contoso.toLowerCase())).toBe(true);
    expect(await app.server.tenantSchemas.remove(id, contoso)).toBe(false);

    const read = scimBody(await client.get(`/Users/${user.id}`).expect(200));
    expect(read[contoso]).toBeUndefined();
    expect(read.title).toBe("Kept");
    expect(read.meta.version).toBe('W/"2"');
    expectScimError(await client.get(`/Schemas/${contoso}`), 404);
    expectScimError(await client.get(`/Users?filter=${encodeURIComponent(`${contoso}:costCode pr`)}`), 400, "invalidFilter");
    const rows = await app.server.database.sql.query(`SELECT "attr" FROM "ExtensionValue" WHERE "userId" = ?`, [user.id]);
    expect(rows).toStrictEqual([]);
  });
});

describe("npm run tenant -- <t> --schema <file>", { timeout: 120_000 }, () => {
  it("defines a schema from a file, and refuses a bad file with one line and exit 2", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tenant-schema-"));
    const good = join(folder, "contoso.json");
    writeFileSync(good, JSON.stringify(contosoSchema));
    const bad = join(folder, "bad.json");
    writeFileSync(bad, JSON.stringify({ id: "nope", attributes: [] }));
    const notJson = join(folder, "broken.json");
    writeFileSync(notJson, "{");

    const defined = await runTool("tenant", ["cli-tenant", "--create", "--schema", good], app.database.url);
    expect(defined.code).toBe(0);
    expect(JSON.parse(defined.stdout).schemas).toStrictEqual([contoso]);

    const refused = await runTool("tenant", ["cli-tenant", "--schema", bad], app.database.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/--schema .*bad\.json: id: must be a URN/);
    const broken = await runTool("tenant", ["cli-tenant", "--schema", notJson], app.database.url);
    expect({ code: broken.code, line: /not JSON/.test(broken.stderr) }).toStrictEqual({ code: 2, line: true });

    const removed = await runTool("tenant", ["cli-tenant", "--remove-schema", contoso], app.database.url);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout).schemas).toStrictEqual([]);
  });
});
