import { ScimError } from "../errors.ts";
import type { AttributeRef, Filter } from "../filter/ast.ts";
import { matches } from "../filter/evaluate.ts";
import { findInExtension } from "../filter/quirks.ts";
import type { Attributes } from "../ports.ts";
import { readAttributes } from "../resource/attributes.ts";
import { sameValue } from "../resource/equality.ts";
import { assertImmutableUnchanged, immutableScope } from "../resource/immutability.ts";
import { readResource } from "../resource/input.ts";
import { cloneJson, isJsonObject, isUnassigned, type JsonObject } from "../resource/json.ts";
import { sectionsOf, type ResourceSchemas } from "../resource/resource-schemas.ts";
import type { SchemaRegistry } from "../schema/registry.ts";
import type { AttributeDefinition, ResourceTypeDefinition } from "../schema/types.ts";
import type { PatchOperation } from "./operations.ts";
import type { PatchTarget } from "./target.ts";
import { parsePatchPath, type PatchPath } from "./path.ts";
import { listOfOne } from "./quirks/entra.ts";

// RFC 7644 §3.5.2: applies PATCH operations to a resource's attributes, all or nothing. The
// operations work on a copy; the result is read again as a whole resource (types, required
// attributes) and checked against the original for immutable attributes.


type ElementsPath = Extract<PatchPath, { kind: "elements" }>;

// RFC 7644 §3.5.2
export function applyPatch(attributes: Attributes, operations: readonly PatchOperation[], target: PatchTarget): Attributes {
  const document = cloneJson(attributes) as JsonObject;
  for (const operation of operations) applyOperation(document, operation, target);
  const { schemas: _schemas, ...result } = readResource(prune(document), target.schemas).resource;
  assertImmutableUnchanged(attributes, result, target.schemas);
  assertImmutableKept(attributes, result, target.schemas);
  return result;
}

function applyOperation(document: JsonObject, operation: PatchOperation, target: PatchTarget): void {
  if (operation.path === undefined) {
    if (operation.op === "remove") throw ScimError.noTarget("A remove operation needs a path");
    return applyWithoutPath(document, operation, target);
  }
  const path = parsePatchPath(operation.path, target.resourceType, target.registry);
  switch (path.kind) {
    case "extension":
      return applyToExtension(document, operation, path.schema, target);
    case "attribute":
      return applyToAttribute(document, operation, path.ref);
    case "elements":
      return applyToElements(document, operation, path);
  }
}

// RFC 7644 §3.5.2.1 / §3.5.2.3 without a path: the value is an object of attributes, whose keys
// may be dotted sub-attribute paths or URN-qualified. Read-only attributes among them (an `id`
// sent back by Okta) are skipped, as in a PUT body.
function applyWithoutPath(document: JsonObject, operation: PatchOperation, target: PatchTarget): void {
  if (!isJsonObject(operation.value)) throw ScimError.invalidValue(`A ${operation.op} without a path needs an object value`);
  for (const [key, value] of Object.entries(operation.value)) {
    if (key.toLowerCase() === "schemas") continue;
    const extension = target.resourceType.schemaExtensions.find((candidate) => candidate.schema.toLowerCase() === key.toLowerCase());
    if (extension) {
      applyToExtension(document, { op: operation.op, value }, extension.schema, target);
      continue;
    }
    const ref = target.registry.findAttribute(target.resourceType, key) ?? findInExtension(target.registry, target.resourceType, key);
    if (!ref || isReadOnly(ref)) continue;
    applyToAttribute(document, { op: operation.op, path: key, value }, ref);
  }
}

function applyToExtension(document: JsonObject, operation: PatchOperation, schema: string, target: PatchTarget): void {
  if (operation.op === "remove") {
    delete document[schema];
    return;
  }
  if (!isJsonObject(operation.value)) throw ScimError.invalidValue(`The value for ${schema} must be an object of its attributes`);
  for (const [key, value] of Object.entries(operation.value)) {
    const ref = target.registry.findAttribute(target.resourceType, `${schema}:${key}`);
    if (!ref || isReadOnly(ref)) continue;
    applyToAttribute(document, { op: operation.op, value }, ref);
  }
}

function applyToAttribute(document: JsonObject, operation: PatchOperation, ref: AttributeRef): void {
  if (isReadOnly(ref)) throw ScimError.mutability(`"${ref.path}" is read-only`);
  const container = containerOf(document, ref, operation.op !== "remove");
  if (!container) return;
  const { attribute, subAttribute } = ref;
  const name = attribute.name;

  if (operation.op === "remove") {
    if (!subAttribute) delete container[name];
    else forEachElement(container, name, (element) => delete element[subAttribute.name]);
    return;
  }
  if (operation.value === null) {
    // RFC 7643 §2.5: null is "unassigned".
    if (!subAttribute) delete container[name];
    else forEachElement(container, name, (element) => delete element[subAttribute.name]);
    return;
  }
  if (subAttribute) {
    const value = canonical(subAttribute, operation.value, ref.path);
    if (attribute.multiValued) forEachElement(container, name, (element) => (element[subAttribute.name] = value));
    else container[name] = { ...(isJsonObject(container[name]) ? container[name] : {}), [subAttribute.name]: value };
    return;
  }
  if (attribute.multiValued) {
    const incoming = canonical(attribute, Array.isArray(operation.value) ? operation.value : [operation.value], ref.path);
    const elements = (Array.isArray(incoming) ? incoming : []) as JsonObject[];
    if (operation.op === "replace") {
      container[name] = elements;
      keepLastPrimary(container, name, elements);
    } else {
      const existing = Array.isArray(container[name]) ? (container[name] as JsonObject[]) : [];
      const merged = mergeValues(attribute, existing, elements);
      container[name] = merged.values;
      keepLastPrimary(container, name, merged.changed);
    }
    return;
  }
  const value = canonical(attribute, attribute.type === "complex" ? listOfOne(operation.value) : operation.value, ref.path);
  if (attribute.type === "complex" && isJsonObject(value)) {
    // RFC 7644 §3.5.2.3: sub-attributes not given are left unchanged.
    container[name] = { ...(isJsonObject(container[name]) ? container[name] : {}), ...value };
  } else if (value === undefined) {
    delete container[name];
  } else {
    container[name] = value;
  }
}

// `emails[type eq "work"]` and `emails[type eq "work"].value`. An add or replace that matches no
// element creates one from the filter's equality terms (Entra updates a work email that way).
function applyToElements(document: JsonObject, operation: PatchOperation, path: ElementsPath): void {
  const { ref, filter, subAttribute } = path;
  if (isReadOnly(ref) || (subAttribute && subAttribute.mutability === "readOnly")) {
    throw ScimError.mutability(`"${ref.path}" is read-only`);
  }
  const container = containerOf(document, ref, operation.op !== "remove");
  if (!container) return;
  const name = ref.attribute.name;
  const elements = Array.isArray(container[name]) ? (container[name] as JsonObject[]) : [];
  const matching = elements.filter((element) => elementMatches(ref, filter, element));

  if (operation.op === "remove") {
    if (subAttribute) for (const element of matching) delete element[subAttribute.name];
    else container[name] = elements.filter((element) => !matching.includes(element));
    return;
  }
  const patch: JsonObject = subAttribute
    ? { [subAttribute.name]: canonical(subAttribute, operation.value, `${ref.path}.${subAttribute.name}`) }
    : (canonical({ ...ref.attribute, multiValued: false }, operation.value, ref.path) as JsonObject) ?? {};
  if (matching.length === 0) {
    const created = { ...elementFromFilter(filter, ref), ...patch };
    container[name] = [...elements, created];
    keepLastPrimary(container, name, [created]);
    return;
  }
  for (const element of matching) Object.assign(element, patch);
  keepLastPrimary(container, name, matching);
}

function elementMatches(ref: AttributeRef, filter: Filter, element: JsonObject): boolean {
  const holder: JsonObject = { [ref.attribute.name]: [element] };
  const resource = ref.path.startsWith(`${ref.schema}:`) ? { [ref.schema]: holder } : holder;
  return matches({ kind: "valuePath", attribute: ref, filter }, resource);
}

// The element a filter of equality terms describes: `type eq "work" and primary eq true`.
function elementFromFilter(filter: Filter, ref: AttributeRef): JsonObject {
  const terms = filter.kind === "and" ? filter.filters : [filter];
  const element: JsonObject = {};
  for (const term of terms) {
    if (term.kind !== "compare" || term.op !== "eq" || !term.attribute.subAttribute || term.value instanceof Date) {
      throw ScimError.noTarget(`No element of "${ref.path}" matches the filter, and it does not describe one to create`);
    }
    element[term.attribute.subAttribute.name] = term.value;
  }
  return element;
}

// RFC 7644 §3.5.2.1: an added value already present is no change. A complex value is the one
// present when its `value` (and `type`, where both have one) is the same; given again, the
// sub-attributes that differ are merged in (an existing email re-sent with primary:true becomes
// the primary; one re-sent in another case keeps its stored spelling).
function mergeValues(
  attribute: AttributeDefinition,
  existing: readonly unknown[],
  incoming: readonly unknown[],
): { values: unknown[]; changed: JsonObject[] } {
  const values = [...existing];
  const changed: JsonObject[] = [];
  for (const element of incoming) {
    const present = values.find((candidate) => sameElementValue(attribute, candidate, element));
    if (present === undefined) {
      values.push(element);
      if (isJsonObject(element)) changed.push(element);
    } else if (isJsonObject(present) && isJsonObject(element)) {
      for (const sub of attribute.subAttributes ?? []) {
        if (element[sub.name] !== undefined && !sameValue(sub, present[sub.name], element[sub.name])) present[sub.name] = element[sub.name];
      }
      changed.push(present);
    }
  }
  return { values, changed };
}

function sameElementValue(attribute: AttributeDefinition, a: unknown, b: unknown): boolean {
  const single = { ...attribute, multiValued: false };
  if (attribute.type !== "complex" || !isJsonObject(a) || !isJsonObject(b)) return sameValue(single, a, b);
  const subAttributes = attribute.subAttributes ?? [];
  const sub = (name: string) => subAttributes.find((candidate) => candidate.name === name);
  const value = sub("value");
  if (value === undefined) {
    const compared = subAttributes.filter((candidate) => candidate.name !== "primary");
    return compared.every((candidate) => sameValue(candidate, a[candidate.name], b[candidate.name]));
  }
  const type = sub("type");
  const typesAgree = type === undefined || a.type === undefined || b.type === undefined || sameValue(type, a.type, b.type);
  return a.value !== undefined && sameValue(value, a.value, b.value) && typesAgree;
}

// RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability ... immutable"; a
// remove (or a null) that unassigns one is a modification. (assertImmutableUnchanged lets an
// omitted immutable attribute pass, as a PUT keeps it.)
function assertImmutableKept(previous: JsonObject, next: JsonObject, schemas: ResourceSchemas): void {
  const { core, extensions } = sectionsOf(schemas);
  assertKept(previous, next, core.attributes, core.prefix);
  for (const extension of extensions) {
    assertKept(objectOrEmpty(previous[extension.urn]), objectOrEmpty(next[extension.urn]), extension.attributes, extension.prefix);
  }
}

function assertKept(previous: JsonObject, next: JsonObject, definitions: readonly AttributeDefinition[], prefix: string): void {
  for (const definition of immutableScope(definitions)) {
    const before = previous[definition.name];
    const after = next[definition.name];
    if (definition.mutability === "immutable" && !isUnassigned(before) && isUnassigned(after)) {
      throw ScimError.mutability(`Attribute "${prefix}${definition.name}" is immutable and cannot be removed`);
    }
    if (definition.type === "complex" && !definition.multiValued) assertKept(objectOrEmpty(before), objectOrEmpty(after), definition.subAttributes ?? [], `${prefix}${definition.name}.`);
  }
}

function objectOrEmpty(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

// RFC 7643 §2.4: at most one primary value; the one just set wins.
function keepLastPrimary(container: JsonObject, name: string, changed: readonly JsonObject[]): void {
  const primary = [...changed].reverse().find((element) => element.primary === true);
  if (!primary || !Array.isArray(container[name])) return;
  for (const element of container[name] as JsonObject[]) {
    if (element !== primary && element.primary === true && !sameElement(element, primary)) element.primary = false;
  }
}

function sameElement(a: JsonObject, b: JsonObject): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function forEachElement(container: JsonObject, name: string, change: (element: JsonObject) => void): void {
  const value = container[name];
  if (Array.isArray(value)) value.filter(isJsonObject).forEach(change);
  else if (isJsonObject(value)) change(value);
}

function containerOf(document: JsonObject, ref: AttributeRef, create: boolean): JsonObject | undefined {
  if (!ref.path.startsWith(`${ref.schema}:`)) return document;
  if (!isJsonObject(document[ref.schema])) {
    if (!create) return undefined;
    document[ref.schema] = {};
  }
  return document[ref.schema] as JsonObject;
}

function isReadOnly(ref: AttributeRef): boolean {
  return ref.attribute.mutability === "readOnly" || ref.subAttribute?.mutability === "readOnly";
}

// A client's value in canonical form: names in their schema spelling, "True" as true, a plain
// id as {"value": id} where the attribute has a value sub-attribute.
function canonical(definition: AttributeDefinition, value: unknown, path: string): unknown {
  const notes = { ignored: new Set<string>(), writeOnly: new Set<string>() };
  const prefix = path.includes(".") ? path.slice(0, path.lastIndexOf(".") + 1) : "";
  return readAttributes([[definition.name, value]], [{ ...definition, mutability: "readWrite" }], prefix, notes)[definition.name];
}

// Drops what became empty: extension objects without attributes, empty lists.
function prune(document: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(document)) {
    if (Array.isArray(value) && value.length === 0) delete document[key];
    else if (isJsonObject(value) && key.startsWith("urn:")) {
      prune(value);
      if (Object.keys(value).length === 0) delete document[key];
    }
  }
  return document;
}
