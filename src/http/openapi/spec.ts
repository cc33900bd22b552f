import { z } from "zod";

// The parts of an OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.1) this server's
// description uses, and the builders each API's description is written with, so that a
// description reads as a table of paths.

// JSON Schema 2020-12, the dialect of OpenAPI 3.1 Schema Objects.
export type JsonSchema = { readonly [keyword: string]: unknown };

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "patch";

export interface Parameter {
  readonly name: string;
  readonly in: "path" | "query" | "header";
  readonly description: string;
  readonly required?: boolean;
  readonly schema: JsonSchema;
}

export interface MediaType {
  readonly schema: JsonSchema;
}

export interface Header {
  readonly description: string;
  readonly schema: JsonSchema;
}

export interface Response {
  readonly description: string;
  readonly headers?: Readonly<Record<string, Header>>;
  readonly content?: Readonly<Record<string, MediaType>>;
}

export interface RequestBody {
  readonly description?: string;
  readonly required: boolean;
  readonly content: Readonly<Record<string, MediaType>>;
}

// Each alternative is enough on its own; `{}` says the operation also answers without credentials.
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export type SecurityScheme =
  | { readonly type: "http"; readonly scheme: "bearer"; readonly bearerFormat?: string; readonly description: string }
  | { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly name: string; readonly description: string };

export interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly security: readonly SecurityRequirement[];
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: RequestBody;
  readonly responses: Readonly<Record<string, Response>>;
}

export type PathItem = Readonly<Partial<Record<HttpMethod, Operation>>>;

// One API this server serves, its paths relative to where it is mounted. Its components' names
// start with a prefix of its own, so that descriptions merge into one document without clashes.
export interface ApiDescription {
  readonly tag: { readonly name: string; readonly description: string };
  readonly securitySchemes: Readonly<Record<string, SecurityScheme>>;
  readonly schemas: Readonly<Record<string, JsonSchema>>;
  readonly paths: Readonly<Record<string, PathItem>>;
}

export function ref(schemaName: string): JsonSchema {
  return { $ref: `#/components/schemas/${schemaName}` };
}

// A zod contract as JSON Schema: "input" describes what a request may send (before transforms
// and defaults), "output" what a response carries. What JSON Schema cannot say (refinements,
// custom transforms) is left unconstrained rather than refused.
export function fromZod(schema: z.ZodType, io: "input" | "output" = "output"): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });
  if (io !== "input" || !(schema instanceof z.ZodObject)) return json;
  // The JSON Schema emitter reads optionality statically and takes a preprocess nested in a pipe
  // for optional; asking each field whether it accepts an absent key is what parsing does.
  const required = Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => !acceptsAbsent(field))
    .map(([key]) => key);
  const { required: _static, ...rest } = json;
  return required.length > 0 ? { ...rest, required } : rest;
}

function acceptsAbsent(field: z.ZodType): boolean {
  try {
    return field.safeParse(undefined).success;
  } catch {
    return false;
  }
}

export function content(schema: JsonSchema, mediaTypes: readonly string[] = ["application/json"]): Record<string, MediaType> {
  return Object.fromEntries(mediaTypes.map((type) => [type, { schema }]));
}

export function requestBody(schema: JsonSchema, mediaTypes?: readonly string[], description?: string): RequestBody {
  return { ...(description === undefined ? {} : { description }), required: true, content: content(schema, mediaTypes) };
}

export function reply(
  description: string,
  schema?: JsonSchema,
  mediaType = "application/json",
  headers?: Readonly<Record<string, Header>>,
): Response {
  return { description, ...(headers ? { headers } : {}), ...(schema ? { content: content(schema, [mediaType]) } : {}) };
}

// An API's operations: ids under its prefix, its credentials unless the operation names others.
export type OperationFields = Omit<Operation, "operationId" | "summary" | "security"> & {
  readonly security?: readonly SecurityRequirement[];
};

export function operationsOf(prefix: string, security: readonly SecurityRequirement[]) {
  return (id: string, summary: string, fields: OperationFields): Operation => ({ operationId: `${prefix}.${id}`, summary, security, ...fields });
}

// An API's error responses, each in the API's own envelope: `errors(401, 404)`.
export function errorsOf<Status extends number>(envelope: JsonSchema, mediaType: string, statuses: Readonly<Record<Status, string>>) {
  return (...codes: Status[]): Record<string, Response> =>
    Object.fromEntries(codes.map((code) => [String(code), reply(statuses[code], envelope, mediaType)]));
}

export function pathParameter(name: string, description: string, schema: JsonSchema = { type: "string" }): Parameter {
  return { name, in: "path", description, required: true, schema };
}

export function queryParameter(name: string, description: string, schema: JsonSchema = { type: "string" }): Parameter {
  return { name, in: "query", description, schema };
}

export function headerParameter(name: string, description: string, schema: JsonSchema = { type: "string" }): Parameter {
  return { name, in: "header", description, schema };
}
