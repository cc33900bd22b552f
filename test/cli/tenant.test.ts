import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.ts";
import { buildServer, type Server } from "../../src/server.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { runTool, type ToolRun } from "../support/process.ts";

// `npm run tenant` (src/cli/tenant.ts): lists tenants, shows and creates one, changes its
// settings; unknown options and values are refused with one line and exit 2, and nothing is stored.

let database: TestDatabase;
let server: Server;

const cli = (...args: string[]): Promise<ToolRun> => runTool("tenant", args, database.url);

beforeAll(async () => {
  database = await createTestDatabase();
  server = await buildServer(readConfig({ DATABASE_URL: database.url }), pino({ level: "silent" }));
  await server.tenants.ensure("existing");
}, 120_000);
afterAll(async () => {
  await server?.close();
  await database?.drop();
});

describe("npm run tenant", { timeout: 120_000 }, () => {
  it("a bare name shows the tenant, creating it when it does not exist (and says so on stderr)", async () => {
    const created = await cli("fresh");
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/^created tenant fresh$/m);
    const shown = JSON.parse(created.stdout) as Record<string, string>;
    expect(shown).toMatchObject({ name: "fresh", patchResponse: "representation" });
    expect((await server.tenants.find("fresh"))?.id).toBe(shown.id);
    const again = await cli("fresh");
    expect(again.stderr).not.toContain("created");
    expect(JSON.parse(again.stdout)).toStrictEqual(shown);
  });

  it("sets and clears options and the PATCH default of an existing tenant", async () => {
    const run = await cli("existing", "--patch-response", "minimal", "--option", "bytebase.userNameFormat=email", "--option", "qase.scim=disabled");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: "existing", patchResponse: "minimal" });
    const tenant = (await server.tenants.find("existing"))!;
    expect(await server.tenants.option(tenant.id, "bytebase.userNameFormat")).toBe("email");
    const cleared = await cli("existing", "--option", "bytebase.userNameFormat=");
    expect(cleared.code).toBe(0);
    // Another process cleared it: read past the few seconds this process may remember it.
    const fresh = await buildServer(readConfig({ DATABASE_URL: database.url }), pino({ level: "silent" }));
    try {
      expect(await fresh.tenants.option(tenant.id, "bytebase.userNameFormat")).toBeUndefined();
      expect(await fresh.tenants.option(tenant.id, "qase.scim")).toBe("disabled");
    } finally {
      await fresh.close();
    }
  });

  it("refuses to change a tenant that does not exist unless --create is given", async () => {
    const refused = await cli("ghost", "--option", "qase.scim=disabled");
    expect({ code: refused.code, stdout: refused.stdout }).toStrictEqual({ code: 1, stdout: "" });
    expect(refused.stderr.trimEnd().split("\n")).toStrictEqual(["tenant: no tenant named ghost (add --create to create it)"]);
    expect(await server.tenants.find("ghost")).toBeUndefined();
    const created = await cli("ghost", "--create", "--option", "qase.scim=disabled");
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/^created tenant ghost$/m);
  });

  it("--enable enables compat APIs, kept once enabled, and issuing an API's credential enables it too", async () => {
    const run = await cli("enabling", "--create", "--enable", "vyte", "--enable", "bytebase");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: "enabling", compatApis: ["bytebase", "vyte"] });
    const again = await cli("enabling", "--enable", "vyte");
    expect(JSON.parse(again.stdout)).toMatchObject({ compatApis: ["bytebase", "vyte"] });
    const tenant = (await server.tenants.find("enabling"))!;
    await server.issueCompatCredential({ tenantId: tenant.id, scopes: ["scim:read"], surface: "qase" });
    expect((await server.tenants.find("enabling"))?.compatApis).toStrictEqual(["bytebase", "qase", "vyte"]);
    const refused = await cli("enabling", "--enable", "slack");
    expect({ code: refused.code, stdout: refused.stdout }).toStrictEqual({ code: 2, stdout: "" });
    expect(refused.stderr).toMatch(/--enable takes one of bytebase, vyte, perm-api, qase, express-gateway, not "slack"/);
  });

  it("--list shows every tenant's id, name, creation time, PATCH default and enabled APIs", async () => {
    const json = await cli("--list", "--json");
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as Record<string, string>[];
    const existing = (await server.tenants.find("existing"))!;
    expect(rows).toContainEqual({ id: existing.id, name: "existing", created: existing.createdAt.toISOString(), "patch-response": expect.any(String), apis: "" });
    const table = await cli("--list");
    expect(table.stdout.split("\n")[0]).toMatch(/^id\s+name\s+created\s+patch-response\s+apis$/);
    expect(table.stdout).toContain(existing.id);
  });

  it.concurrent.each([
    { name: "an unknown option name", args: ["existing", "--opton", "x=y"], line: /unknown option --opton/ },
    { name: "an unknown tenant option", args: ["existing", "--option", "bytebase.colour=red"], line: /unknown option bytebase\.colour/ },
    { name: "a value an option cannot take", args: ["existing", "--option", "bytebase.userNameFormat=phone"], line: /bytebase\.userNameFormat: must be email or uid/ },
    { name: "a bad domain list", args: ["existing", "--option", "bytebase.workspaceDomains=example.com,not a domain"], line: /not a domain: not a domain/ },
    { name: "an unknown property", args: ["existing", "--option", "express-gateway.requiredProperties=username,shoeSize"], line: /not a user property: shoeSize/ },
    { name: "an option that is not name=value", args: ["existing", "--option", "qase.scim"], line: /--option must be name=value/ },
    { name: "a bad PATCH default", args: ["existing", "--patch-response", "full"], line: /--patch-response must be minimal or representation/ },
    { name: "no tenant name", args: [], line: /a tenant name is required/ },
    { name: "two tenant names", args: ["a", "b"], line: /one tenant name/ },
    { name: "--list with a name", args: ["--list", "existing"], line: /--list takes only --json/ },
  ])("$name exits 2 with one line naming it, and stores nothing", async ({ args, line }) => {
    const run = await cli(...args);
    expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 2, stdout: "" });
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(line);
  });

  it("a refused option leaves the tenant's options as they were", async () => {
    const tenant = (await server.tenants.find("existing"))!;
    await server.tenants.setOption("existing", "bytebase.loginRole", "member");
    const run = await cli("existing", "--option", "bytebase.loginRole=admin", "--option", "bytebase.loginRole=root");
    expect(run.code).toBe(2);
    const fresh = await buildServer(readConfig({ DATABASE_URL: database.url }), pino({ level: "silent" }));
    try {
      expect(await fresh.tenants.option(tenant.id, "bytebase.loginRole")).toBe("member");
    } finally {
      await fresh.close();
    }
  });
});
