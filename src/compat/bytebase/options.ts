import { choice, type TenantOption } from "../tenant-option.ts";

// The per-tenant options of the Bytebase API (docs/compat/bytebase.md §9).

export const userNameFormatOption = "bytebase.userNameFormat";
export const loginRoleOption = "bytebase.loginRole";
export const workspaceDomainsOption = "bytebase.workspaceDomains";

const domain = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

export const bytebaseOptions: readonly TenantOption[] = [
  choice(userNameFormatOption, "users/{email} (email) or users/{uid} (uid, the default) in user names", ["email", "uid"]),
  choice(loginRoleOption, "what a login token may do: member (read, and change its own user and groups) or admin (the default)", ["member", "admin"]),
  {
    name: workspaceDomainsOption,
    description: "comma-separated domains that group emails must belong to",
    check: (value) => {
      const bad = value.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "" && !domain.test(entry));
      return bad.length === 0 ? undefined : `not a domain: ${bad.join(", ")}`;
    },
  },
];
