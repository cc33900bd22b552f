import { choice, type TenantOption } from "../tenant-option.ts";

// The per-tenant options of the Qase API (docs/compat/qase.md §8).

export const qaseScimOption = "qase.scim";

export const qaseOptions: readonly TenantOption[] = [choice(qaseScimOption, "disabled makes the Qase API answer 403 for the tenant", ["enabled", "disabled"])];
