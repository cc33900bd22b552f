import type { AttributeRef } from "../../scim/filter/ast.ts";
import {
  extensionText, indexedGroupExtensionAttributes, indexedUserExtensionAttributes, type IndexedAttribute,
} from "../extension-values.ts";
import { multiValuedUserAttributes, userColumns, type ValueColumn } from "../user-columns.ts";

// Where a filterable attribute lives, per resource type: a column of the resource's own row, or
// a column of a related table whose rows are the elements of a multi-valued attribute.

export interface ColumnLocation {
  readonly kind: "column";
  readonly column: string;
  readonly nullable: boolean;
  // How a filter's value is written for this column, when not as compared (comparisonForm).
  readonly encode?: (value: string | number | boolean | Date) => string | number | boolean | Date;
}

export interface ElementLocation {
  readonly kind: "element";
  // The relation from the resource row to its element rows, and what selects this attribute's rows.
  readonly relation: string;
  // The element rows' model and the column that names the resource they belong to.
  readonly model: "userValue" | "groupMember" | "extensionValue";
  readonly owner: "userId" | "groupId";
  readonly scope: Readonly<Record<string, unknown>>;
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

const column = (name: string, nullable = true): ColumnLocation => ({ kind: "column", column: name, nullable });

const notNull = new Set(["id", "userName", "created", "lastModified"]);

const userValueColumns = (names: readonly ValueColumn[]) =>
  new Map(names.map((name) => [name.toLowerCase(), column(name, name !== "primary")]));

// An attribute of this server's own extensions: its ExtensionValue rows, text in `value`, numbers in `num`.
function extensionLocation({ path, definition }: IndexedAttribute, owner: "userId" | "groupId"): readonly [string, ElementLocation] {
  const numeric = definition.type === "integer" || definition.type === "decimal";
  const valueColumn: ColumnLocation = numeric
    ? column("num")
    : { ...column("value"), encode: (value) => extensionText(definition, value) ?? "" };
  return [
    path.toLowerCase(),
    {
      kind: "element",
      relation: "extensionValues",
      model: "extensionValue",
      owner,
      scope: { attr: path },
      columns: new Map([["value", valueColumn]]),
      defaultColumn: "value",
    },
  ];
}

// Attributes of a tenant's own extension schemas (scim/schema/tenant-schema.ts) have no place in
// the fixed tables above: like the built-in extensions' simple attributes, their values are
// ExtensionValue rows, under the attribute's URN-qualified path.
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
    ...indexedUserExtensionAttributes.map((attribute) => extensionLocation(attribute, "userId")),
    ...userColumns.map((mapping) => [mapping.path.toLowerCase(), column(mapping.column, !notNull.has(mapping.column))] as const),
    ...multiValuedUserAttributes.map(
      (attr) =>
        [
          attr.toLowerCase(),
          {
            kind: "element",
            relation: "values",
            model: "userValue",
            owner: "userId",
            scope: { attr },
            columns: userValueColumns(["value", "display", "type", "primary", "formatted", "streetAddress", "locality", "region", "postalCode", "country"]),
            defaultColumn: "value",
          },
        ] as const,
    ),
    [
      "groups",
      {
        kind: "element",
        relation: "memberships",
        model: "groupMember",
        owner: "userId",
        scope: {},
        columns: new Map([["value", column("groupId", false)]]),
        defaultColumn: "value",
      },
    ],
  ]),
  sortColumns: new Map(
    multiValuedUserAttributes.flatMap((attr) => [
      [attr.toLowerCase(), column(`${attr}Primary`)],
      [`${attr.toLowerCase()}.${attr === "addresses" ? "formatted" : "value"}`, column(`${attr}Primary`)],
    ]),
  ),
};

// Group members, as filters inside `members[...]` see them.
export const membersLocation: ElementLocation = {
  kind: "element",
  relation: "members",
  model: "groupMember",
  owner: "groupId",
  scope: {},
  columns: new Map([
    ["value", column("memberId", false)],
    ["type", column("type", false)],
  ]),
  defaultColumn: "value",
};

export const groupTarget: QueryTarget = {
  resourceType: "Group",
  locations: new Map<string, Location>([
    ["id", column("id", false)],
    ["displayname", column("displayName", false)],
    ["externalid", column("externalId")],
    ["meta.created", column("created", false)],
    ["meta.lastmodified", column("lastModified", false)],
    ["members", membersLocation],
    ...indexedGroupExtensionAttributes.map((attribute) => extensionLocation(attribute, "groupId")),
  ]),
};

