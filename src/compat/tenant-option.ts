// A per-tenant option of a compat API, as the API declares it.
export interface TenantOption {
  readonly name: string;
  readonly description: string;
  // What is wrong with the value, or undefined when the option can take it.
  readonly check: (value: string) => string | undefined;
}

// An option that takes one of a few words.
export function choice(name: string, description: string, values: readonly string[]): TenantOption {
  return { name, description, check: (value) => (values.includes(value) ? undefined : `must be ${values.join(" or ")}`) };
}
