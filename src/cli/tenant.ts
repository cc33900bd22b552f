import { readFileSync } from "node:fs";
import type { Tenant } from "../auth/ports.ts";
import { optionProblem, tenantOptions } from "../compat/options.ts";
import { compatApiNames, isCompatApiName } from "../compat/apis.ts";
import { openServer, parseCommandLine, printTable, runCommand, UsageError } from "./command.ts";

// npm run tenant -- <name> [--create] [--patch-response minimal|representation] [--option name=value ...] [--enable api ...]
//   [--schema file.json ...] [--remove-schema urn ...]
// npm run tenant -- --list [--json]
// Shows a tenant (creating it when only its name is given), or changes its settings, and prints it
// as JSON.

const usage = `usage:
  npm run tenant -- <name>             shows the tenant, creating it if it does not exist
  npm run tenant -- <name> [--create] [--patch-response minimal|representation] [--option name=value ...] [--enable <api> ...]
                                       [--schema <file.json> ...] [--remove-schema <urn> ...]
  npm run tenant -- --list [--json]

  --create          creates the tenant if it does not exist; without it, changing the settings
                    of a tenant that does not exist is an error
  --patch-response  what PATCH answers when a request sends no Prefer header (RFC 7240):
                    representation (200 with the resource, the default) or minimal (204)
  --enable          enables a compat API for the tenant (${compatApiNames.join(", ")}); issuing
                    the API's credential (npm run token -- --api <api>) enables it too
  --schema          defines an extension schema for the tenant from a file holding an RFC 7643 §7
                    schema definition whose id ends in ":User" or ":Group" (simple attributes;
                    a schema with the same id is replaced). Its attributes are then stored,
                    returned, filtered on and patched like the Enterprise extension's
  --remove-schema   removes one of the tenant's schemas, and its values from every resource
  --option          sets an option of the tenant; "name=" clears it. Options:
${tenantOptions.map((option) => `                      ${option.name}: ${option.description}`).join("\n")}
  --list            every tenant: id, name, created, PATCH response, compat APIs enabled`;

function listed(tenant: Tenant): Record<string, string> {
  return {
    id: tenant.id,
    name: tenant.name,
    created: tenant.createdAt.toISOString(),
    "patch-response": tenant.patchReturn,
    apis: tenant.compatApis.join(","),
  };
}

runCommand("tenant", "npm run tenant -- --help", async () => {
  const { values, positionals } = parseCommandLine(
    {
      create: { type: "boolean" },
      "patch-response": { type: "string" },
      option: { type: "string", multiple: true },
      enable: { type: "string", multiple: true },
      schema: { type: "string", multiple: true },
      "remove-schema": { type: "string", multiple: true },
      list: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    true,
  );
  if (values.help) {
    console.log(usage);
    return;
  }
  if (values.list) {
    if (positionals.length > 0 || values.create || values["patch-response"] !== undefined || values.option || values.enable || values.schema || values["remove-schema"]) {
      throw new UsageError("--list takes only --json");
    }
  } else {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "a tenant name is required" : `one tenant name, not ${positionals.length}`);
    if (values.json) throw new UsageError("--json goes with --list");
  }
  const patchResponse = values["patch-response"];
  if (patchResponse !== undefined && patchResponse !== "minimal" && patchResponse !== "representation") {
    throw new UsageError(`--patch-response must be minimal or representation, not "${patchResponse}"`);
  }
  const options = (values.option ?? []).map((option) => {
    const match = /^([\w.-]+)=(.*)$/.exec(option);
    if (!match) throw new UsageError(`--option must be name=value, not "${option}"`);
    const [, name, given] = match as unknown as [string, string, string];
    const value = given === "" ? undefined : given;
    const problem = optionProblem(name, value);
    if (problem !== undefined) throw new UsageError(problem);
    return [name, value] as const;
  });

  const enable = values.enable ?? [];
  for (const api of enable) {
    if (!isCompatApiName(api)) throw new UsageError(`--enable takes one of ${compatApiNames.join(", ")}, not "${api}"`);
  }

  // Each file is read and parsed before anything changes; the definitions are checked by the server.
  const schemaFiles = (values.schema ?? []).map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new UsageError(`--schema ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    try {
      return { file, definition: JSON.parse(text) as unknown };
    } catch (error) {
      throw new UsageError(`--schema ${file}: not JSON (${(error as Error).message})`);
    }
  });
  const removals = values["remove-schema"] ?? [];

  const server = await openServer();
  try {
    if (values.list) {
      const rows = (await server.tenants.list()).map(listed);
      if (values.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
      else printTable(rows, ["id", "name", "created", "patch-response", "apis"]);
      return;
    }
    const name = positionals[0] as string;
    const changes = patchResponse !== undefined || options.length > 0 || enable.length > 0 || schemaFiles.length > 0 || removals.length > 0;
    let tenant = await server.tenants.find(name);
    if (!tenant) {
      if (changes && !values.create) throw new Error(`no tenant named ${name} (add --create to create it)`);
      tenant = await server.tenants.ensure(name);
      console.error(`created tenant ${tenant.name}`);
    }
    if (patchResponse !== undefined) tenant = await server.tenants.setPatchReturn(name, patchResponse);
    for (const [option, value] of options) tenant = await server.tenants.setOption(name, option, value);
    for (const api of enable) tenant = (await server.tenants.enableApi(tenant.id, api)) ?? tenant;
    for (const { file, definition } of schemaFiles) {
      const defined = await server.tenantSchemas.define(tenant.id, definition);
      if ("errors" in defined) throw new UsageError(`--schema ${file}: ${defined.errors.join("; ")}`);
    }
    for (const urn of removals) {
      if (!(await server.tenantSchemas.remove(tenant.id, urn))) throw new UsageError(`--remove-schema: tenant ${tenant.name} has no schema ${urn}`);
    }
    const schemas = (await server.tenantSchemas.list(tenant.id)).map((entry) => entry.schema.id);
    const shown = {
      id: tenant.id,
      name: tenant.name,
      patchResponse: tenant.patchReturn,
      compatApis: tenant.compatApis,
      schemas,
      createdAt: tenant.createdAt.toISOString(),
    };
    process.stdout.write(`${JSON.stringify(shown)}\n`);
  } finally {
    await server.close();
  }
});
