import { ScimError } from "../errors.js";
import { assertRequiredPresent, readAttributes, type AttributeEntry, type ReadNotes } from "./attributes.js";
import { isJsonObject, type JsonObject } from "./json.js";
import { sectionsOf, type ResourceSchemas, type SchemaSection } from "./resource-schemas.js";

/** A resource as written by a client: canonical attribute names, extensions under their URN, `schemas` computed. */
export type ResourceBody = { readonly schemas: readonly string[]; readonly [name: string]: unknown };

export interface ResourceInput {
  readonly resource: ResourceBody;
  /** Paths of unknown attributes that were dropped (`nickname2`, `name.foo`, `urn:…:User:foo`), for logging. */
  readonly ignored: readonly string[];
  /** Paths of writeOnly attributes present (`password`): the caller hashes them and never echoes them. */
  readonly writeOnly: readonly string[];
}

/**
 * RFC 7643 §2, §3, §7; RFC 7644 §3.3, §3.5.1: reads a POST or PUT body against the resource type's schemas.
 * Lenient where clients differ (readOnly, unknown and null attributes are dropped; `schemas` is recomputed;
 * extension attributes may come under the URN key or URN-qualified), strict on types and required values.
 * Immutability against the stored resource is the caller's check: see assertImmutableUnchanged.
 */
export function readResource(body: unknown, schemas: ResourceSchemas): ResourceInput {
  if (!isJsonObject(body)) throw ScimError.invalidSyntax("The request body must be a JSON object");
  const notes: ReadNotes = { ignored: new Set(), writeOnly: new Set() };
  const { core, extensions } = sectionsOf(schemas);
  const entries = sortEntriesBySection(body, [core, ...extensions]);

  const coreValues = readAttributes(entries.get(core) ?? [], core.attributes, core.prefix, notes);
  assertRequiredPresent(coreValues, core.attributes, core.prefix);
  const schemaUrns = [core.urn];
  const extensionValues: JsonObject = {};
  for (const extension of extensions) {
    const values = readAttributes(entries.get(extension) ?? [], extension.attributes, extension.prefix, notes);
    if (Object.keys(values).length === 0) continue;
    assertRequiredPresent(values, extension.attributes, extension.prefix);
    extensionValues[extension.urn] = values;
    schemaUrns.push(extension.urn);
  }
  return {
    resource: { schemas: schemaUrns, ...coreValues, ...extensionValues },
    ignored: [...notes.ignored],
    writeOnly: [...notes.writeOnly],
  };
}

// RFC 7643 §3: top-level keys are core attributes, a schema URN holding an object of its attributes, or
// URN-qualified attribute names (`urn:…:enterprise:2.0:User:employeeNumber`); URNs match case-insensitively.
function sortEntriesBySection(
  body: JsonObject,
  sections: readonly SchemaSection[],
): Map<SchemaSection, AttributeEntry[]> {
  const [core] = sections;
  const entries = new Map<SchemaSection, AttributeEntry[]>();
  const add = (section: SchemaSection, entry: AttributeEntry) => {
    const list = entries.get(section);
    if (list === undefined) entries.set(section, [entry]);
    else list.push(entry);
  };
  for (const key of Object.keys(body)) {
    const value = body[key];
    // Core attribute names hold no ":", so only a key with one can name or qualify an extension.
    if (!key.includes(":")) {
      if (key.toLowerCase() !== "schemas") add(core, [key, value]);
      continue;
    }
    const lowered = key.toLowerCase();
    const container = sections.find((section) => section.urn.toLowerCase() === lowered);
    if (container !== undefined) {
      for (const entry of containedEntries(container, value)) add(container, entry);
      continue;
    }
    const qualified = qualifiedSection(sections, key);
    if (qualified === undefined) add(core, [key, value]);
    else add(qualified, [key.slice(qualified.urn.length + 1), value]);
  }
  return entries;
}

function containedEntries(section: SchemaSection, value: unknown): AttributeEntry[] {
  if (value === null) return [];
  if (!isJsonObject(value)) throw ScimError.invalidSyntax(`"${section.urn}" must hold a JSON object of its attributes`);
  return Object.entries(value);
}

/** The section whose URN prefixes `key` followed by ":", preferring the longest URN. */
function qualifiedSection(sections: readonly SchemaSection[], key: string): SchemaSection | undefined {
  const lowered = key.toLowerCase();
  return sections
    .filter((section) => lowered.startsWith(`${section.urn.toLowerCase()}:`))
    .sort((a, b) => b.urn.length - a.urn.length)[0];
}
