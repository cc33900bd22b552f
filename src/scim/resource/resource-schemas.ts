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

export interface ResourceSections {
  readonly core: SchemaSection;
  readonly extensions: readonly SchemaSection[];
}

// Schemas are data fixed at start, so each one's sections and name index are built once.
const sections = new WeakMap<ResourceSchemas, ResourceSections>();
const byLowerName = new WeakMap<readonly AttributeDefinition[], ReadonlyMap<string, AttributeDefinition>>();

// RFC 7643 §3: core attributes sit at the top level, extension attributes under the extension's URN.
export function sectionsOf(schemas: ResourceSchemas): ResourceSections {
  let built = sections.get(schemas);
  if (built === undefined) {
    built = {
      core: { urn: schemas.schema.id, attributes: [...schemas.common, ...schemas.schema.attributes], prefix: "" },
      extensions: schemas.extensions.map((extension) => ({
        urn: extension.id,
        attributes: extension.attributes,
        prefix: `${extension.id}:`,
      })),
    };
    sections.set(schemas, built);
  }
  return built;
}

// RFC 7643 §2.1: attribute names are case-insensitive.
export function findAttribute(
  definitions: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  if (definitions.length === 0) return undefined;
  let index = byLowerName.get(definitions);
  if (index === undefined) {
    const entries = new Map<string, AttributeDefinition>();
    // The first definition of a name wins, as a search from the start would find it.
    for (const definition of definitions) {
      const key = definition.name.toLowerCase();
      if (!entries.has(key)) entries.set(key, definition);
    }
    index = entries;
    byLowerName.set(definitions, index);
  }
  return index.get(name.toLowerCase());
}
