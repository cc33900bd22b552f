import { parseArgs } from "node:util";
import pino from "pino";
import type { PatchReturn } from "../auth/ports.ts";
import { readConfig } from "../config.ts";
import { buildServer } from "../server.ts";

// npm run tenant -- <name> [--patch-response minimal|representation] [--option name=value ...]
// Creates the tenant if needed, applies the given settings, and prints the tenant as JSON.

const usage = `usage:
  npm run tenant -- <name> [--patch-response minimal|representation] [--option name=value ...]

  --patch-response  what PATCH answers when a request sends no Prefer header (RFC 7240):
                    representation (200 with the resource, the default) or minimal (204)
  --option          sets an option of a compat API for the tenant (see README); "name=" clears it`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: { "patch-response": { type: "string" }, option: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
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
  const options = (parsed.values.option ?? []).map((option) => {
    const match = /^([\w.-]+)=(.*)$/.exec(option);
    if (!match) {
      console.error(`--option must be name=value, not "${option}"\n\n${usage}`);
      process.exit(2);
    }
    return [match[1] as string, match[2] as string] as const;
  });
  const server = await buildServer(readConfig(process.env), pino({ level: "silent" }));
  try {
    let tenant = patchResponse
      ? await server.tenants.setPatchReturn(name, patchResponse as PatchReturn)
      : await server.tenants.ensure(name);
    for (const [option, value] of options) tenant = await server.tenants.setOption(name, option, value === "" ? undefined : value);
    process.stdout.write(`${JSON.stringify(tenant)}\n`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
