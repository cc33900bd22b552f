import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";
import { publicBaseUrl } from "./resource.behaviour.ts";

// Hostile text on every surface, on either database: control characters, U+0000 (which PostgreSQL
// refuses and SQLite keeps), lone surrogates (which neither can store), very long strings, in
// filters, path ids, bodies, Bulk operations and the compat APIs' own fields. Nothing answers 5xx,
// text no database stores is refused before the database with the same status on both, and a
// refused request changes no resource.

const unstorable = ["nul\u0000inside", "\u0000", "lone \ud800 high", "lone \udfff low", "\udc00\ud800"];
const awkward = ["\u0001\u001f\u007f", "\u202eright-to-left", "pair \ud83d\ude00 emoji", "x".repeat(70_000), "' OR 1=1 --", "%00", "\\u0000"];

let app: TestApp;
let scim: ScimClient;
let userId: string;
let groupId: string;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
  scim = await app.client();
  userId = (await scim.post("/Users", { userName: "target@example.com", emails: [{ value: "target@example.com", primary: true }] }).expect(201)).body.id;
  groupId = (await scim.post("/Groups", { displayName: "Target", members: [{ value: userId }] }).expect(201)).body.id;
  tokens.bytebase = `Bearer ${await app.credential("bytebase")}`;
  tokens.vyte = await app.credential("vyte");
  tokens.perm = `Bearer ${await app.credential("perm-api")}`;
  tokens.qase = `Bearer ${await app.credential("qase")}`;
  tokens.eg = `apiKey ${await app.credential("express-gateway")}`;
});
afterAll(() => app.close());

// Every resource of the tenant as SCIM shows it: what a refused request must leave as it was.
async function everything(): Promise<unknown> {
  const users = (await scim.get("/Users?count=1000&sortBy=id").expect(200)).body.Resources;
  const groups = (await scim.get("/Groups?count=1000&sortBy=id").expect(200)).body.Resources;
  return { users, groups };
}

type Method = "get" | "post" | "put" | "patch" | "delete";
interface Probe {
  readonly surface: string;
  readonly method: Method;
  readonly path: (text: string) => string;
  readonly body?: (text: string) => unknown;
  readonly authorization: () => string;
  // Where the text goes: refused with this status when it cannot be stored.
  readonly refusedWith: number;
}

// A URL cannot carry a lone surrogate as UTF-8: a hostile client sends its WTF-8 bytes (%ED%A0%80),
// which the server decodes to U+FFFD or not at all. Every other character is %-encoded as usual.
function q(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i += 1;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xed, 0xa0 | ((unit >> 6) & 0x0f) | (unit >= 0xdc00 ? 0x10 : 0), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join("");
    } else {
      out += encodeURIComponent(text[i] as string);
    }
  }
  return out;
}
const patchOp = (path: string, value: unknown) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path, value }] });
const scimAuth = () => `Bearer ${scim.token}`;
const probes: Probe[] = [
  { surface: "scim filter", method: "get", path: (s) => `/scim/v2/Users?filter=${q(`userName eq "${s}"`)}`, authorization: scimAuth, refusedWith: 400 },
  { surface: "scim filter (Groups)", method: "get", path: (s) => `/scim/v2/Groups?filter=${q(`displayName sw "${s}"`)}`, authorization: scimAuth, refusedWith: 400 },
  { surface: "scim attributes", method: "get", path: (s) => `/scim/v2/Users?attributes=${q(s)}`, authorization: scimAuth, refusedWith: 400 },
  { surface: "scim sortBy", method: "get", path: (s) => `/scim/v2/Users?sortBy=${q(s)}`, authorization: scimAuth, refusedWith: 400 },
  { surface: "scim cursor", method: "get", path: (s) => `/scim/v2/Users?cursor=${q(s)}`, authorization: scimAuth, refusedWith: 400 },
  { surface: "scim path id", method: "get", path: (s) => `/scim/v2/Users/${q(s)}`, authorization: scimAuth, refusedWith: 404 },
  { surface: "scim path id (DELETE)", method: "delete", path: (s) => `/scim/v2/Groups/${q(s)}`, authorization: scimAuth, refusedWith: 404 },
  { surface: "scim POST body", method: "post", path: () => "/scim/v2/Users", body: (s) => ({ userName: `new-${randomUUID()}`, displayName: s }), authorization: scimAuth, refusedWith: 400 },
  { surface: "scim POST userName", method: "post", path: () => "/scim/v2/Users", body: (s) => ({ userName: s }), authorization: scimAuth, refusedWith: 400 },
  { surface: "scim body key", method: "post", path: () => "/scim/v2/Users", body: (s) => ({ userName: `k-${randomUUID()}`, [s]: "x" }), authorization: scimAuth, refusedWith: 400 },
  { surface: "scim PATCH value", method: "patch", path: () => `/scim/v2/Users/${userId}`, body: (s) => patchOp("title", s), authorization: scimAuth, refusedWith: 400 },
  { surface: "scim PATCH path", method: "patch", path: () => `/scim/v2/Users/${userId}`, body: (s) => patchOp(`emails[value eq "${s}"].type`, "work"), authorization: scimAuth, refusedWith: 400 },
  { surface: "scim PUT", method: "put", path: () => `/scim/v2/Groups/${groupId}`, body: (s) => ({ displayName: s, members: [{ value: userId }] }), authorization: scimAuth, refusedWith: 400 },
  { surface: "scim group member", method: "patch", path: () => `/scim/v2/Groups/${groupId}`, body: (s) => ({ ...patchOp("members", undefined), Operations: [{ op: "add", path: "members", value: [{ value: s }] }] }), authorization: scimAuth, refusedWith: 400 },
  { surface: "scim .search", method: "post", path: () => "/scim/v2/.search", body: (s) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: `userName eq "${s}"` }), authorization: scimAuth, refusedWith: 400 },
  {
    surface: "scim Bulk (second operation)", method: "post", path: () => "/scim/v2/Bulk", authorization: scimAuth, refusedWith: 400,
    body: (s) => ({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "one", data: { userName: `bulk-${randomUUID()}` } },
        { method: "POST", path: "/Users", bulkId: "two", data: { userName: s } },
      ],
    }),
  },
  { surface: "bytebase path", method: "get", path: (s) => `/compat/bytebase/v1/users/${q(s)}`, authorization: () => tokens.bytebase as string, refusedWith: 404 },
  { surface: "bytebase create", method: "post", path: () => "/compat/bytebase/v1/users", body: (s) => ({ email: `bb-${randomUUID()}@example.com`, title: s, userType: "USER" }), authorization: () => tokens.bytebase as string, refusedWith: 400 },
  { surface: "bytebase login", method: "post", path: () => "/compat/bytebase/v1/auth/login", body: (s) => ({ email: s, password: s }), authorization: () => "", refusedWith: 400 },
  { surface: "bytebase filter", method: "get", path: (s) => `/compat/bytebase/v1/users?filter=${q(`email == "${s}"`)}`, authorization: () => tokens.bytebase as string, refusedWith: 400 },
  { surface: "vyte path", method: "get", path: (s) => `/compat/vyte/v2/users/${q(s)}`, authorization: () => tokens.vyte as string, refusedWith: 404 },
  { surface: "vyte create", method: "post", path: () => "/compat/vyte/v2/users", body: (s) => ({ user: { email: `vy-${randomUUID()}@example.com`, first_name: s } }), authorization: () => tokens.vyte as string, refusedWith: 400 },
  { surface: "vyte team", method: "post", path: () => "/compat/vyte/v2/teams", body: (s) => ({ name: s }), authorization: () => tokens.vyte as string, refusedWith: 400 },
  { surface: "perm-api path", method: "get", path: (s) => `/compat/perm-api/api/v2/user/${q(s)}`, authorization: () => tokens.perm as string, refusedWith: 404 },
  { surface: "perm-api create", method: "post", path: () => "/compat/perm-api/api/v2/user", body: (s) => ({ email: `pa-${randomUUID()}@example.com`, password: "s3cret-Pass", first_name: s }), authorization: () => tokens.perm as string, refusedWith: 400 },
  { surface: "perm-api search", method: "get", path: (s) => `/compat/perm-api/api/v2/user?search=${q(s)}`, authorization: () => tokens.perm as string, refusedWith: 400 },
  { surface: "qase filter", method: "get", path: (s) => `/compat/qase/scim/v2/Users?filter=${q(`userName eq "${s}"`)}`, authorization: () => tokens.qase as string, refusedWith: 400 },
  { surface: "qase path", method: "get", path: (s) => `/compat/qase/scim/v2/Users/${q(s)}`, authorization: () => tokens.qase as string, refusedWith: 404 },
  { surface: "qase create", method: "post", path: () => "/compat/qase/scim/v2/Users", body: (s) => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `qa-${randomUUID()}@example.com`, name: { givenName: s, familyName: "F" } }), authorization: () => tokens.qase as string, refusedWith: 400 },
  { surface: "express-gateway path", method: "get", path: (s) => `/compat/express-gateway/users/${q(s)}`, authorization: () => tokens.eg as string, refusedWith: 404 },
  { surface: "express-gateway create", method: "post", path: () => "/compat/express-gateway/users", body: (s) => ({ username: `eg-${randomUUID()}`, firstname: s, lastname: "L" }), authorization: () => tokens.eg as string, refusedWith: 400 },
  { surface: "express-gateway apiKey", method: "get", path: (s) => `/compat/express-gateway/users?apiKey=${q(s)}`, authorization: () => "", refusedWith: 400 },
];

async function send(probe: Probe, text: string) {
  let test = app.http()[probe.method](probe.path(text));
  const authorization = probe.authorization();
  if (authorization) test = test.set("Authorization", authorization);
  if (probe.body) test = test.set("Content-Type", "application/json").send(JSON.stringify(probe.body(text)));
  return test;
}

describe(`hostile text on every surface (${testDatabaseKind})`, () => {
  it.each(probes.map((probe) => [probe.surface, probe] as const))("%s: text no database stores is refused, the same on both", async (_name, probe) => {
    for (const text of unstorable) {
      const before = await everything();
      const response = await send(probe, text);
      // In a URL a lone surrogate arrives as bytes that are not UTF-8 (see q): the server reads
      // U+FFFD, which it can store, so only U+0000 is refused there.
      const refused = probe.body !== undefined || text.includes("\u0000");
      const status = refused ? probe.refusedWith : expect.any(Number);
      expect({ text: JSON.stringify(text), status: response.status }).toStrictEqual({ text: JSON.stringify(text), status });
      expect(response.status).toBeLessThan(500);
      expect(response.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|prisma|invalid byte sequence/i);
      if (response.status >= 400) expect(await everything()).toStrictEqual(before);
    }
  });

  it.each(probes.map((probe) => [probe.surface, probe] as const))("%s: other awkward text never answers 5xx", async (_name, probe) => {
    for (const text of awkward) {
      const before = await everything();
      const response = await send(probe, text);
      expect({ text: text.slice(0, 20), status: response.status }).toStrictEqual({ text: text.slice(0, 20), status: expect.any(Number) });
      expect(response.status, `${text.slice(0, 20)} answered ${response.text.slice(0, 200)}`).toBeLessThan(500);
      expect(response.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|prisma/i);
      if (response.status >= 400) expect(await everything()).toStrictEqual(before);
    }
  });
});

describe("the answer's format is the surface's own", () => {
  it("SCIM: invalidFilter for a filter, invalidValue for a body, 404 for an id", async () => {
    const filter = await scim.get(`/Users?filter=${q('userName eq "a\u0000b"')}`);
    expect(filter.body).toMatchObject({ status: "400", scimType: "invalidFilter" });
    // The filter's own escapes spell U+0000 or a lone surrogate out of plain text.
    for (const escaped of ['userName eq "a\\u0000b"', 'userName eq "\\ud800"']) {
      expect((await scim.get(`/Users?filter=${q(escaped)}`)).body).toMatchObject({ status: "400", scimType: "invalidFilter" });
    }
    const body = await scim.post("/Users", { userName: "a\u0000b" });
    expect(body.body).toMatchObject({ status: "400", scimType: "invalidValue" });
    const id = await scim.get(`/Users/${q("a\u0000b")}`);
    expect(id.body).toMatchObject({ status: "404" });
  });

  it("the compat APIs: each in its own envelope", async () => {
    const vyte = await send(probes.find((probe) => probe.surface === "vyte create") as Probe, "\u0000");
    expect(vyte.body).toStrictEqual({ status: 400, message: expect.any(String) });
    const perm = await send(probes.find((probe) => probe.surface === "perm-api create") as Probe, "\u0000");
    expect(perm.body).toStrictEqual({ non_field_errors: [expect.any(String)] });
    const bytebase = await send(probes.find((probe) => probe.surface === "bytebase create") as Probe, "\u0000");
    expect(bytebase.body).toMatchObject({ code: 3, message: expect.any(String) });
    const eg = await send(probes.find((probe) => probe.surface === "express-gateway create") as Probe, "\u0000");
    expect(eg.type).toBe("text/plain");
  });
});
