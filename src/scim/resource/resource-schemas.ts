import type { AttributeDefinition, SchemaDefinition } from "../schema/types.js";

// RFC 7643 §6: the schemas one resource type is made of — its core schema, its extensions, and the
// common attributes (§3.1: id, externalId, meta) that belong to no schema.
export interface ResourceSchemas {
  readonly schema: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
  readonly common: readonly AttributeDefinition[];
}

/**
 * One place a resource's attributes live: the core schema (with the common attributes) at the top level,
 * or an extension schema under its URN key. `prefix` turns an attribute name into its path for messages.
 */
export interface SchemaSection {
  readonly urn: string;
  readonly attributes: readonly AttributeDefinition[];
  readonly prefix: string;
}

// RFC 7643 §3: core attributes sit at the top level, extension attributes under the extension's URN.
export function sectionsOf(schemas: ResourceSchemas): { core: SchemaSection; extensions: SchemaSection[] } {
  return {
    core: { urn: schemas.schema.id, attributes: [...schemas.common, ...schemas.schema.attributes], prefix: "" },
    extensions: schemas.extensions.map((extension) => ({
      urn: extension.id,
      attributes: extension.attributes,
      prefix: `${extension.id}:`,
    })),
  };
}

// RFC 7643 §2.1: attribute names are case-insensitive.
export function findAttribute(
  definitions: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return definitions.find((definition) => definition.name.toLowerCase() === wanted);
}
