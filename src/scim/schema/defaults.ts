import type { AttributeDefinition } from "./types.ts";

export type AttributeInput = Pick<AttributeDefinition, "name" | "description"> &
  Partial<Omit<AttributeDefinition, "name" | "description">>;

// RFC 7643 §2.2: a characteristic left unspecified takes its default
// (type "string", singular, not required, caseExact false, readWrite, returned "default", uniqueness "none").
export function defineAttribute(input: AttributeInput): AttributeDefinition {
  return {
    type: "string",
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...input,
  };
}
