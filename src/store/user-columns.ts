import { comparisonForm } from "../scim/filter/collation.ts";
import type { Attributes } from "../scim/ports.ts";
import { commonAttributes } from "../scim/schema/common.ts";
import { enterpriseUserSchema } from "../scim/schema/enterprise-user.ts";
import { createSchemaRegistry } from "../scim/schema/registry.ts";
import { userResourceType } from "../scim/schema/resource-types.ts";
import type { AttributeDefinition } from "../scim/schema/types.ts";
import { userSchema } from "../scim/schema/user.ts";
import type { ColumnOf, Tables } from "./tables.ts";

// Where each filterable, sortable User attribute lives in the database. The resource itself is
// kept whole in `doc`; these columns and the UserValue rows exist so that the database filters
// and sorts with indexes. A value whose attribute is not caseExact is stored folded (foldCase).

// The User columns that hold an attribute: every column but the row's bookkeeping, the stored
// resource, the password hash and the primary values of multi-valued attributes.
export type UserColumn = Exclude<ColumnOf<"User">, "tenantId" | "version" | "doc" | "passwordHash" | PrimaryColumn>;

export type MultiValuedUserAttribute =
  | "emails" | "phoneNumbers" | "ims" | "photos" | "addresses" | "entitlements" | "roles" | "x509Certificates";

export type PrimaryColumn = `${MultiValuedUserAttribute}Primary`;

// UserValue columns, by sub-attribute name: every column but the row's bookkeeping.
export type ValueColumn = Exclude<ColumnOf<"UserValue">, "id" | "tenantId" | "userId" | "attr" | "pos">;

export interface ColumnMapping {
  // Canonical attribute path, as the schema registry spells it.
  readonly path: string;
  readonly column: UserColumn;
  readonly definition: AttributeDefinition;
}

// The columns mirror the RFC User schema and the Enterprise extension (RFC 7643 §4.1, §4.3), so
// their attributes are read from those two schemas alone, whatever extensions a tenant has.
const columnSchemas = createSchemaRegistry({ schemas: [userSchema, enterpriseUserSchema], resourceTypes: [userResourceType], commonAttributes });

function resolve(path: string): AttributeDefinition {
  const resolved = columnSchemas.findAttribute(userResourceType, path);
  if (!resolved) throw new Error(`User schema has no attribute ${path}`);
  return resolved.subAttribute ?? resolved.attribute;
}

const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const columnPaths: ReadonlyArray<readonly [string, UserColumn]> = [
  ["id", "id"],
  ["userName", "userName"],
  ["externalId", "externalId"],
  ["displayName", "displayName"],
  ["name.formatted", "nameFormatted"],
  ["name.familyName", "familyName"],
  ["name.givenName", "givenName"],
  ["name.middleName", "middleName"],
  ["name.honorificPrefix", "honorificPrefix"],
  ["name.honorificSuffix", "honorificSuffix"],
  ["nickName", "nickName"],
  ["profileUrl", "profileUrl"],
  ["title", "title"],
  ["userType", "userType"],
  ["preferredLanguage", "preferredLanguage"],
  ["locale", "locale"],
  ["timezone", "timezone"],
  ["active", "active"],
  [`${enterprise}:employeeNumber`, "employeeNumber"],
  [`${enterprise}:costCenter`, "costCenter"],
  [`${enterprise}:organization`, "organization"],
  [`${enterprise}:division`, "division"],
  [`${enterprise}:department`, "department"],
  [`${enterprise}:manager.value`, "managerId"],
  ["meta.created", "created"],
  ["meta.lastModified", "lastModified"],
];

export const userColumns: readonly ColumnMapping[] = columnPaths.map(([path, column]) => ({
  path: columnSchemas.findAttribute(userResourceType, path)?.path ?? path,
  column,
  definition: resolve(path),
}));

export const multiValuedUserAttributes: readonly MultiValuedUserAttribute[] = [
  "emails", "phoneNumbers", "ims", "photos", "addresses", "entitlements", "roles", "x509Certificates",
];

export const valueColumns: readonly ValueColumn[] = [
  "value", "display", "type", "primary", "formatted", "streetAddress", "locality", "region", "postalCode", "country",
];

// The stored form of a value: the form filters compare it in (RFC 7643 §2.3.1), folded unless
// its attribute is caseExact or binary.
export function storedString(definition: AttributeDefinition, value: string): string {
  return comparisonForm(definition, value);
}

// Columns that the store writes itself (id, timestamps) are not derived from the attributes.
const derivedColumns = userColumns
  .filter((mapping) => !["id", "created", "lastModified"].includes(mapping.column))
  .map((mapping) => ({ ...mapping, steps: stepsOf(mapping.path) }));

// The sub-attribute that stands for an element when sorting: "value", or for addresses (which
// have none) "formatted".
const sortSubAttribute = (attr: MultiValuedUserAttribute) => (attr === "addresses" ? "formatted" : "value");
const primaryDefinitions = new Map(
  multiValuedUserAttributes.map((attr) => [attr, resolve(`${attr}.${sortSubAttribute(attr)}`)]),
);

export type UserColumnValues = Record<
  Exclude<UserColumn, "userName" | "active" | "id" | "created" | "lastModified"> | PrimaryColumn,
  string | null
> & { userName: string; active: boolean | null };

/**
 * The column values that differ between two versions of a user's attributes (what an UPDATE must
 * set): changedColumns(userColumnValues(before), userColumnValues(after)), without deriving the
 * columns whose source values are the same.
 */
export function changedColumnValues(before: Attributes, after: Attributes): Partial<UserColumnValues> {
  const changed: Record<string, string | boolean | null> = {};
  for (const mapping of derivedColumns) {
    const was = read(before, mapping.steps);
    const now = read(after, mapping.steps);
    if (was === now) continue;
    const value = columnValue(mapping, now);
    if (columnValue(mapping, was) !== value) changed[mapping.column] = value;
  }
  for (const attr of multiValuedUserAttributes) {
    const was = primaryValue(before, attr);
    const now = primaryValue(after, attr);
    if (was === now) continue;
    const value = primaryColumnValue(attr, now);
    if (primaryColumnValue(attr, was) !== value) changed[`${attr}Primary`] = value;
  }
  return changed as Partial<UserColumnValues>;
}

// The columns derived from a user's attributes, in the order userColumnList gives their values.
export const derivedColumnNames: readonly string[] = [
  ...derivedColumns.map((mapping) => mapping.column),
  ...multiValuedUserAttributes.map((attr) => `${attr}Primary`),
];

// The values of derivedColumnNames for a user, in that order: an INSERT binds them as they
// come, without a row object of some forty keys built and spread on the way.
export function userColumnList(attributes: Attributes): (string | boolean | null)[] {
  const values: (string | boolean | null)[] = [];
  for (const mapping of derivedColumns) values.push(columnValue(mapping, read(attributes, mapping.steps)));
  for (const attr of multiValuedUserAttributes) values.push(primaryColumnValue(attr, primaryValue(attributes, attr)));
  return values;
}

export function userColumnValues(attributes: Attributes): UserColumnValues {
  const list = userColumnList(attributes);
  return Object.fromEntries(derivedColumnNames.map((column, index) => [column, list[index]])) as UserColumnValues;
}

function columnValue(mapping: ColumnMapping, value: unknown): string | boolean | null {
  // Unassigned (removed by a PATCH) is NULL, matched by no comparison, as RFC 7644 §3.4.2.2 asks.
  if (mapping.column === "active") return typeof value === "boolean" ? value : null;
  return typeof value === "string" ? storedString(mapping.definition, value) : null;
}

// The sort sub-attribute's value of the primary (else first) element, as sent.
function primaryValue(attributes: Attributes, attr: MultiValuedUserAttribute): unknown {
  const elements = attributes[attr];
  if (!Array.isArray(elements)) return undefined;
  const primary = (elements as Record<string, unknown>[]).find((element) => element.primary === true) ?? elements[0];
  return (primary as Record<string, unknown> | undefined)?.[sortSubAttribute(attr)];
}

function primaryColumnValue(attr: MultiValuedUserAttribute, value: unknown): string | null {
  return typeof value === "string" ? storedString(primaryDefinitions.get(attr) as AttributeDefinition, value) : null;
}

export type UserValueRow = Omit<Tables["UserValue"], "id">;

const stringValueColumns = valueColumns.filter((column): column is Exclude<ValueColumn, "primary"> => column !== "primary");

// The definition of each sub-attribute a UserValue column holds, per multi-valued attribute.
const valueDefinitions = new Map(
  multiValuedUserAttributes.map((attr) => [
    attr,
    stringValueColumns.flatMap((column) => {
      const resolved = columnSchemas.findAttribute(userResourceType, `${attr}.${column}`);
      return resolved?.subAttribute ? [[column, resolved.subAttribute] as const] : [];
    }),
  ]),
);

export function userValueRows(tenantId: string, userId: string, attributes: Attributes): UserValueRow[] {
  const rows: UserValueRow[] = [];
  for (const attr of multiValuedUserAttributes) {
    const elements = attributes[attr];
    if (!Array.isArray(elements)) continue;
    elements.forEach((element: Record<string, unknown>, pos) => {
      const row = { tenantId, userId, attr, pos, primary: element.primary === true } as UserValueRow;
      for (const column of stringValueColumns) row[column] = null;
      for (const [column, definition] of valueDefinitions.get(attr) ?? []) {
        const sub = element[column];
        if (typeof sub === "string") row[column] = storedString(definition, sub);
      }
      rows.push(row);
    });
  }
  return rows;
}

// The keys from the attributes to a path's value: an extension attribute's first key is its schema URN.
function stepsOf(path: string): string[] {
  if (!path.startsWith("urn:")) return path.split(".");
  const colon = path.lastIndexOf(":");
  return [path.slice(0, colon), ...path.slice(colon + 1).split(".")];
}

function read(attributes: Attributes, steps: readonly string[]): unknown {
  let current: unknown = attributes;
  for (const step of steps) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
