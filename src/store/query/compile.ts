import { ScimError } from "../../scim/errors.ts";
import { comparedAttribute, assertNever, type AttributeRef, type CompareFilter, type Filter } from "../../scim/filter/ast.ts";
import { comparisonForm } from "../../scim/filter/collation.ts";
import type { AttributeDefinition } from "../../scim/schema/types.ts";
import {
  and, column, compare, isNull, never, not, notNull, or, type Column, type Condition, type ExistsCondition, type Operand,
} from "./condition.ts";
import { tenantExtensionLocation, type ColumnLocation, type ElementLocation, type Location, type QueryTarget } from "./targets.ts";

// Compiles a resolved filter (RFC 7644 §3.4.2.2) into a condition (condition.ts). One small
// function per operator; case sensitivity comes from comparisonForm, the rule the stored columns
// follow too. Under a NOT, every leaf is false, never NULL, for a resource without the attribute,
// so that the NOT stays exact. Elsewhere NULL excludes a row as false does, and the leaf is the
// bare comparison, which an index range answers without a test of each row for NULL.

// The largest code point: `prefix <= s < prefix + U+10FFFF` is "s starts with prefix" in byte
// order (SQLite BINARY, PostgreSQL COLLATE "C"), a range an index answers.
const maxCodePoint = String.fromCodePoint(0x10ffff);

type Operator = (column: Column, value: Operand) => Condition;

const operators: Record<CompareFilter["op"], Operator> = {
  eq: (column, value) => compare(column, "=", value),
  ne: (column, value) => compare(column, "<>", value),
  co: (column, value) => ({ kind: "like", left: column, pattern: `%${likeLiteral(value)}%` }),
  sw: (column, value) => and(compare(column, ">=", value), compare(column, "<", `${String(value)}${maxCodePoint}`)),
  ew: (column, value) => ({ kind: "like", left: column, pattern: `%${likeLiteral(value)}` }),
  gt: (column, value) => compare(column, ">", value),
  ge: (column, value) => compare(column, ">=", value),
  lt: (column, value) => compare(column, "<", value),
  le: (column, value) => compare(column, "<=", value),
};

// contains and endsWith become LIKE patterns: the value's own wildcards are escaped with a
// backslash, LIKE's escape character on both databases (driver/sqlite.ts).
function likeLiteral(value: Operand): string {
  return String(value).replace(/[\\%_]/g, (char) => `\\${char}`);
}

// The condition on a resource's table that `filter` compiles to, its tenant included.
export function compileFilter(filter: Filter, target: QueryTarget, tenantId: string): Condition {
  return and(compare(column(target.resourceType, "tenantId"), "=", tenantId), compileResource(filter, target, tenantId, false));
}

function compileResource(
  filter: Filter,
  target: QueryTarget,
  tenantId: string,
  // Inside an odd number of NOTs.
  negated: boolean,
): Condition {
  // An element condition (EXISTS) is true or false, never NULL: inside it, leaves start again
  // outside any NOT.
  const some = (location: ElementLocation, where?: Condition) => exists(target, location, tenantId, where);
  switch (filter.kind) {
    case "and":
      return { kind: "and", conditions: filter.filters.map((inner) => compileResource(inner, target, tenantId, negated)) };
    case "or":
      return { kind: "or", conditions: filter.filters.map((inner) => compileResource(inner, target, tenantId, negated)) };
    case "not":
      return not(compileResource(filter.filter, target, tenantId, !negated));
    case "present":
    case "compare": {
      const location = locate(target, filter.attribute);
      if (location.kind === "column") return leaf(filter, location, negated);
      // Elements are stored only when they have a value, so a bare `emails pr` is "has an element".
      if (filter.kind === "present" && !filter.attribute.subAttribute) return some(location);
      const column = elementColumn(location, filter.attribute);
      // `emails.value eq null`: no element has a value; `ne null`: some element has one.
      if (filter.kind === "compare" && filter.value === null) {
        const hasValue = some(location, present(comparedAttribute(filter.attribute), column));
        return filter.op === "eq" ? not(hasValue) : hasValue;
      }
      return some(location, leaf(filter, column, false));
    }
    case "valuePath": {
      const location = locate(target, filter.attribute);
      if (location.kind !== "element") throw notFilterable(filter.attribute);
      return some(location, compileElement(filter.filter, location));
    }
    default:
      return assertNever(filter);
  }
}

// A value path's filter as a condition on the element rows themselves (e.g. which group members
// a PATCH removes).
export function compileElementFilter(filter: Filter, location: ElementLocation): Condition {
  return compileElement(filter, location);
}

// The filter inside a value path, over the columns of one element row.
function compileElement(filter: Filter, location: ElementLocation, negated = false): Condition {
  switch (filter.kind) {
    case "and":
      return { kind: "and", conditions: filter.filters.map((inner) => compileElement(inner, location, negated)) };
    case "or":
      return { kind: "or", conditions: filter.filters.map((inner) => compileElement(inner, location, negated)) };
    case "not":
      return not(compileElement(filter.filter, location, !negated));
    case "present":
    case "compare":
      return leaf(filter, elementColumn(location, filter.attribute), negated);
    case "valuePath":
      throw ScimError.invalidFilter("A value path cannot contain another value path");
    default:
      return assertNever(filter);
  }
}

function leaf(filter: CompareFilter | { kind: "present"; attribute: AttributeRef }, location: ColumnLocation, negated: boolean): Condition {
  const { column, nullable } = location;
  const attribute = comparedAttribute(filter.attribute);
  // `x ne null` is `x pr`, and `x eq null` its negation.
  if (filter.kind === "present") return present(attribute, location);
  if (filter.value === null) return filter.op === "eq" ? absent(attribute, location) : present(attribute, location);
  const value = location.encode
    ? location.encode(filter.value)
    : typeof filter.value === "string"
      ? comparisonForm(attribute, filter.value)
      : filter.value;
  const compiled = operators[filter.op](column, value);
  // An absent attribute matches no comparison, `ne` included. Under a NOT this is stated
  // explicitly, because a NULL column makes the comparison NULL, and NOT NULL is NULL, not true.
  return nullable && negated ? and(notNull(column), compiled) : compiled;
}

// RFC 7644 §3.4.2.2 "pr": a non-empty value. A column that cannot be NULL (id, meta.created) is
// not asked about NULL.
function present(attribute: AttributeDefinition, { column, nullable }: ColumnLocation): Condition {
  const conditions = [...(nullable ? [notNull(column)] : []), ...(isText(attribute) ? [compare(column, "<>", "")] : [])];
  return conditions.length > 0 ? and(...conditions) : always;
}

function absent(attribute: AttributeDefinition, { column, nullable }: ColumnLocation): Condition {
  const conditions = [...(nullable ? [isNull(column)] : []), ...(isText(attribute) ? [compare(column, "=", "")] : [])];
  return conditions.length > 0 ? or(...conditions) : never;
}

const always: Condition = { kind: "and", conditions: [] };

function isText(attribute: AttributeDefinition): boolean {
  return attribute.type === "string" || attribute.type === "reference" || attribute.type === "binary";
}

// The tenant is repeated inside the element subquery: element rows are indexed by tenant first,
// and without it the subquery cannot use those indexes.
function exists(target: QueryTarget, location: ElementLocation, tenantId: string, where?: Condition): ExistsCondition {
  return {
    kind: "exists",
    table: location.table,
    owner: location.owner,
    resource: column(target.resourceType, "id"),
    where: elementWhere(location, tenantId, where),
  };
}

export function elementWhere(location: ElementLocation, tenantId: string, where?: Condition): Condition {
  return and(compare(location.tenant, "=", tenantId), ...location.scope, ...(where ? [where] : []));
}

// A path's own column, or the element table of the multi-valued attribute it is a sub-attribute of.
function locate(target: QueryTarget, ref: AttributeRef): Location {
  const path = ref.path.toLowerCase();
  const exact = target.locations.get(path);
  if (exact) return exact;
  const parent = ref.subAttribute ? target.locations.get(path.slice(0, path.lastIndexOf("."))) : undefined;
  if (parent?.kind === "element") return parent;
  const tenants = tenantExtensionLocation(target, ref);
  if (tenants) return tenants;
  throw notFilterable(ref);
}

function elementColumn(location: ElementLocation, ref: AttributeRef): ColumnLocation {
  const name = ref.subAttribute?.name.toLowerCase() ?? location.defaultColumn;
  const column = location.columns.get(name);
  if (!column) throw notFilterable(ref);
  return column;
}

function notFilterable(ref: AttributeRef): ScimError {
  return ScimError.invalidFilter(`Filtering on "${ref.path}" is not supported`);
}
