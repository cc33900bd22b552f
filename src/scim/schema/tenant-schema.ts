import { z } from "zod";
import type { AttributeDefinition, SchemaDefinition } from "./types.ts";

// An extension schema an operator defines for one tenant (npm run tenant -- <t> --schema <file>),
// so that the attributes an IdP maps into it (Entra:
// urn:ietf:params:scim:schemas:extension:<Name>:2.0:User:<attr>) are kept. The file is an RFC 7643
// §7 schema definition. Its URN's last segment names the resource type it extends ("User" or
// "Group"), as the Enterprise extension's does. Its attributes are simple (indexed one row per
// value, like the built-in extensions'): a complex attribute is refused, and so is a writeOnly one
// (its value would be stored as sent).

export type ExtendedType = "User" | "Group";

export interface TenantSchema {
  readonly resourceType: ExtendedType;
  readonly schema: SchemaDefinition;
}

// RFC 7643 §2.1 ATTRNAME.
const attributeName = /^[A-Za-z][A-Za-z0-9_-]*$/;

const attribute = z
  .object({
    name: z.string().regex(attributeName, "must be an attribute name (a letter, then letters, digits, '_' or '-')"),
    type: z.enum(["string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex"]).default("string"),
    multiValued: z.boolean().default(false),
    description: z.string().default(""),
    required: z.boolean().default(false),
    caseExact: z.boolean().default(false),
    mutability: z.enum(["readOnly", "readWrite", "immutable", "writeOnly"]).default("readWrite"),
    returned: z.enum(["always", "never", "default", "request"]).default("default"),
    uniqueness: z.enum(["none", "server", "global"]).default("none"),
    canonicalValues: z.array(z.string()).optional(),
    referenceTypes: z.array(z.string()).optional(),
    subAttributes: z.array(z.unknown()).optional(),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.type === "complex" || value.subAttributes !== undefined) {
      context.addIssue({ code: "custom", message: "complex attributes are not supported in a tenant's schemas; define simple attributes" });
    }
    if (value.mutability === "readOnly") {
      context.addIssue({ code: "custom", message: "a readOnly attribute could never be set: use readWrite or immutable" });
    }
    // A secret would be kept as sent, next to what is returned: the server hashes only passwords.
    if (value.mutability === "writeOnly" || value.returned === "never") {
      context.addIssue({ code: "custom", message: "writeOnly attributes (returned never) are not supported in a tenant's schemas" });
    }
    if (value.type === "reference" && value.referenceTypes === undefined) {
      context.addIssue({ code: "custom", message: 'a reference attribute needs referenceTypes (e.g. ["external"])' });
    }
  });

const schemaFile = z
  .object({
    id: z.string().regex(/^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+:(User|Group)$/, 'must be a URN ending in ":User" or ":Group"'),
    name: z.string().min(1).optional(),
    description: z.string().default(""),
    attributes: z.array(attribute).min(1, "a schema needs at least one attribute"),
    // As /Schemas shows them; accepted so that a schema read from another server can be loaded.
    schemas: z.array(z.string()).optional(),
    meta: z.unknown().optional(),
  })
  .strict()
  .superRefine((value, context) => {
    const seen = new Set<string>();
    value.attributes.forEach((definition, index) => {
      const key = definition.name.toLowerCase();
      if (seen.has(key)) context.addIssue({ code: "custom", path: ["attributes", index, "name"], message: `"${definition.name}" is defined twice` });
      seen.add(key);
    });
  });

/**
 * The tenant schema a definition describes, or the reasons it cannot be one (one line each,
 * naming the field). `reserved` are the URNs the server defines itself.
 */
export function readTenantSchema(json: unknown, reserved: readonly string[]): { schema: TenantSchema } | { errors: string[] } {
  const parsed = schemaFile.safeParse(json);
  if (!parsed.success) {
    return { errors: parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "schema"}: ${issue.message}`) };
  }
  const file = parsed.data;
  if (reserved.some((urn) => urn.toLowerCase() === file.id.toLowerCase())) {
    return { errors: [`id: ${file.id} is one of the server's own schemas`] };
  }
  const resourceType = file.id.endsWith(":Group") ? "Group" : "User";
  const attributes: AttributeDefinition[] = file.attributes.map(({ subAttributes: _sub, canonicalValues, referenceTypes, ...rest }) => ({
    ...rest,
    ...(canonicalValues ? { canonicalValues } : {}),
    ...(referenceTypes ? { referenceTypes } : {}),
  }));
  const name = file.name ?? (file.id.split(":").at(-3) || file.id);
  return { schema: { resourceType, schema: { id: file.id, name, description: file.description, attributes } } };
}
