import { commonAttributes } from "../../scim/schema/common.ts";
import type { AttributeDefinition, AttributeType, ResourceTypeDefinition, SchemaDefinition } from "../../scim/schema/types.ts";
import type { JsonSchema } from "./spec.ts";

// RFC 7643 §2.3: each SCIM data type as JSON Schema.
const dataTypes: Record<AttributeType, JsonSchema> = {
  string: { type: "string" },
  boolean: { type: "boolean" },
  decimal: { type: "number" },
  integer: { type: "integer" },
  dateTime: { type: "string", format: "date-time" },
  binary: { type: "string", contentEncoding: "base64" },
  reference: { type: "string", format: "uri-reference" },
  complex: { type: "object" },
};

// RFC 7643 §2.2 and §7: one attribute's characteristics as JSON Schema. canonicalValues are
// examples, not an enumeration (the RFC lets clients send others); readOnly attributes are
// ignored in requests, writeOnly and returned "never" ones are never in responses.
function attributeSchema(attribute: AttributeDefinition): JsonSchema {
  const value: JsonSchema = {
    ...dataTypes[attribute.type],
    ...(attribute.subAttributes ? objectOf(attribute.subAttributes) : {}),
    ...(attribute.canonicalValues ? { examples: [...attribute.canonicalValues] } : {}),
  };
  return {
    ...(attribute.multiValued ? { type: "array", items: value } : value),
    description: attribute.description,
    ...(attribute.mutability === "readOnly" ? { readOnly: true } : {}),
    ...(attribute.mutability === "writeOnly" || attribute.returned === "never" ? { writeOnly: true } : {}),
  };
}

// A sub-attribute named "$ref" (RFC 7643 §2.3.7) is described under patternProperties: OpenAPI
// tools read a "$ref" key anywhere, even among "properties", as a reference to resolve.
function objectOf(attributes: readonly AttributeDefinition[]): JsonSchema {
  const required = attributes.filter((attribute) => attribute.required).map((attribute) => attribute.name);
  const named = attributes.filter((attribute) => attribute.name !== "$ref");
  const reference = attributes.find((attribute) => attribute.name === "$ref");
  return {
    type: "object",
    properties: Object.fromEntries(named.map((attribute) => [attribute.name, attributeSchema(attribute)])),
    ...(reference ? { patternProperties: { "^\\$ref$": attributeSchema(reference) } } : {}),
    ...(required.length > 0 ? { required } : {}),
  };
}

// RFC 7643 §7: a SCIM schema definition (core or extension) as the JSON Schema of the object
// that carries its attributes. Attribute names match in any case on input (RFC 7643 §2.1), which
// JSON Schema cannot say; the canonical spelling is given.
export function jsonSchemaOf(schema: SchemaDefinition): JsonSchema {
  return { title: schema.name, description: `${schema.description} (${schema.id})`, ...objectOf(schema.attributes) };
}

// RFC 7643 §3: a resource of the resource type whose core schema is `core`: the common and core
// attributes at the top level, each extension's object under the extension's URN.
export function resourceSchemaOf(resourceType: ResourceTypeDefinition, core: SchemaDefinition, extension: (urn: string) => JsonSchema): JsonSchema {
  const { properties, ...rest } = jsonSchemaOf({ ...core, attributes: [...commonAttributes, ...core.attributes] });
  return {
    ...rest,
    properties: {
      schemas: {
        type: "array",
        items: { type: "string" },
        examples: [[core.id]],
        description: "The URNs of the schemas the resource carries: its core schema and its extensions'.",
      },
      ...(properties as Record<string, JsonSchema>),
      ...Object.fromEntries(resourceType.schemaExtensions.map(({ schema }) => [schema, extension(schema)])),
    },
  };
}
