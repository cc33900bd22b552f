import { randomBytes } from "node:crypto";
import type { Allocate, Attributes } from "../ports.ts";
import type { AttributeDefinition } from "../schema/types.ts";
import { isJsonObject } from "./json.ts";
import type { ResourceSchemas } from "./resource-schemas.ts";

// Server-assigned extension attributes (AttributeDefinition.assigned): product ids such as an
// integer uid or an object id, allocated once, when the resource is created in a tenant that has
// the extension (or when the tenant gains it), and kept for the resource's life (readOnly: clients
// cannot set them, PUT does not clear them).

interface AssignedAttribute {
  readonly urn: string;
  readonly attribute: AttributeDefinition;
}

// Every assigned attribute of a resource type's extensions, found once per schemas object.
const allAssigned = new WeakMap<ResourceSchemas, readonly AssignedAttribute[]>();

function assignedAttributes(schemas: ResourceSchemas, urns?: readonly string[]): readonly AssignedAttribute[] {
  if (urns === undefined) {
    let all = allAssigned.get(schemas);
    if (all === undefined) {
      all = assignedIn(schemas);
      allAssigned.set(schemas, all);
    }
    return all;
  }
  return assignedIn(schemas, urns);
}

function assignedIn(schemas: ResourceSchemas, urns?: readonly string[]): AssignedAttribute[] {
  return schemas.extensions
    .filter((extension) => urns === undefined || urns.some((urn) => urn.toLowerCase() === extension.id.toLowerCase()))
    .flatMap((extension) =>
      extension.attributes.filter((attribute) => attribute.assigned !== undefined).map((attribute) => ({ urn: extension.id, attribute })),
    );
}

function section(attributes: Attributes, urn: string): Record<string, unknown> | undefined {
  const value = attributes[urn];
  return isJsonObject(value) ? value : undefined;
}

/**
 * The attributes with a value for every assigned attribute still missing, in the extensions the
 * resource carries plus those named in `urns`. Sequence numbers come from `allocate`.
 */
export async function withAssignedValues(
  attributes: Attributes,
  schemas: ResourceSchemas,
  allocate: Allocate,
  urns: readonly string[] = [],
): Promise<Attributes> {
  const carried = schemas.extensions.filter((extension) => section(attributes, extension.id) !== undefined).map((extension) => extension.id);
  let result = attributes;
  for (const { urn, attribute } of assignedAttributes(schemas, [...carried, ...urns])) {
    const current = section(result, urn) ?? {};
    if (current[attribute.name] !== undefined) continue;
    const assigned = attribute.assigned;
    if (assigned === undefined) continue;
    const value =
      assigned.kind === "objectId"
        ? randomBytes(12).toString("hex")
        : assigned.first - 1 + (await allocate(`${urn}:${attribute.name}`));
    result = { ...result, [urn]: { ...current, [attribute.name]: value } };
  }
  return result;
}

/** RFC 7644 §3.5.1: a PUT does not clear readOnly values; the assigned ones are carried over. */
export function carryAssignedValues(current: Attributes, next: Attributes, schemas: ResourceSchemas): Attributes {
  let result = next;
  for (const { urn, attribute } of assignedAttributes(schemas)) {
    const value = section(current, urn)?.[attribute.name];
    if (value === undefined) continue;
    result = { ...result, [urn]: { ...(section(result, urn) ?? {}), [attribute.name]: value } };
  }
  return result;
}
