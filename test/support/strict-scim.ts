import { z } from "zod";

// Models of the discovery messages written from RFC 7643 §5 - §7, RFC 9865 §4 and RFC 9967 §4, as a strict
// client library holds a server to them: every key is one the RFC defines, and nothing else.
// Extension data (RFC 7643 §3.3) is allowed only under a URN the message lists in "schemas", and is
// checked against that schema's own definition by conformsTo.

const uri = z.string().min(1);

// RFC 7643 §3.1
const meta = z.strictObject({
  resourceType: z.string().optional(),
  created: z.iso.datetime({ offset: true }).optional(),
  lastModified: z.iso.datetime({ offset: true }).optional(),
  location: uri.optional(),
  version: z.string().optional(),
});

const supported = z.strictObject({ supported: z.boolean() });

// RFC 7643 §5, with RFC 9865 §4's "pagination" and RFC 9967 §4's "securityEvents".
export const serviceProviderConfigCore = {
  schemas: z.array(z.string()).min(1),
  documentationUri: uri.optional(),
  patch: supported,
  bulk: z.strictObject({ supported: z.boolean(), maxOperations: z.int().nonnegative(), maxPayloadSize: z.int().nonnegative() }),
  filter: z.strictObject({ supported: z.boolean(), maxResults: z.int().nonnegative() }),
  changePassword: supported,
  sort: supported,
  etag: supported,
  authenticationSchemes: z.array(z.strictObject({
    type: z.enum(["oauth", "oauth2", "oauthbearertoken", "httpbasic", "httpdigest"]),
    name: z.string(),
    description: z.string(),
    specUri: uri.optional(),
    documentationUri: uri.optional(),
  })).min(1),
  pagination: z.strictObject({
    cursor: z.boolean(),
    index: z.boolean(),
    defaultPaginationMethod: z.enum(["cursor", "index"]).optional(),
    defaultPageSize: z.int().positive().optional(),
    maxPageSize: z.int().positive().optional(),
    cursorTimeout: z.int().positive().optional(),
  }).optional(),
  securityEvents: z.strictObject({
    asyncRequest: z.enum(["none", "long", "request"]),
    eventUris: z.array(z.string().regex(/^urn:ietf:params:scim:event:(feed|prov|misc):/)),
  }).optional(),
  meta: meta.optional(),
};

// RFC 7643 §6
export const resourceTypeModel = z.strictObject({
  schemas: z.tuple([z.literal("urn:ietf:params:scim:schemas:core:2.0:ResourceType")]),
  id: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  endpoint: z.string().startsWith("/"),
  schema: z.string(),
  schemaExtensions: z.array(z.strictObject({ schema: z.string(), required: z.boolean() })).min(1).optional(),
  meta: meta.optional(),
});

const attributeTypes = ["string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex"] as const;

// RFC 7643 §7 (and §2.2 for the characteristics' values). Sub-attributes may not have their own
// (§2.3.8); referenceTypes belongs to references only.
const attributeFields = {
  // RFC 7643 §2.1 ATTRNAME, and "$ref", which the RFC itself uses for references.
  name: z.string().regex(/^(?:[A-Za-z][\w-]*|\$ref)$/),
  type: z.enum(attributeTypes),
  multiValued: z.boolean(),
  description: z.string(),
  required: z.boolean(),
  canonicalValues: z.array(z.string()).optional(),
  caseExact: z.boolean(),
  mutability: z.enum(["readOnly", "readWrite", "immutable", "writeOnly"]),
  returned: z.enum(["always", "never", "default", "request"]),
  uniqueness: z.enum(["none", "server", "global"]),
  referenceTypes: z.array(z.string()).min(1).optional(),
};
type Attribute = z.infer<z.ZodObject<typeof attributeFields>> & { subAttributes?: Attribute[] };

const referenceTypesOnReferences = (attribute: Attribute) =>
  (attribute.type === "reference") === (attribute.referenceTypes !== undefined);
const subAttributesOnComplex = (attribute: Attribute) =>
  (attribute.type === "complex") === (attribute.subAttributes !== undefined && attribute.subAttributes.length > 0);

const subAttributeModel = z.strictObject(attributeFields)
  .refine((attribute) => attribute.type !== "complex", "a sub-attribute may not be complex")
  .refine(referenceTypesOnReferences, "referenceTypes is given exactly for references");
const attributeModel = z.strictObject({ ...attributeFields, subAttributes: z.array(subAttributeModel).optional() })
  .refine(referenceTypesOnReferences, "referenceTypes is given exactly for references")
  .refine(subAttributesOnComplex, "subAttributes is given exactly for complex attributes");

export const schemaModel = z.strictObject({
  schemas: z.tuple([z.literal("urn:ietf:params:scim:schemas:core:2.0:Schema")]),
  id: z.string().startsWith("urn:"),
  name: z.string().optional(),
  description: z.string().optional(),
  attributes: z.array(attributeModel).min(1),
  meta: meta.optional(),
});
export type SchemaModel = z.infer<typeof schemaModel>;

// RFC 7644 §3.4.2
export function listResponseModel<T extends z.ZodType>(resource: T) {
  return z.strictObject({
    schemas: z.tuple([z.literal("urn:ietf:params:scim:api:messages:2.0:ListResponse")]),
    totalResults: z.int().nonnegative(),
    startIndex: z.int().positive().optional(),
    itemsPerPage: z.int().nonnegative().optional(),
    Resources: z.array(resource),
  }).refine((list) => list.Resources.length === list.itemsPerPage, "itemsPerPage counts Resources");
}

// The problems of a value held against attribute definitions from /Schemas: unknown keys, wrong
// types. Empty when it conforms.
export function conformsTo(attributes: readonly Attribute[], value: unknown, path = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path || "value"} is not an object`];
  const problems: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const attribute = attributes.find((candidate) => candidate.name.toLowerCase() === key.toLowerCase());
    const at = path ? `${path}.${key}` : key;
    if (attribute === undefined) {
      problems.push(`${at} is not defined by the schema`);
      continue;
    }
    if (attribute.multiValued !== Array.isArray(item)) {
      problems.push(`${at} is ${attribute.multiValued ? "multi-valued" : "single-valued"} by the schema`);
      continue;
    }
    for (const element of attribute.multiValued ? (item as unknown[]) : [item]) {
      problems.push(...conformsToType(attribute, element, at));
    }
  }
  return problems;
}

function conformsToType(attribute: Attribute, value: unknown, at: string): string[] {
  const ok = (() => {
    switch (attribute.type) {
      case "string": case "reference": case "binary": return typeof value === "string";
      case "dateTime": return typeof value === "string" && z.iso.datetime({ offset: true }).safeParse(value).success;
      case "boolean": return typeof value === "boolean";
      case "integer": return Number.isInteger(value);
      case "decimal": return typeof value === "number";
      case "complex": return typeof value === "object" && value !== null && !Array.isArray(value);
    }
  })();
  if (!ok) return [`${at} is not a ${attribute.type}`];
  // canonicalValues are suggestions (RFC 7643 §2.4), so other values are no fault.
  return attribute.type === "complex" ? conformsTo(attribute.subAttributes ?? [], value, at) : [];
}
