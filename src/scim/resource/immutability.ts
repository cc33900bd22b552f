import { ScimError } from "../errors.js";
import type { AttributeDefinition } from "../schema/types.js";
import { sameValue } from "./equality.js";
import { isJsonObject, isUnassigned, type JsonObject } from "./json.js";
import { sectionsOf, type ResourceSchemas } from "./resource-schemas.js";

/**
 * RFC 7643 §7, RFC 7644 §3.5.1: on replace, an immutable attribute that already has a value must be given
 * the same value, else 400 mutability. Both resources are in readResource's shape (extensions under their URN).
 * An omitted immutable attribute is not a change: the caller keeps the stored value. Immutable
 * sub-attributes are checked inside single-valued complex attributes; elements of multi-valued attributes
 * (members.value) are replaced as a whole and are not compared.
 */
export function assertImmutableUnchanged(previous: JsonObject, next: JsonObject, schemas: ResourceSchemas): void {
  const { core, extensions } = sectionsOf(schemas);
  assertAttributesUnchanged(previous, next, core.attributes, core.prefix);
  for (const extension of extensions) {
    assertAttributesUnchanged(
      objectOrEmpty(previous[extension.urn]),
      objectOrEmpty(next[extension.urn]),
      extension.attributes,
      extension.prefix,
    );
  }
}

function assertAttributesUnchanged(
  previous: JsonObject,
  next: JsonObject,
  definitions: readonly AttributeDefinition[],
  prefix: string,
): void {
  for (const definition of immutableScope(definitions)) {
    const before = previous[definition.name];
    const after = next[definition.name];
    if (definition.mutability === "immutable") {
      if (isUnassigned(before) || isUnassigned(after) || sameValue(definition, before, after)) continue;
      throw ScimError.mutability(`Attribute "${prefix}${definition.name}" is immutable and cannot be changed`);
    }
    assertAttributesUnchanged(objectOrEmpty(before), objectOrEmpty(after), definition.subAttributes ?? [], `${prefix}${definition.name}.`);
  }
}

const scopes = new WeakMap<readonly AttributeDefinition[], readonly AttributeDefinition[]>();

/**
 * The definitions an immutability check looks at: the immutable attributes, and the single-valued
 * complex ones with an immutable sub-attribute somewhere below. Built once per definition list.
 */
export function immutableScope(definitions: readonly AttributeDefinition[]): readonly AttributeDefinition[] {
  if (definitions.length === 0) return definitions;
  let scope = scopes.get(definitions);
  if (scope === undefined) {
    scope = definitions.filter(
      (definition) =>
        definition.mutability === "immutable" ||
        (definition.type === "complex" && !definition.multiValued && immutableScope(definition.subAttributes ?? []).length > 0),
    );
    scopes.set(definitions, scope);
  }
  return scope;
}

function objectOrEmpty(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}
