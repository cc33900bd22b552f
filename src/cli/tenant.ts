import { parseArgs } from "node:util";
import pino from "pino";
import type { PatchReturn } from "../auth/ports.ts";
import { readConfig } from "../config.ts";
import { buildServer } from "../server.ts";

// npm run tenant -- <name> [--patch-response minimal|representation]
// Creates the tenant if needed, applies the given settings, and prints the tenant as JSON.

const usage = `usage:
  npm run tenant -- <name> [--patch-response minimal|representation]

  --patch-response  what PATCH answers when a request sends no Prefer header (RFC 7240):
                    representation (200 with the resource, the default) or minimal (204)`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ options: { "patch-response": { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  const name = parsed.positionals[0];
  if (parsed.values.help || !name || parsed.positionals.length > 1) {
    console.error(usage);
    process.exit(parsed.values.help ? 0 : 2);
  }
  const patchResponse = parsed.values["patch-response"];
  if (patchResponse !== undefined && patchResponse !== "minimal" && patchResponse !== "representation") {
    console.error(`--patch-response must be minimal or representation\n\n${usage}`);
    process.exit(2);
  }
  const server = await buildServer(readConfig(process.env), pino({ level: "silent" }));
  try {
    const tenant = patchResponse
      ? await server.tenants.setPatchReturn(name, patchResponse as PatchReturn)
      : await server.tenants.ensure(name);
    process.stdout.write(`${JSON.stringify(tenant)}\n`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
