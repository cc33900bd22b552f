import type { CompatCore } from "../core.ts";
import { choice, type TenantOption } from "../tenant-option.ts";
import { defaultRequiredProperties, userModel } from "./contract.ts";

// The per-tenant options of the Express Gateway API (docs/compat/express-gateway.md §8;
// npm run tenant -- <tenant> --option name=value).

// Comma-separated properties a create must carry, as an operator edits `required` in upstream's
// models/users.json; unset means username, firstname, lastname. A value naming no property
// ("," from the CLI, whose `name=` clears) requires none; the core still requires userName.
export const requiredPropertiesOption = "express-gateway.requiredProperties";

// "false" answers validation failures with their own 4xx status (400, 413, ...); unset or any
// other value keeps upstream's 500, which Express Gateway's admin error handler gives them all.
export const strictUpstreamStatusOption = "express-gateway.strictUpstreamStatus";

export async function requiredProperties(core: CompatCore, tenantId: string): Promise<readonly string[]> {
  const value = await core.tenants.option(tenantId, requiredPropertiesOption);
  if (value === undefined) return defaultRequiredProperties;
  return value.split(",").map((name) => name.trim()).filter((name) => name !== "");
}

export async function strictUpstreamStatus(core: CompatCore, tenantId: string): Promise<boolean> {
  return (await core.tenants.option(tenantId, strictUpstreamStatusOption))?.trim().toLowerCase() !== "false";
}

export const expressGatewayOptions: readonly TenantOption[] = [
  {
    name: requiredPropertiesOption,
    description: `comma-separated properties a create requires, of ${Object.keys(userModel).join(", ")} ("," for none)`,
    check: (value) => {
      const unknown = value.split(",").map((name) => name.trim()).filter((name) => name !== "" && !Object.hasOwn(userModel, name));
      return unknown.length === 0 ? undefined : `not a user property: ${unknown.join(", ")}`;
    },
  },
  choice(strictUpstreamStatusOption, "false answers validation failures with their own 4xx status instead of upstream's 500", ["true", "false"]),
];
