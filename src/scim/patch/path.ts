import { ScimError } from "../errors.ts";
import type { AttributeRef, Filter } from "../filter/ast.ts";
import { parseFilter } from "../filter/parse.ts";
import { findInExtension } from "../filter/quirks.ts";
import type { SchemaRegistry } from "../schema/registry.ts";
import type { AttributeDefinition, ResourceTypeDefinition } from "../schema/types.ts";

// RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr]: the target of a PATCH operation.

export type PatchPath =
  // `userName`, `name.givenName`, `emails.value` (every element), `urn:...:User:manager`.
  | { readonly kind: "attribute"; readonly ref: AttributeRef }
  // The bare URN of an extension schema: its attributes as a whole.
  | { readonly kind: "extension"; readonly schema: string }
  // `emails[type eq "work"]` or `emails[type eq "work"].value`: the matching elements.
  | {
      readonly kind: "elements";
      readonly ref: AttributeRef;
      readonly filter: Filter;
      readonly subAttribute?: AttributeDefinition;
    };

const valuePathForm = /^(.+?)\[(.*)\](?:\.([A-Za-z$][\w$-]*))?$/s;

// RFC 7644 §3.5.2, §3.10. An extension attribute without its URN (Entra's `manager`) resolves as
// it does in a filter: in the one extension that defines it.
export function parsePatchPath(text: string, resourceType: ResourceTypeDefinition, registry: SchemaRegistry): PatchPath {
  const extension = resourceType.schemaExtensions.find((candidate) => candidate.schema.toLowerCase() === text.toLowerCase());
  if (extension) return { kind: "extension", schema: extension.schema };

  const valuePath = valuePathForm.exec(text);
  if (!valuePath) {
    const resolved = registry.findAttribute(resourceType, text) ?? findInExtension(registry, resourceType, text);
    if (!resolved) throw ScimError.invalidPath(`"${text}" is not an attribute of ${resourceType.name}`);
    return { kind: "attribute", ref: resolved };
  }
  const [, attrPath = "", filterText = "", subName] = valuePath;
  let filter: Filter;
  try {
    filter = parseFilter(`${attrPath}[${filterText}]`, resourceType, registry);
  } catch (error) {
    if (error instanceof ScimError) throw ScimError.invalidPath(`"${text}": ${error.detail}`);
    throw error;
  }
  if (filter.kind !== "valuePath") throw ScimError.invalidPath(`"${text}" is not a value path`);
  const subAttribute = subName === undefined ? undefined : findSub(filter.attribute.attribute, subName);
  if (subName !== undefined && subAttribute === undefined) {
    throw ScimError.invalidPath(`"${filter.attribute.path}" has no sub-attribute "${subName}"`);
  }
  return { kind: "elements", ref: filter.attribute, filter: filter.filter, ...(subAttribute ? { subAttribute } : {}) };
}

function findSub(attribute: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return attribute.subAttributes?.find((sub) => sub.name.toLowerCase() === name.toLowerCase());
}
