import type { CompatCore } from "../core.ts";
import { choice, type TenantOption } from "../tenant-option.ts";
import { defaultRequiredProperties, userModel } from "./contract.ts";

// The per-tenant options of the Express Gateway API (docs/compat/express-gateway.md §8;
// npm run tenant -- <tenant> --option name=value).

// Comma-separated properties a create must carry, as an operator edits `required` in upstream's
// models/users.json; unset means username, firstname, lastname. A value naming no property
// ("," from the CLI, whose `name=` clears) requires none; the core still requires userName.
export const requiredPropertiesOption = "express-gateway.requiredProperties";

// "true" answers validation failures with upstream's 500, which Express Gateway's admin error
// handler gives them all, for scripts written against that; unset or "false" answers each with its
// own 4xx status (400, 413, ...), so that no bad input is ever a 5xx.
export const strictUpstreamStatusOption = "express-gateway.strictUpstreamStatus";

export async function requiredProperties(core: CompatCore, tenantId: string): Promise<readonly string[]> {
  const value = await core.tenants.option(tenantId, requiredPropertiesOption);
  if (value === undefined) return defaultRequiredProperties;
  return value.split(",").map((name) => name.trim()).filter((name) => name !== "");
}

export async function strictUpstreamStatus(core: CompatCore, tenantId: string): Promise<boolean> {
  return (await core.tenants.option(tenantId, strictUpstreamStatusOption))?.trim().toLowerCase() === "true";
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
  choice(strictUpstreamStatusOption, "true answers validation failures with upstream's 500 instead of their own 4xx status", ["true", "false"]),
];
