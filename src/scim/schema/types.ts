// RFC 7643 §7: the attribute characteristics that describe a schema, as plain data.

export type AttributeType =
  | "string"
  | "boolean"
  | "decimal"
  | "integer"
  | "dateTime"
  | "binary"
  | "reference"
  | "complex";

export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";
export type Uniqueness = "none" | "server" | "global";

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
  // Not an RFC characteristic (never listed by /Schemas): a readOnly value the server assigns when
  // the resource first carries the attribute's extension. See scim/resource/assigned.ts.
  readonly assigned?: AssignedValue;
}

// The next integer of the attribute's own per-tenant sequence (starting at `first`), or a random
// 24-hex-digit object id.
export type AssignedValue = { readonly kind: "sequence"; readonly first: number } | { readonly kind: "objectId" };

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

export interface SchemaExtensionRef {
  readonly schema: string;
  readonly required: boolean;
}

export interface ResourceTypeDefinition {
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: string;
  readonly schemaExtensions: readonly SchemaExtensionRef[];
}
