import type { AttributeDefinition, SchemaDefinition } from "../../../src/scim/schema/types.js";
import type { ResourceSchemas } from "../../../src/scim/resource/resource-schemas.js";

// Small schemas of our own, so these tests do not move when the RFC schema data changes.

type Input = Pick<AttributeDefinition, "name"> & Partial<Omit<AttributeDefinition, "name">>;

export function attribute(input: Input): AttributeDefinition {
  return {
    type: "string",
    multiValued: false,
    description: input.name,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...input,
  };
}

export const coreUrn = "urn:test:schemas:core:2.0:Account";
export const enterpriseUrn = "urn:test:schemas:extension:enterprise:2.0:Account";
/** URN that extends `enterpriseUrn` by one segment: a URN-qualified key must pick the longest match. */
export const auditUrn = `${enterpriseUrn}:audit`;
export const badgeUrn = "urn:test:schemas:extension:badge:2.0:Account";

export const common: readonly AttributeDefinition[] = [
  attribute({ name: "id", caseExact: true, mutability: "readOnly", returned: "always", required: true }),
  attribute({ name: "externalId", caseExact: true }),
  attribute({
    name: "meta",
    type: "complex",
    mutability: "readOnly",
    subAttributes: [attribute({ name: "created", type: "dateTime", mutability: "readOnly" })],
  }),
];

const core: SchemaDefinition = {
  id: coreUrn,
  name: "Account",
  description: "test core schema",
  attributes: [
    attribute({ name: "userName", required: true, uniqueness: "server" }),
    attribute({
      name: "name",
      type: "complex",
      subAttributes: [attribute({ name: "givenName" }), attribute({ name: "familyName" })],
    }),
    attribute({ name: "displayName" }),
    attribute({ name: "active", type: "boolean" }),
    attribute({ name: "password", mutability: "writeOnly", returned: "never" }),
    attribute({ name: "loginCount", type: "integer" }),
    attribute({ name: "score", type: "decimal" }),
    attribute({ name: "birthday", type: "dateTime" }),
    attribute({ name: "profileUrl", type: "reference", referenceTypes: ["external"] }),
    attribute({ name: "photo", type: "binary" }),
    attribute({ name: "tags", multiValued: true }),
    attribute({ name: "badge", mutability: "immutable" }),
    attribute({ name: "serial", mutability: "immutable", caseExact: true }),
    attribute({ name: "aliases", multiValued: true, mutability: "immutable" }),
    attribute({ name: "hiredAt", type: "dateTime", mutability: "immutable" }),
    attribute({
      name: "emails",
      type: "complex",
      multiValued: true,
      subAttributes: [
        attribute({ name: "value" }),
        attribute({ name: "display" }),
        attribute({ name: "type", canonicalValues: ["work", "home", "other"] }),
        attribute({ name: "primary", type: "boolean" }),
      ],
    }),
    attribute({
      name: "members",
      type: "complex",
      multiValued: true,
      subAttributes: [
        attribute({ name: "value", required: true, mutability: "immutable" }),
        attribute({ name: "display" }),
        attribute({ name: "type", canonicalValues: ["User", "Group"], mutability: "immutable" }),
      ],
    }),
    attribute({
      name: "groups",
      type: "complex",
      multiValued: true,
      mutability: "readOnly",
      subAttributes: [attribute({ name: "value", mutability: "readOnly" })],
    }),
    attribute({
      name: "device",
      type: "complex",
      subAttributes: [
        attribute({ name: "serialNumber", mutability: "immutable" }),
        attribute({ name: "model" }),
      ],
    }),
  ],
};

const enterprise: SchemaDefinition = {
  id: enterpriseUrn,
  name: "EnterpriseAccount",
  description: "test enterprise extension",
  attributes: [
    attribute({ name: "employeeNumber" }),
    attribute({ name: "department" }),
    attribute({
      name: "manager",
      type: "complex",
      subAttributes: [
        attribute({ name: "value" }),
        attribute({ name: "$ref", type: "reference" }),
        attribute({ name: "displayName", mutability: "readOnly" }),
      ],
    }),
  ],
};

const audit: SchemaDefinition = {
  id: auditUrn,
  name: "Audit",
  description: "test extension whose URN extends another",
  attributes: [attribute({ name: "reviewer" })],
};

const badge: SchemaDefinition = {
  id: badgeUrn,
  name: "Badge",
  description: "test extension with a required attribute",
  attributes: [
    attribute({ name: "level", type: "integer", required: true }),
    attribute({ name: "color" }),
    attribute({ name: "issuer", mutability: "immutable" }),
  ],
};

export const accountSchemas: ResourceSchemas = { schema: core, extensions: [enterprise, audit, badge], common };
