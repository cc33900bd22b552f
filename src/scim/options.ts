// Per-tenant options of the SCIM core (npm run tenant -- <tenant> --option name=value), for clients
// whose references the default rules would refuse or rewrite. Declared here; the CLI checks values
// against `check` when they are set.

// How manager.value is read (RFC 7643 §4.3). "checked" (the default): it must name a user of the
// tenant, else 400 invalidValue. "opaque": any non-empty string is kept, for an IdP that sends its
// own identifier of the manager (Okta's managerId, Microsoft's reference collection).
export const managerReferencesOption = "scim.managerReferences";

// What a member's display shows (RFC 7643 §4.2). "current" (the default): the member's current name,
// whatever a client sent. "client": the display a client sends when it adds a member is kept until
// the member is renamed (Microsoft's reference collection reads back what it sent).
export const memberDisplayOption = "scim.memberDisplay";

export interface ScimOption {
  readonly name: string;
  readonly description: string;
  readonly check: (value: string) => string | undefined;
}

const oneOf = (values: readonly string[]) => (value: string) => (values.includes(value) ? undefined : `must be ${values.join(" or ")}`);

export const scimOptions: readonly ScimOption[] = [
  {
    name: managerReferencesOption,
    description: "checked (default): manager.value must name a user of the tenant; opaque: any string is kept",
    check: oneOf(["checked", "opaque"]),
  },
  {
    name: memberDisplayOption,
    description: "current (default): a member's display is its current name; client: the display sent on add is kept until a rename",
    check: oneOf(["current", "client"]),
  },
];

// Where the services read a tenant's options (the tenant store, which caches them briefly).
export interface OptionReader {
  option(tenantId: string, name: string): Promise<string | undefined>;
}
