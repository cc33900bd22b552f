import { ScimError } from "./errors.ts";
import type { ScimResource } from "./render.ts";
import type { ResolvedAttribute, SchemaRegistry } from "./schema/registry.ts";
import type { AttributeDefinition, ResourceTypeDefinition } from "./schema/types.ts";

// RFC 7644 §3.4.2.5, §3.9: which attributes a response carries, after `attributes` or
// `excludedAttributes`, and the `returned` characteristic of each (RFC 7643 §7).

export interface Projection {
  readonly mode: "default" | "include" | "exclude";
  // Resolved paths, lower-cased: "name.givenName" -> "name.givenname".
  readonly paths: ReadonlySet<string>;
}

export const defaultProjection: Projection = { mode: "default", paths: new Set() };

// Reads the comma-separated attribute lists; at most one of them may be given.
export function readProjection(
  registry: SchemaRegistry,
  resourceType: ResourceTypeDefinition,
  attributes: string | undefined,
  excludedAttributes: string | undefined,
): Projection {
  if (attributes && excludedAttributes) {
    throw ScimError.invalidValue("attributes and excludedAttributes cannot be used together");
  }
  const list = attributes || excludedAttributes;
  if (!list) return defaultProjection;
  const paths = new Set<string>();
  for (const raw of list.split(",")) {
    const path = raw.trim().replace(/\[.*\]/, "");
    if (path === "") continue;
    const resolved = registry.findAttribute(resourceType, path);
    if (resolved) paths.add(keyOf(resolved));
  }
  return { mode: attributes ? "include" : "exclude", paths };
}

// Whether a top-level attribute (e.g. "members", "groups") is in the response, so that callers
// read it from storage only when it is.
export function includesAttribute(projection: Projection, attribute: AttributeDefinition, urn?: string): boolean {
  const key = (urn ? `${urn}:${attribute.name}` : attribute.name).toLowerCase();
  return isReturned(projection, attribute, key, false);
}

// Applies the projection to a rendered resource. `schemas` is always returned (RFC 7643 §3).
export function project(
  resource: ScimResource,
  projection: Projection,
  registry: SchemaRegistry,
  serverResourceType: ResourceTypeDefinition,
): ScimResource {
  // The registry's own definition: a tenant's (schema/view.ts) lists the tenant's extensions.
  const resourceType = registry.resourceTypeByName(serverResourceType.name) ?? serverResourceType;
  // Without attributes/excludedAttributes a resource goes out as rendered: stored attributes never
  // hold a returned:"never" one (password), and only a tenant's own schemas may have a
  // returned:"request" one.
  if (projection.mode === "default" && !hasRequestOnlyAttributes(registry, resourceType)) return resource;
  const result: ScimResource = {};
  const extensionUrns = new Set(resourceType.schemaExtensions.map((extension) => extension.schema.toLowerCase()));
  for (const [name, value] of Object.entries(resource)) {
    if (name === "schemas") {
      result[name] = value;
    } else if (extensionUrns.has(name.toLowerCase())) {
      const section = projectSection(value as ScimResource, projection, registry, resourceType, `${name}:`);
      if (Object.keys(section).length > 0) result[name] = section;
    } else {
      Object.assign(result, projectSection({ [name]: value }, projection, registry, resourceType, ""));
    }
  }
  return result;
}

function projectSection(
  section: ScimResource,
  projection: Projection,
  registry: SchemaRegistry,
  resourceType: ResourceTypeDefinition,
  prefix: string,
): ScimResource {
  const result: ScimResource = {};
  for (const [name, value] of Object.entries(section)) {
    const resolved = registry.findAttribute(resourceType, prefix + name);
    if (!resolved) continue;
    const key = keyOf(resolved);
    const attribute = resolved.attribute;
    if (attribute.type === "complex" && attribute.subAttributes && projection.mode !== "default") {
      const sub = projectComplex(value, attribute, key, projection);
      if (sub !== undefined) result[name] = sub;
    } else if (isReturned(projection, attribute, key, false)) {
      result[name] = value;
    }
  }
  return result;
}

// A complex attribute is returned whole when named itself, or with just the named sub-attributes.
function projectComplex(value: unknown, attribute: AttributeDefinition, key: string, projection: Projection): unknown {
  if (attribute.returned === "always") return value;
  if (attribute.returned === "never") return undefined;
  if (projection.paths.has(key)) return projection.mode === "include" ? value : undefined;
  const pick = (element: unknown): Record<string, unknown> | undefined => {
    if (element === null || typeof element !== "object") return undefined;
    const kept: Record<string, unknown> = {};
    for (const [name, subValue] of Object.entries(element as Record<string, unknown>)) {
      const sub = attribute.subAttributes?.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
      if (sub && isReturned(projection, sub, `${key}.${sub.name.toLowerCase()}`, true)) kept[name] = subValue;
    }
    return Object.keys(kept).length > 0 ? kept : undefined;
  };
  if (Array.isArray(value)) {
    const elements = value.map(pick).filter((element) => element !== undefined);
    return elements.length > 0 ? elements : undefined;
  }
  return pick(value);
}

function isReturned(projection: Projection, attribute: AttributeDefinition, key: string, isSub: boolean): boolean {
  if (attribute.returned === "always") return true;
  if (attribute.returned === "never") return false;
  const named = projection.paths.has(key);
  switch (projection.mode) {
    case "default":
      return attribute.returned !== "request";
    case "include":
      return named || (isSub && projection.paths.has(key.slice(0, key.lastIndexOf("."))));
    case "exclude":
      return !named && attribute.returned !== "request";
  }
}

function keyOf(resolved: ResolvedAttribute): string {
  return resolved.path.toLowerCase();
}

const requestOnly = new WeakMap<ResourceTypeDefinition, boolean>();

// Whether any attribute of the resource type is returned only on request (RFC 7643 §7).
function hasRequestOnlyAttributes(registry: SchemaRegistry, resourceType: ResourceTypeDefinition): boolean {
  const known = requestOnly.get(resourceType);
  if (known !== undefined) return known;
  const schemas = [resourceType.schema, ...resourceType.schemaExtensions.map((extension) => extension.schema)];
  const found = schemas
    .flatMap((urn) => registry.schemaById(urn)?.attributes ?? [])
    .some((attribute) => attribute.returned === "request" || attribute.subAttributes?.some((sub) => sub.returned === "request"));
  requestOnly.set(resourceType, found);
  return found;
}
