import { commonAttributes } from "../../../src/scim/schema/common.ts";
import { defineAttribute, type AttributeInput } from "../../../src/scim/schema/defaults.ts";
import { enterpriseUserSchema } from "../../../src/scim/schema/enterprise-user.ts";
import { createSchemaRegistry, type SchemaRegistry } from "../../../src/scim/schema/registry.ts";
import { userResourceType } from "../../../src/scim/schema/resource-types.ts";
import type { AttributeDefinition, SchemaDefinition } from "../../../src/scim/schema/types.ts";
import { userSchema } from "../../../src/scim/schema/user.ts";
import { schemaRegistry } from "../../support/schemas.ts";

// Registries the filter tests resolve against: the server's own, and two of our own so the tests
// cover every attribute type and do not move when the RFC schema data changes.

const attribute = (input: Omit<AttributeInput, "description">): AttributeDefinition =>
  defineAttribute({ description: input.name, ...input });

export const sampleUrn = "urn:test:filter:2.0:Sample";
export const levelsUrn = "urn:test:filter:extension:levels:2.0:Sample";
export const otherUrn = "urn:test:filter:extension:other:2.0:Sample";

const sampleSchema: SchemaDefinition = {
  id: sampleUrn,
  name: "Sample",
  description: "every attribute type",
  attributes: [
    ...["a", "b", "c", "d", "str"].map((name) => attribute({ name })),
    attribute({ name: "exact", caseExact: true }),
    attribute({ name: "count", type: "integer" }),
    attribute({ name: "score", type: "decimal" }),
    attribute({ name: "at", type: "dateTime" }),
    attribute({ name: "flag", type: "boolean" }),
    attribute({ name: "link", type: "reference", referenceTypes: ["external"] }),
    // caseExact false on purpose: binary values compare case-exactly regardless (collation.ts).
    attribute({ name: "blob", type: "binary" }),
    attribute({ name: "tags", multiValued: true }),
    attribute({
      name: "items",
      type: "complex",
      multiValued: true,
      subAttributes: [
        attribute({ name: "value" }),
        attribute({ name: "type" }),
        attribute({ name: "primary", type: "boolean" }),
        attribute({ name: "count", type: "integer" }),
      ],
    }),
    attribute({
      name: "pair",
      type: "complex",
      subAttributes: [attribute({ name: "left" }), attribute({ name: "right" })],
    }),
    attribute({
      name: "pairs",
      type: "complex",
      multiValued: true,
      subAttributes: [attribute({ name: "left" }), attribute({ name: "right" })],
    }),
  ],
};

const levelsSchema: SchemaDefinition = {
  id: levelsUrn,
  name: "Levels",
  description: "an extension",
  attributes: [
    attribute({ name: "level" }),
    attribute({ name: "rank", type: "integer" }),
    attribute({ name: "boss", type: "complex", subAttributes: [attribute({ name: "value" }), attribute({ name: "name" })] }),
  ],
};

/** Also defines "level", so an unqualified "level" is ambiguous. */
const otherSchema: SchemaDefinition = {
  id: otherUrn,
  name: "Other",
  description: "another extension",
  attributes: [attribute({ name: "level" })],
};

export const sampleRegistry: SchemaRegistry = createSchemaRegistry({
  schemas: [sampleSchema, levelsSchema, otherSchema],
  resourceTypes: [
    {
      id: "Sample",
      name: "Sample",
      endpoint: "/Samples",
      description: "sample",
      schema: sampleUrn,
      schemaExtensions: [
        { schema: levelsUrn, required: false },
        { schema: otherUrn, required: false },
      ],
    },
  ],
  commonAttributes,
});

/** The attribute "str" of counts.cases.ts's string operator matrix, with the caseExact asked for. */
export function matrixRegistry(caseExact: boolean): SchemaRegistry {
  return createSchemaRegistry({
    schemas: [{ ...sampleSchema, attributes: [attribute({ name: "str", caseExact })] }],
    resourceTypes: sampleRegistry.resourceTypes().map((type) => ({ ...type, schemaExtensions: [] })),
    commonAttributes,
  });
}

/**
 * The User of grammar.cases.ts and counts.cases.ts: the server's User with the Enterprise User
 * extension and none of the vendor extensions, plus RFC 7643 §3 "schemas", which RFC 7644 §3.4.2.2
 * filters on and src/scim/schema does not list as a filterable attribute yet.
 */
export const enterpriseUserRegistry: SchemaRegistry = createSchemaRegistry({
  schemas: [userSchema, enterpriseUserSchema],
  resourceTypes: [{ ...userResourceType, schemaExtensions: [{ schema: enterpriseUserSchema.id, required: false }] }],
  commonAttributes: [
    ...commonAttributes,
    attribute({ name: "schemas", type: "reference", multiValued: true, caseExact: true }),
  ],
});

export const registries = {
  user: { registry: schemaRegistry, resourceType: "User" },
  group: { registry: schemaRegistry, resourceType: "Group" },
  sample: { registry: sampleRegistry, resourceType: "Sample" },
  enterpriseUser: { registry: enterpriseUserRegistry, resourceType: "User" },
} as const;

export type RegistryName = keyof typeof registries;
