import { parseArgs } from "node:util";
import pino from "pino";
import type { Scope } from "../auth/ports.ts";
import { allScopes } from "../auth/tokens.ts";
import { compatSurfaceNames, isCompatSurface } from "../compat/surfaces.ts";
import { ConfigError, readConfig } from "../config.ts";
import { buildServer } from "../server.ts";

// npm run token -- --tenant <name> [--scope read|write] [--ttl 90d] [--subject <userId>] [--api <api>]
// npm run token -- --revoke <token id>
// Prints the credential and nothing else on stdout; its id goes to stderr.

const usage = `usage:
  npm run token -- --tenant <name> [--scope read|write] [--ttl <seconds|30m|12h|90d>] [--subject <user id>] [--api <api>]
  npm run token -- --revoke <token id>

  --api          the API the credential is for: scim (the default, a bearer token for /scim/v2) or
                 a compat API (${compatSurfaceNames.join(", ")}), printed in the form that
                 API's clients send; a credential works on its own API only

  --scope read   read-only token (scim:read)
  --scope write  read-write token (scim:read scim:write), the default
  --ttl          lifetime; without it the token lives until revoked
  --subject      the user the token acts for (/Me)`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

function scopesOf(scope: string | undefined): Scope[] {
  switch ((scope ?? "write").toLowerCase()) {
    case "read":
    case "scim:read":
      return ["scim:read"];
    case "write":
    case "read,write":
    case "scim:write":
      return [...allScopes];
    default:
      return fail(`Unknown scope "${scope}"`);
  }
}

function secondsOf(ttl: string | undefined): number | undefined {
  if (ttl === undefined) return undefined;
  const match = /^(\d+)\s*([smhd]?)$/.exec(ttl.trim());
  if (!match) return fail(`Cannot read --ttl "${ttl}"`);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "" | "s" | "m" | "h" | "d"];
  const seconds = Number(match[1]) * unit;
  return seconds > 0 ? seconds : fail("--ttl must be positive");
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        tenant: { type: "string" },
        scope: { type: "string" },
        ttl: { type: "string" },
        subject: { type: "string" },
        revoke: { type: "string" },
        api: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
  if (args.help) {
    console.log(usage);
    return;
  }
  if (!args.revoke && !args.tenant) fail("--tenant or --revoke is required");

  const config = readConfig(process.env);
  const server = await buildServer(config, pino({ level: "silent" }));
  try {
    if (args.revoke) {
      const revoked = await server.tokens.revoke(args.revoke);
      console.error(revoked ? `revoked ${args.revoke}` : `no active token ${args.revoke}`);
      process.exitCode = revoked ? 0 : 1;
      return;
    }
    const api = (args.api ?? "scim").toLowerCase();
    if (api !== "scim" && !isCompatSurface(api)) fail(`Unknown --api "${args.api}"`);
    const tenant = await server.tenants.ensure(args.tenant as string);
    const ttlSeconds = secondsOf(args.ttl);
    const request = {
      tenantId: tenant.id,
      scopes: scopesOf(args.scope),
      ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      ...(args.subject === undefined ? {} : { subject: args.subject }),
    };
    const { token, id } = isCompatSurface(api)
      ? await server.issueCompatCredential({ ...request, surface: api }).then(({ credential, id }) => ({ token: credential, id }))
      : await server.tokens.issue(request);
    console.error(`token id ${id} (tenant ${tenant.name}); revoke with: npm run token -- --revoke ${id}`);
    process.stdout.write(`${token}\n`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
