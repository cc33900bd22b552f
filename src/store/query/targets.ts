import type { AttributeRef } from "../../scim/filter/ast.ts";
import { extensionText, type IndexedAttribute } from "../extension-values.ts";
import type { ColumnOf, ElementTable } from "../tables.ts";
import { multiValuedUserAttributes, userColumns } from "../user-columns.ts";
import { column as tableColumn, compare, type Column, type Condition } from "./condition.ts";

// Where a filterable attribute lives, per resource type: a column of the resource's own row, or
// a column of a related table whose rows are the elements of a multi-valued attribute.

export interface ColumnLocation {
  readonly kind: "column";
  readonly column: Column;
  readonly nullable: boolean;
  // How a filter's value is written for this column, when not as compared (comparisonForm).
  readonly encode?: (value: string | number | boolean | Date) => string | number | boolean | Date;
}

export interface ElementLocation {
  readonly kind: "element";
  // The element rows' table, its columns naming the resource they belong to and its tenant, and
  // what selects this attribute's rows among them.
  readonly table: ElementTable;
  readonly owner: Column;
  readonly tenant: Column;
  readonly scope: readonly Condition[];
  // Sub-attribute name (lower-cased) -> column of the element row.
  readonly columns: ReadonlyMap<string, ColumnLocation>;
  // The sub-attribute a bare reference to the attribute means (RFC 7644 §3.4.2.2: "value").
  readonly defaultColumn: string;
}

export type Location = ColumnLocation | ElementLocation;

export interface QueryTarget {
  readonly resourceType: "User" | "Group";
  // Canonical attribute path (lower-cased) -> location; sub-attributes of singular complex
  // attributes are paths of their own ("name.givenname").
  readonly locations: ReadonlyMap<string, Location>;
  // Columns that sort by a multi-valued attribute: its primary (else first) value.
  readonly sortColumns?: ReadonlyMap<string, ColumnLocation>;
}

const userColumn = (name: ColumnOf<"User">, nullable = true): ColumnLocation => ({ kind: "column", column: tableColumn("User", name), nullable });
const groupColumn = (name: ColumnOf<"Group">, nullable = true): ColumnLocation => ({ kind: "column", column: tableColumn("Group", name), nullable });
const memberColumn = (name: ColumnOf<"GroupMember">): ColumnLocation => ({ kind: "column", column: tableColumn("GroupMember", name), nullable: false });

const notNull = new Set(["id", "userName", "created", "lastModified"]);

const userValueColumns = (names: readonly ColumnOf<"UserValue">[]) =>
  new Map(names.map((name) => [name.toLowerCase(), { kind: "column", column: tableColumn("UserValue", name), nullable: name !== "primary" } as ColumnLocation]));

// An attribute of an extension schema: its ExtensionValue rows, text in `value`, numbers in `num`.
function extensionLocation({ path, definition }: IndexedAttribute, owner: "userId" | "groupId"): readonly [string, ElementLocation] {
  const numeric = definition.type === "integer" || definition.type === "decimal";
  const valueColumn: ColumnLocation = numeric
    ? { kind: "column", column: tableColumn("ExtensionValue", "num"), nullable: true }
    : { kind: "column", column: tableColumn("ExtensionValue", "value"), nullable: true, encode: (value) => extensionText(definition, value) ?? "" };
  return [
    path.toLowerCase(),
    {
      kind: "element",
      table: "ExtensionValue",
      owner: tableColumn("ExtensionValue", owner),
      tenant: tableColumn("ExtensionValue", "tenantId"),
      scope: [compare(tableColumn("ExtensionValue", "attr"), "=", path)],
      columns: new Map([["value", valueColumn]]),
      defaultColumn: "value",
    },
  ];
}

// Attributes of extension schemas (the compat APIs' and those defined for a tenant,
// scim/schema/tenant-schema.ts) have no place in the fixed tables below: the values of their
// simple attributes are ExtensionValue rows, under the attribute's URN-qualified path. Which
// extensions a tenant has is its schema view's business; the filter was resolved against it.
const tenantExtensionLocations = new Map<string, ElementLocation>();

export function tenantExtensionLocation(target: QueryTarget, ref: AttributeRef): ElementLocation | undefined {
  if (ref.subAttribute !== undefined || ref.attribute.type === "complex" || !ref.path.startsWith(`${ref.schema}:`)) return undefined;
  const owner = target.resourceType === "User" ? "userId" : "groupId";
  const key = `${owner} ${ref.path}`;
  let location = tenantExtensionLocations.get(key);
  if (location === undefined) {
    location = extensionLocation({ path: ref.path, urn: ref.schema, definition: ref.attribute }, owner)[1];
    if (tenantExtensionLocations.size >= 10_000) tenantExtensionLocations.clear();
    tenantExtensionLocations.set(key, location);
  }
  return location;
}

export const userTarget: QueryTarget = {
  resourceType: "User",
  locations: new Map<string, Location>([
    ...userColumns.map((mapping) => [mapping.path.toLowerCase(), userColumn(mapping.column, !notNull.has(mapping.column))] as const),
    ...multiValuedUserAttributes.map(
      (attr) =>
        [
          attr.toLowerCase(),
          {
            kind: "element",
            table: "UserValue",
            owner: tableColumn("UserValue", "userId"),
            tenant: tableColumn("UserValue", "tenantId"),
            scope: [compare(tableColumn("UserValue", "attr"), "=", attr)],
            columns: userValueColumns(["value", "display", "type", "primary", "formatted", "streetAddress", "locality", "region", "postalCode", "country"]),
            defaultColumn: "value",
          },
        ] as const,
    ),
    [
      "groups",
      {
        kind: "element",
        table: "GroupMember",
        owner: tableColumn("GroupMember", "userId"),
        tenant: tableColumn("GroupMember", "tenantId"),
        scope: [],
        columns: new Map([["value", memberColumn("groupId")]]),
        defaultColumn: "value",
      },
    ],
  ]),
  sortColumns: new Map(
    multiValuedUserAttributes.flatMap((attr) => [
      [attr.toLowerCase(), userColumn(`${attr}Primary`)],
      [`${attr.toLowerCase()}.${attr === "addresses" ? "formatted" : "value"}`, userColumn(`${attr}Primary`)],
    ]),
  ),
};

// Group members, as filters inside `members[...]` see them.
export const membersLocation: ElementLocation = {
  kind: "element",
  table: "GroupMember",
  owner: tableColumn("GroupMember", "groupId"),
  tenant: tableColumn("GroupMember", "tenantId"),
  scope: [],
  columns: new Map([
    ["value", memberColumn("memberId")],
    ["type", memberColumn("type")],
  ]),
  defaultColumn: "value",
};

export const groupTarget: QueryTarget = {
  resourceType: "Group",
  locations: new Map<string, Location>([
    ["id", groupColumn("id", false)],
    ["displayname", groupColumn("displayName", false)],
    ["externalid", groupColumn("externalId")],
    ["meta.created", groupColumn("created", false)],
    ["meta.lastmodified", groupColumn("lastModified", false)],
    ["members", membersLocation],
  ]),
};

