import { scimOptions } from "../scim/options.ts";
import { bytebaseOptions } from "./bytebase/options.ts";
import { expressGatewayOptions } from "./express-gateway/options.ts";
import { qaseOptions } from "./qase/options.ts";
import type { TenantOption } from "./tenant-option.ts";

// The per-tenant options of the SCIM core and the compat APIs (npm run tenant -- <tenant> --option
// name=value), each declared by its owner. An unknown name or a value the option cannot take is refused when it
// is set, not found out when a request reads it.

export const tenantOptions: readonly TenantOption[] = [...scimOptions, ...bytebaseOptions, ...qaseOptions, ...expressGatewayOptions];

// What is wrong with setting `name` to `value` (or clearing it, undefined), or undefined.
export function optionProblem(name: string, value: string | undefined): string | undefined {
  const option = tenantOptions.find((candidate) => candidate.name === name);
  if (!option) return `unknown option ${name} (known: ${tenantOptions.map((known) => known.name).join(", ")})`;
  if (value === undefined) return undefined;
  const problem = option.check(value);
  return problem === undefined ? undefined : `${name}: ${problem}`;
}
