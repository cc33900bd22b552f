import { comparisonForm } from "../scim/filter/collation.ts";
import type { Attributes } from "../scim/ports.ts";
import { sameJson } from "../scim/resource/json.ts";
import { enterpriseUserUrn } from "../scim/schema/urns.ts";
import type { AttributeDefinition, SchemaDefinition } from "../scim/schema/types.ts";
import type { Tables } from "./tables.ts";

// The ExtensionValue rows of a resource: one per value of each simple attribute of its tenant's
// extension schemas (the Enterprise extension has columns of its own), so that filters on
// them and the uniqueness of "server"-unique ones are answered by indexes.

export interface IndexedAttribute {
  // The attribute's URN-qualified path, as stored in ExtensionValue.attr.
  readonly path: string;
  readonly urn: string;
  readonly definition: AttributeDefinition;
}

// Longer values are kept in the resource but not indexed (a b-tree entry has a size limit); a
// filter on such a value finds nothing.
export const maxIndexedLength = 512;

// An ExtensionValue row before its owner is set.
export type ExtensionValueRow = Omit<Tables["ExtensionValue"], "id" | "userId" | "groupId">;

const indexedOf = new WeakMap<readonly SchemaDefinition[], IndexedAttribute[]>();

/**
 * The indexed attributes of a tenant's extension schemas (a write's `extensions`): the simple
 * attributes of every one but the Enterprise extension, which has columns of its own.
 */
export function indexedAttributesOf(extensions: readonly SchemaDefinition[]): readonly IndexedAttribute[] {
  let indexed = indexedOf.get(extensions);
  if (indexed === undefined) {
    indexed = extensions
      .filter((schema) => schema.id !== enterpriseUserUrn)
      .flatMap((schema) =>
        schema.attributes
          .filter((attribute) => attribute.type !== "complex")
          .map((definition) => ({ path: `${schema.id}:${definition.name}`, urn: schema.id, definition })),
      );
    indexedOf.set(extensions, indexed);
  }
  return indexed;
}

function isNumeric(definition: AttributeDefinition): boolean {
  return definition.type === "integer" || definition.type === "decimal";
}

/** The text a value is stored and compared as: folded unless caseExact, booleans as "true"/"false", dateTimes in ISO form. */
export function extensionText(definition: AttributeDefinition, value: unknown): string | null {
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return null;
  if (definition.type === "dateTime") {
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : new Date(time).toISOString();
  }
  return comparisonForm(definition, value);
}

export function extensionValueRows(
  tenantId: string,
  attributes: Attributes,
  indexed: readonly IndexedAttribute[],
): ExtensionValueRow[] {
  const rows: ExtensionValueRow[] = [];
  for (const { path, urn, definition } of indexed) {
    const section = attributes[urn];
    if (section === null || typeof section !== "object") continue;
    const raw = (section as Record<string, unknown>)[definition.name];
    const values = definition.multiValued ? (Array.isArray(raw) ? raw : []) : raw === undefined || raw === null ? [] : [raw];
    values.forEach((value, pos) => {
      const text = extensionText(definition, value);
      if (text === null || text.length > maxIndexedLength) return;
      rows.push({
        tenantId,
        attr: path,
        pos,
        value: isNumeric(definition) ? null : text,
        num: isNumeric(definition) && typeof value === "number" ? value : null,
        uniqueValue: definition.uniqueness === "none" ? null : text,
      });
    });
  }
  return rows;
}

/** Whether any indexed extension attribute differs between two states of a resource. */
export function extensionValuesChanged(before: Attributes, after: Attributes, indexed: readonly IndexedAttribute[]): boolean {
  const urns = new Set(indexed.map((attribute) => attribute.urn));
  return [...urns].some((urn) => !sameJson(before[urn], after[urn]));
}
