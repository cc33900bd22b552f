import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from "./types.ts";

// An attribute path resolved against a resource type's schemas (RFC 7644 §3.10 attribute notation).
export interface ResolvedAttribute {
  /** URN of the schema that defines the attribute; the core schema for common attributes (id, externalId, meta). */
  readonly schema: string;
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
  /**
   * The path as this server spells it: attribute names as defined, core attributes without their URN
   * ("name.givenName"), extension attributes with it ("urn:...:enterprise:2.0:User:manager.value").
   */
  readonly path: string;
}

// RFC 7643 §6 and §7: what a server knows about its resource types and their schemas.
export interface SchemaRegistry {
  schemaById(urn: string): SchemaDefinition | undefined;
  allSchemas(): readonly SchemaDefinition[];
  resourceTypeByName(name: string): ResourceTypeDefinition | undefined;
  resourceTypes(): readonly ResourceTypeDefinition[];
  findAttribute(resourceType: ResourceTypeDefinition | string, path: string): ResolvedAttribute | undefined;
}

export interface SchemaRegistrySource {
  readonly schemas: readonly SchemaDefinition[];
  readonly resourceTypes: readonly ResourceTypeDefinition[];
  /** RFC 7643 §3.1 attributes shared by every resource type. */
  readonly commonAttributes: readonly AttributeDefinition[];
}

function byName(attributes: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return attributes.find((attribute) => attribute.name.toLowerCase() === wanted);
}

// RFC 7643 §7, RFC 7644 §3.10: schema URNs, resource type names and attribute names all compare
// case-insensitively. Throws when a resource type refers to a schema that is not in the list.
export function createSchemaRegistry(source: SchemaRegistrySource): SchemaRegistry {
  const schemasByUrn = new Map<string, SchemaDefinition>();
  for (const schema of source.schemas) {
    const key = schema.id.toLowerCase();
    if (schemasByUrn.has(key)) throw new Error(`schema ${schema.id} is listed twice`);
    // What the server assigns, clients cannot set: /Schemas must say so (RFC 7643 §2.2).
    const assignedButWritable = schema.attributes.find((attribute) => attribute.assigned && attribute.mutability !== "readOnly");
    if (assignedButWritable) throw new Error(`${schema.id}:${assignedButWritable.name} is assigned by the server but not readOnly`);
    schemasByUrn.set(key, schema);
  }

  const resourceTypesByName = new Map<string, ResourceTypeDefinition>();
  for (const resourceType of source.resourceTypes) {
    const key = resourceType.name.toLowerCase();
    if (resourceTypesByName.has(key)) throw new Error(`resource type ${resourceType.name} is listed twice`);
    for (const urn of [resourceType.schema, ...resourceType.schemaExtensions.map((extension) => extension.schema)]) {
      if (!schemasByUrn.has(urn.toLowerCase())) {
        throw new Error(`resource type ${resourceType.name} refers to unknown schema ${urn}`);
      }
    }
    resourceTypesByName.set(key, resourceType);
  }

  const schemaById = (urn: string): SchemaDefinition | undefined => schemasByUrn.get(urn.toLowerCase());
  const resourceTypeByName = (name: string): ResourceTypeDefinition | undefined =>
    resourceTypesByName.get(name.toLowerCase());

  function resolveIn(
    schema: SchemaDefinition,
    isCore: boolean,
    attrPath: string,
  ): ResolvedAttribute | undefined {
    const segments = attrPath.split(".");
    const [attributeName, subAttributeName] = segments;
    if (segments.length > 2 || segments.some((segment) => segment === "") || attributeName === undefined) {
      return undefined;
    }
    const candidates = isCore ? [...source.commonAttributes, ...schema.attributes] : schema.attributes;
    const attribute = byName(candidates, attributeName);
    if (attribute === undefined) return undefined;
    const prefix = isCore ? "" : `${schema.id}:`;
    if (subAttributeName === undefined) return { schema: schema.id, attribute, path: prefix + attribute.name };

    if (attribute.type !== "complex") return undefined;
    const subAttribute = byName(attribute.subAttributes ?? [], subAttributeName);
    if (subAttribute === undefined) return undefined;
    return { schema: schema.id, attribute, subAttribute, path: `${prefix}${attribute.name}.${subAttribute.name}` };
  }

  // Resolutions by resource type and lower-cased path. Only paths that resolve are kept: they are
  // bounded by the schemas, whatever clients send.
  const resolved = new WeakMap<ResourceTypeDefinition, Map<string, ResolvedAttribute>>();
  const ownTypes = new Set(source.resourceTypes);

  function findAttribute(
    resourceType: ResourceTypeDefinition | string,
    path: string,
  ): ResolvedAttribute | undefined {
    // A tenant's registry (schema/view.ts) has its own definition of each resource type, with the
    // tenant's extensions; a caller holding the server's is given this registry's, by name.
    const definition =
      typeof resourceType === "string" ? resourceTypeByName(resourceType) : ownTypes.has(resourceType) ? resourceType : resourceTypeByName(resourceType.name);
    if (definition === undefined) return undefined;
    const lowerPath = path.toLowerCase();
    let known = resolved.get(definition);
    if (known === undefined) {
      known = new Map();
      resolved.set(definition, known);
    }
    const hit = known.get(lowerPath);
    if (hit !== undefined) return hit;
    const found = resolveAttribute(definition, path, lowerPath);
    if (found !== undefined) known.set(lowerPath, found);
    return found;
  }

  function resolveAttribute(definition: ResourceTypeDefinition, path: string, lowerPath: string): ResolvedAttribute | undefined {
    const core = schemaById(definition.schema);
    if (core === undefined) return undefined;
    const qualifying = [core, ...definition.schemaExtensions.map((extension) => schemaById(extension.schema))]
      .filter((schema): schema is SchemaDefinition => schema !== undefined)
      .filter((schema) => lowerPath.startsWith(`${schema.id.toLowerCase()}:`))
      .sort((a, b) => b.id.length - a.id.length);
    for (const schema of qualifying) {
      const resolved = resolveIn(schema, schema === core, path.slice(schema.id.length + 1));
      if (resolved !== undefined) return resolved;
    }
    return qualifying.length > 0 ? undefined : resolveIn(core, true, path);
  }

  return Object.freeze({
    schemaById,
    allSchemas: () => source.schemas,
    resourceTypeByName,
    resourceTypes: () => source.resourceTypes,
    findAttribute,
  });
}
