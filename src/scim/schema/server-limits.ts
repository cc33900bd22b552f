import { defineAttribute } from "./defaults.ts";
import { extensionUrn } from "./extension-urn.ts";
import type { SchemaDefinition } from "./types.ts";

// RFC 7643 §5 defines the ServiceProviderConfig's attributes and nothing else may be added to
// them; the limits this server applies beyond those live in an extension of its own (§3.3), named in
// the configuration's "schemas" and described under /Schemas like any other.
export const serverLimitsUrn = extensionUrn("limits", "ServiceProviderConfig");

const limit = (name: string, description: string) =>
  defineAttribute({ name, type: "integer", description, mutability: "readOnly" });

export const serverLimitsSchema: SchemaDefinition = {
  id: serverLimitsUrn,
  name: "ServerLimits",
  description: "Limits this server applies to requests, beyond those RFC 7643 §5 describes",
  attributes: [
    defineAttribute({
      name: "filter",
      type: "complex",
      description: "Limits on the filter parameter and on a SearchRequest's filter",
      mutability: "readOnly",
      subAttributes: [
        limit("maxLength", "The longest filter accepted, in characters"),
        limit("maxDepth", "The deepest nesting of parentheses, brackets and not() accepted"),
        limit("maxTerms", "The most comparisons one filter may hold"),
      ],
    }),
  ],
};
