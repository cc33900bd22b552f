// npm run conformance [-- --db postgresql]: Microsoft's SCIM reference collection with newman,
// against a fresh server on an empty database: a temporary SQLite file, or a scratch PostgreSQL
// database. The collection is not part of this repository: it is read from
// ../shared/conformance/microsoft-postman beside the checkout, where CI has it. Without it the
// run says so and does nothing (and fails under CI=true, where it must run). The tenant it
// uses answers PATCH with 204 when no Prefer is sent, as that collection asserts; RFC clients are
// unaffected (they may send Prefer, or accept either answer).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import newman from "newman";
import pino from "pino";
import { readConfig } from "../../src/config.ts";
import { buildServer } from "../../src/server.ts";
import { createTestDatabase } from "../support/databases.ts";

const collection = resolve("../shared/conformance/microsoft-postman/collection.json");
if (!existsSync(collection)) {
  console.log(`conformance: NOT run: Microsoft's SCIM collection is absent (looked for ${collection}).`);
  process.exit(process.env.CI === "true" ? 1 : 0);
}

const kind = process.argv.includes("postgresql") || process.argv.includes("postgres") ? "postgresql" : "sqlite";
const database = await createTestDatabase(kind);
const dir = mkdtempSync(join(tmpdir(), "scim-conformance-"));
const server = await buildServer(readConfig({ DATABASE_URL: database.url, LOG_LEVEL: "silent" }), pino({ level: "silent" }));
const tenant = await server.tenants.setPatchReturn(`conformance-${Date.now()}`, "minimal");
// The collection names a manager that is no user ("SuzzyQ") and reads back the display it sent
// for a member: the two tenant options made for such clients (src/scim/options.ts).
await server.tenants.setOption(tenant.name, "scim.managerReferences", "opaque");
await server.tenants.setOption(tenant.name, "scim.memberDisplay", "client");
const { token } = await server.tokens.issue({ tenantId: tenant.id, scopes: ["scim:read", "scim:write"] });
const listener = server.app.listen(0, "127.0.0.1");
await new Promise((done) => listener.once("listening", done));
const port = (listener.address() as AddressInfo).port;
const report = join(dir, "newman.json");

const summary = await new Promise<newman.NewmanRunSummary>((done, fail) =>
  newman.run(
    {
      collection: JSON.parse(readFileSync(collection, "utf8")),
      envVar: [
        { key: "Protocol", value: "http" },
        { key: "Server", value: "127.0.0.1" },
        { key: "Port", value: `:${port}` },
        { key: "Api", value: "scim/v2" },
        { key: "token", value: token },
      ],
      reporters: ["cli", "json"],
      reporter: { json: { export: report } },
      color: "off",
    },
    (error, result) => (error ? fail(error) : done(result)),
  ),
);

listener.close();
await server.close();
await database.drop();
rmSync(dir, { recursive: true, force: true });

const assertions = summary.run.stats.assertions;
const failed = assertions.failed ?? 0;
console.log(`conformance-${kind}: ${(assertions.total ?? 0) - failed} passed, ${failed} failed`);
process.exit(failed === 0 && (assertions.total ?? 0) > 0 ? 0 : 1);
