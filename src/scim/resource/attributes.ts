import { ScimError } from "../errors.js";
import type { AttributeDefinition } from "../schema/types.js";
import { isJsonObject, type JsonObject } from "./json.js";
import { findAttribute } from "./resource-schemas.js";
import { readSimpleValue } from "./value-types.js";

/** What a read collects besides the values: dropped unknown attribute paths, present writeOnly paths. */
export interface ReadNotes {
  readonly ignored: Set<string>;
  readonly writeOnly: Set<string>;
}

export type AttributeEntry = readonly [name: string, value: unknown];

/**
 * RFC 7643 §2, §7; RFC 7644 §3.3, §3.5.1: reads client-sent attribute values against their definitions.
 * Names match case-insensitively and come out in canonical spelling; readOnly attributes are dropped;
 * unknown names are dropped and noted; null and [] mean unassigned and are omitted.
 */
export function readAttributes(
  entries: Iterable<AttributeEntry>,
  definitions: readonly AttributeDefinition[],
  prefix: string,
  notes: ReadNotes,
): JsonObject {
  const given = groupByDefinition(entries, definitions, prefix, notes);
  const values: JsonObject = {};
  for (const definition of definitions) {
    if (definition.mutability === "readOnly" || !given.has(definition)) continue;
    const value = readAttribute(definition, given.get(definition), prefix + definition.name, notes);
    if (value !== undefined) values[definition.name] = value;
  }
  return values;
}

// RFC 7643 §2.2, RFC 7644 §3.3: a required attribute the client may write must be given a value.
export function assertRequiredPresent(
  values: JsonObject,
  definitions: readonly AttributeDefinition[],
  prefix: string,
): void {
  for (const definition of definitions) {
    if (!definition.required || definition.mutability === "readOnly") continue;
    if (!Object.hasOwn(values, definition.name)) {
      throw ScimError.invalidValue(`Attribute "${prefix}${definition.name}" is required`);
    }
  }
}

function groupByDefinition(
  entries: Iterable<AttributeEntry>,
  definitions: readonly AttributeDefinition[],
  prefix: string,
  notes: ReadNotes,
): Map<AttributeDefinition, unknown> {
  const given = new Map<AttributeDefinition, unknown>();
  for (const [name, value] of entries) {
    const definition = findAttribute(definitions, name);
    if (definition === undefined) {
      notes.ignored.add(prefix + name);
    } else if (given.has(definition)) {
      throw ScimError.invalidSyntax(`Attribute "${prefix}${definition.name}" is given more than once`);
    } else {
      given.set(definition, value);
    }
  }
  return given;
}

function readAttribute(definition: AttributeDefinition, raw: unknown, path: string, notes: ReadNotes): unknown {
  if (raw === null || raw === undefined) return undefined;
  const value = definition.multiValued
    ? readMultiValued(definition, raw, path, notes)
    : readSingleValue(definition, raw, path, notes);
  if (value !== undefined && definition.mutability === "writeOnly") notes.writeOnly.add(path);
  return value;
}

function readMultiValued(
  definition: AttributeDefinition,
  raw: unknown,
  path: string,
  notes: ReadNotes,
): unknown[] | undefined {
  if (!Array.isArray(raw)) throw ScimError.invalidValue(`Attribute "${path}" is multi-valued and must be an array`);
  const values = raw
    .filter((element) => element !== null)
    .map((element) => readSingleValue(definition, element, path, notes))
    .filter((value) => value !== undefined);
  if (values.length === 0) return undefined;
  assertOnePrimary(values, path);
  return values;
}

function readSingleValue(definition: AttributeDefinition, raw: unknown, path: string, notes: ReadNotes): unknown {
  return definition.type === "complex"
    ? readComplexValue(definition, raw, path, notes)
    : readSimpleValue(definition.type, raw, path);
}

function readComplexValue(
  definition: AttributeDefinition,
  raw: unknown,
  path: string,
  notes: ReadNotes,
): JsonObject | undefined {
  const object = complexObjectOf(definition, raw, path);
  if (object === undefined) return undefined;
  const subAttributes = definition.subAttributes ?? [];
  const value = readAttributes(Object.entries(object), subAttributes, `${path}.`, notes);
  if (Object.keys(value).length === 0) return undefined;
  assertRequiredPresent(value, subAttributes, `${path}.`);
  return value;
}

/**
 * A complex value is an object; where the attribute has a `value` sub-attribute a plain string stands
 * for `{ value }` (group members from the Microsoft collection, Entra's manager id), and "" for nothing.
 */
function complexObjectOf(definition: AttributeDefinition, raw: unknown, path: string): JsonObject | undefined {
  if (isJsonObject(raw)) return raw;
  if (typeof raw === "string" && findAttribute(definition.subAttributes ?? [], "value") !== undefined) {
    return raw === "" ? undefined : { value: raw };
  }
  throw ScimError.invalidValue(`Attribute "${path}" must be a complex value (a JSON object)`);
}

// RFC 7643 §2.4: the primary attribute value "true" MUST appear no more than once.
function assertOnePrimary(values: readonly unknown[], path: string): void {
  const primaries = values.filter((value) => isJsonObject(value) && value.primary === true).length;
  if (primaries > 1) throw ScimError.invalidValue(`Attribute "${path}" has more than one primary value`);
}
