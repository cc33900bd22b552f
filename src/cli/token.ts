import type { Scope, StoredCredential } from "../auth/ports.ts";
import { allScopes, apiOfKind } from "../auth/tokens.ts";
import { compatApiNames, isCompatApiName } from "../compat/apis.ts";
import { durationSeconds, openServer, parseCommandLine, printTable, runCommand, UsageError } from "./command.ts";

// npm run token -- --tenant <name> [--scope read|write] [--ttl 90d] [--subject <userId>] [--api <api>]
// npm run token -- --revoke <token id>
// npm run token -- --list [--tenant <name>] [--json]
// npm run token -- --admin [--list [--json]]
// Issuing prints the credential and nothing else on stdout; its id goes to stderr.

const usage = `usage:
  npm run token -- --tenant <name> [--scope read|write] [--ttl <seconds|30m|12h|90d>] [--subject <user id>] [--api <api>]
  npm run token -- --revoke <token id>
  npm run token -- --list [--tenant <name>] [--json]
  npm run token -- --admin [--list [--json]]

  --admin        a credential for the admin API and console (/admin), which belongs to no
                 tenant and works nowhere else; with --list, the admin credentials
  --api          the API the credential is for: scim (the default, a bearer token for /scim/v2) or
                 a compat API (${compatApiNames.join(", ")}), printed in the form that
                 API's clients send; a credential works on its own API only

  --scope read   read-only token (scim:read)
  --scope write  read-write token (scim:read scim:write), the default
  --ttl          lifetime; without it the token lives until revoked
  --subject      the user the token acts for (/Me)
  --revoke       revokes a token or key by its id; a running server refuses it within
                 TOKEN_CACHE_SECONDS (5 by default)
  --list         every token and key (of one tenant with --tenant): id, tenant, api, scope,
                 created, expires, revoked; never a secret`;

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
      throw new UsageError(`--scope must be read or write, not "${scope}"`);
  }
}


function listed(credential: StoredCredential): Record<string, string> {
  return {
    id: credential.id,
    tenant: credential.tenantName,
    api: apiOfKind(credential.kind),
    scope: credential.scopes.includes("scim:write") ? "write" : "read",
    created: credential.createdAt.toISOString(),
    expires: credential.expiresAt?.toISOString() ?? "never",
    revoked: credential.revokedAt?.toISOString() ?? "",
  };
}

runCommand("token", "npm run token -- --help", async () => {
  const { values: args } = parseCommandLine({
    tenant: { type: "string" },
    scope: { type: "string" },
    ttl: { type: "string" },
    subject: { type: "string" },
    revoke: { type: "string" },
    api: { type: "string" },
    list: { type: "boolean" },
    json: { type: "boolean" },
    admin: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (args.help) {
    console.log(usage);
    return;
  }
  const issuing = ["scope", "ttl", "subject", "api"].filter((name) => args[name as keyof typeof args] !== undefined);
  if (args.admin) {
    if (args.tenant !== undefined || args.revoke !== undefined || issuing.length > 0) throw new UsageError("--admin takes only --list and --json");
    if (args.json && !args.list) throw new UsageError("--json goes with --list");
    const server = await openServer();
    try {
      if (args.list) {
        const rows = (await server.adminCredentials.list()).map((credential) => ({
          id: credential.id,
          created: credential.createdAt.toISOString(),
          revoked: credential.revokedAt?.toISOString() ?? "",
        }));
        if (args.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
        else printTable(rows, ["id", "created", "revoked"]);
        return;
      }
      const { id, credential } = await server.adminCredentials.issue();
      console.error(`admin credential id ${id}; revoke with: npm run token -- --revoke ${id}`);
      process.stdout.write(`${credential}\n`);
    } finally {
      await server.close();
    }
    return;
  }
  if (args.list) {
    if (args.revoke !== undefined || issuing.length > 0) throw new UsageError(`--list takes only --tenant and --json`);
  } else if (args.revoke !== undefined) {
    if (args.tenant !== undefined || issuing.length > 0 || args.json) throw new UsageError("--revoke takes no other option");
  } else {
    if (args.tenant === undefined) throw new UsageError("--tenant, --revoke or --list is required");
    if (args.json) throw new UsageError("--json goes with --list");
  }
  const api = (args.api ?? "scim").toLowerCase();
  if (api !== "scim" && !isCompatApiName(api)) throw new UsageError(`--api must be scim or one of ${compatApiNames.join(", ")}, not "${args.api}"`);
  const scopes = scopesOf(args.scope);
  const ttlSeconds = args.ttl === undefined ? undefined : durationSeconds("--ttl", args.ttl);

  const server = await openServer();
  try {
    if (args.list) {
      const tenant = args.tenant === undefined ? undefined : await server.tenants.find(args.tenant);
      if (args.tenant !== undefined && !tenant) throw new Error(`no tenant named ${args.tenant}`);
      const rows = (await server.credentials.list(tenant?.id)).map(listed);
      if (args.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
      else printTable(rows, ["id", "tenant", "api", "scope", "created", "expires", "revoked"]);
      return;
    }
    if (args.revoke !== undefined) {
      const revoked = (await server.tokens.revoke(args.revoke)) || (await server.adminCredentials.revoke(args.revoke));
      if (!revoked) throw new Error(`no active token or key ${args.revoke}`);
      console.error(`revoked ${args.revoke}`);
      return;
    }
    const name = args.tenant as string;
    const existing = await server.tenants.find(name);
    const tenant = existing ?? (await server.tenants.ensure(name));
    if (!existing) console.error(`created tenant ${tenant.name}`);
    const request = {
      tenantId: tenant.id,
      scopes,
      ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      ...(args.subject === undefined ? {} : { subject: args.subject }),
    };
    const { token, id } = isCompatApiName(api)
      ? await server.issueCompatCredential({ ...request, surface: api }).then(({ credential, id }) => ({ token: credential, id }))
      : await server.tokens.issue(request);
    console.error(`token id ${id} (tenant ${tenant.name}); revoke with: npm run token -- --revoke ${id}`);
    // A Vyte script names its organisation in bodies (docs/compat/vyte.md §2.3): the tenant's id.
    if (api === "vyte") console.error(`organization ${tenant.id}`);
    process.stdout.write(`${token}\n`);
  } finally {
    await server.close();
  }
});
