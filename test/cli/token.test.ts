import { setTimeout as sleep } from "node:timers/promises";
import jwt from "jsonwebtoken";
import pino from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.ts";
import { buildServer, type Server } from "../../src/server.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { runTool, type ToolRun } from "../support/process.ts";
import { expectScimError } from "../support/responses.ts";

// `npm run token` (src/cli/token.ts) against the database an app is built on: stdout is the token
// and nothing else, the token works, and --revoke makes it 401.

let database: TestDatabase;
let server: Server;

const cli = (...args: string[]): Promise<ToolRun> => runTool("token", args, database.url);

// The token a successful run printed, and the id it named on stderr.
function issued(run: ToolRun): { token: string; id: string } {
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const id = /token id (\S+)/.exec(run.stderr)?.[1];
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return { token: run.stdout.trim(), id: id as string };
}

const scim = (token: string) => ({
  get: (path: string) => request(server.app).get(`/scim/v2${path}`).set("Authorization", `Bearer ${token}`),
  post: (path: string, body: unknown) =>
    request(server.app).post(`/scim/v2${path}`).set("Authorization", `Bearer ${token}`).set("Content-Type", "application/scim+json").send(JSON.stringify(body)),
});

beforeAll(async () => {
  database = await createTestDatabase();
  // The first run creates the database and its signing secret; the app then shares both.
  issued(await cli("--tenant", "bootstrap"));
  // Revocations here are made by another process (the CLI): no credential cache, so they apply at once.
  server = await buildServer(readConfig({ DATABASE_URL: database.url, TOKEN_CACHE_SECONDS: "0" }), pino({ level: "silent" }));
}, 120_000);
afterAll(async () => {
  await server?.close();
  await database?.drop();
});

// Each run starts a process that opens and migrates the database: seconds, not milliseconds.
describe("npm run token", { timeout: 120_000 }, () => {
  it("prints exactly one HS256 JWT line for the tenant, which reads and writes", async () => {
    const { token, id } = issued(await cli("--tenant", "acme"));
    const header = JSON.parse(Buffer.from(token.split(".")[0] as string, "base64url").toString());
    expect(header).toStrictEqual({ alg: "HS256", typ: "JWT" });
    const acme = await server.tenants.ensure("acme");
    expect(jwt.decode(token)).toMatchObject({ tenant: acme.id, scope: "scim:read scim:write", jti: id, iss: "scim-server" });
    expect((jwt.decode(token) as jwt.JwtPayload).exp).toBeUndefined();

    const created = await scim(token).post("/Users", { userName: "cli-user" }).expect(201);
    await scim(token).get(`/Users/${created.body.id}`).expect(200);
    const appToken = (await server.tokens.issue({ tenantId: acme.id, scopes: ["scim:read"] })).token;
    await scim(appToken).get(`/Users/${created.body.id}`).expect(200);
  });

  it("--scope read prints a token that reads but cannot write", async () => {
    const { token } = issued(await cli("--tenant", "acme", "--scope", "read"));
    expect(jwt.decode(token)).toMatchObject({ scope: "scim:read" });
    await scim(token).get("/Users").expect(200);
    expectScimError(await scim(token).post("/Users", { userName: "read-only" }), 403);
  });

  it("a token of another tenant sees none of the first tenant's users", async () => {
    const { token: globex } = issued(await cli("--tenant", "globex"));
    const acme = (await server.tokens.issue({ tenantId: (await server.tenants.ensure("acme")).id, scopes: ["scim:read", "scim:write"] })).token;
    const created = await scim(acme).post("/Users", { userName: "acme-only" }).expect(201);
    expectScimError(await scim(globex).get(`/Users/${created.body.id}`), 404);
    expect((await scim(globex).get("/Users").expect(200)).body.totalResults).toBe(0);
  });

  it("--revoke <id> makes the token answer 401; revoking again fails", async () => {
    const { token, id } = issued(await cli("--tenant", "acme"));
    await scim(token).get("/Users").expect(200);
    const revoked = await cli("--revoke", id);
    expect({ code: revoked.code, stdout: revoked.stdout }).toStrictEqual({ code: 0, stdout: "" });
    expect(revoked.stderr).toContain(`revoked ${id}`);
    const response = await scim(token).get("/Users");
    expectScimError(response, 401);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="scim"');
    expect(response.body.detail).toMatch(/revoked/);
    const again = await cli("--revoke", id);
    expect({ code: again.code, stdout: again.stdout }).toStrictEqual({ code: 1, stdout: "" });
  });

  it("--ttl sets an expiry, after which the token answers 401", async () => {
    const { token } = issued(await cli("--tenant", "acme", "--ttl", "2s"));
    const claims = jwt.decode(token) as jwt.JwtPayload;
    expect((claims.exp as number) - (claims.iat as number)).toBe(2);
    await sleep(Math.max(0, (claims.exp as number) * 1000 - Date.now()) + 100);
    const response = await scim(token).get("/Users");
    expectScimError(response, 401);
    expect(response.body.detail).toMatch(/expired/);
  });

  it("--api prints a credential in the compat API's own form, which works on that API only", async () => {
    const key = await cli("--tenant", "acme", "--api", "express-gateway");
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/^[0-9a-f]{16}:[0-9a-f]{32}\n$/);
    const [id, secret] = key.stdout.trim().split(":") as [string, string];
    expect((await server.keys.verify(id, secret, "express-gateway")).scopes).toStrictEqual(["scim:read", "scim:write"]);
    await expect(server.keys.verify(id, secret, "vyte")).rejects.toMatchObject({ status: 401 });

    const vyte = await cli("--tenant", "acme", "--api", "vyte", "--scope", "read");
    expect(vyte.stdout).toMatch(/^[0-9a-f]{48}\n$/);
    // The organisation id a Vyte script puts in its bodies (docs/compat/vyte.md §2.3).
    expect(vyte.stderr).toContain(`organization ${(await server.tenants.find("acme"))?.id}\n`);

    const bearer = await cli("--tenant", "acme", "--api", "bytebase");
    const { token } = issued(bearer);
    expect((await server.tokens.verify(token, "bytebase")).scopes).toStrictEqual(["scim:read", "scim:write"]);
    expectScimError(await scim(token).get("/Users"), 401);
  });

  it("says on stderr that it created a tenant it did not find", async () => {
    const first = await cli("--tenant", "brand-new-tenant");
    issued(first);
    expect(first.stderr).toMatch(/^created tenant brand-new-tenant$/m);
    const again = await cli("--tenant", "brand-new-tenant");
    issued(again);
    expect(again.stderr).not.toContain("created tenant");
  });

  it("--list shows every credential's id, tenant, api, scope, dates and revocation, never a secret", async () => {
    const kept = issued(await cli("--tenant", "listed", "--scope", "read", "--ttl", "1d"));
    const revoked = issued(await cli("--tenant", "listed"));
    expect((await cli("--revoke", revoked.id)).code).toBe(0);
    const key = await cli("--tenant", "listed", "--api", "express-gateway");
    const [keyId, keySecret] = key.stdout.trim().split(":") as [string, string];

    const json = await cli("--list", "--tenant", "listed", "--json");
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as Record<string, string>[];
    expect(rows.map((row) => row.id).sort()).toStrictEqual([kept.id, revoked.id, keyId].sort());
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(kept.id)).toMatchObject({ tenant: "listed", api: "scim", scope: "read", revoked: "" });
    expect(Date.parse(byId.get(kept.id)!.expires!) - Date.parse(byId.get(kept.id)!.created!)).toBeGreaterThan(86_000_000);
    expect(byId.get(revoked.id)).toMatchObject({ api: "scim", scope: "write", expires: "never", revoked: expect.stringMatching(/^\d{4}-/) });
    expect(byId.get(keyId)).toMatchObject({ api: "express-gateway", scope: "write" });

    const table = await cli("--list", "--tenant", "listed");
    expect(table.stdout.split("\n")[0]).toMatch(/^id\s+tenant\s+api\s+scope\s+created\s+expires\s+revoked$/);
    expect(table.stdout).toContain(kept.id);
    for (const secret of [kept.token, revoked.token, keySecret]) {
      expect(json.stdout).not.toContain(secret);
      expect(table.stdout).not.toContain(secret);
    }
    const all = JSON.parse((await cli("--list", "--json")).stdout) as Record<string, string>[];
    expect(new Set(all.map((row) => row.tenant))).toContain("acme");
  });

  it.concurrent.each([
    { name: "no arguments", args: [], code: 2, line: /--tenant, --revoke or --list is required/ },
    { name: "an unknown API", args: ["--tenant", "acme", "--api", "okta"], code: 2, line: /--api must be .*"okta"/ },
    { name: "an unknown scope", args: ["--tenant", "acme", "--scope", "admin"], code: 2, line: /--scope must be read or write, not "admin"/ },
    { name: "an unreadable ttl", args: ["--tenant", "acme", "--ttl", "soon"], code: 2, line: /--ttl .*"soon"/ },
    { name: "an unknown option", args: ["--tenant", "acme", "--tennant", "x"], code: 2, line: /unknown option --tennant/ },
    { name: "an option without its value", args: ["--tenant"], code: 2, line: /option --tenant needs a value/ },
    { name: "--list with issuing options", args: ["--list", "--scope", "read"], code: 2, line: /--list takes only/ },
    { name: "--list of a tenant that does not exist", args: ["--list", "--tenant", "nobody-here"], code: 1, line: /no tenant named nobody-here/ },
    { name: "revoking an unknown id", args: ["--revoke", "00000000-0000-4000-8000-000000000000"], code: 1, line: /no active token or key/ },
  ])("$name exits $code with one line naming the problem and nothing on stdout", async ({ args, code, line }) => {
    const run = await cli(...args);
    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code, stdout: "" });
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(line);
  });
});
