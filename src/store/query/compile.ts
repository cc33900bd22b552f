import { ScimError } from "../../scim/errors.ts";
import { comparedAttribute, assertNever, type AttributeRef, type CompareFilter, type Filter } from "../../scim/filter/ast.ts";
import { comparisonForm } from "../../scim/filter/collation.ts";
import type { AttributeDefinition } from "../../scim/schema/types.ts";
import { tenantExtensionLocation, type ColumnLocation, type ElementLocation, type Location, type QueryTarget } from "./targets.ts";

// Compiles a resolved filter (RFC 7644 §3.4.2.2) into a Prisma `where`. One small function per
// operator; case sensitivity comes from comparisonForm, the rule the stored columns follow too.
// Under a NOT, every leaf is false, never NULL, for a resource without the attribute, so that the
// NOT stays exact. Elsewhere NULL excludes a row as false does, and the leaf is the bare comparison,
// which an index range answers without a test of each row for NULL.

export type Where = Record<string, unknown>;

// The largest code point: `prefix <= s < prefix + U+10FFFF` is "s starts with prefix" in byte
// order (SQLite BINARY, PostgreSQL COLLATE "C"), a range an index answers.
const maxCodePoint = String.fromCodePoint(0x10ffff);

type Value = string | number | boolean | Date;
type Operator = (column: string, value: Value) => Where;

const operators: Record<Exclude<CompareFilter["op"], never>, Operator> = {
  eq: (column, value) => ({ [column]: { equals: value } }),
  ne: (column, value) => ({ [column]: { not: value } }),
  co: (column, value) => ({ [column]: { contains: likeLiteral(value) } }),
  sw: (column, value) => ({ [column]: { gte: value, lt: `${String(value)}${maxCodePoint}` } }),
  ew: (column, value) => ({ [column]: { endsWith: likeLiteral(value) } }),
  gt: (column, value) => ({ [column]: { gt: value } }),
  ge: (column, value) => ({ [column]: { gte: value } }),
  lt: (column, value) => ({ [column]: { lt: value } }),
  le: (column, value) => ({ [column]: { lte: value } }),
};

// contains and endsWith become LIKE patterns: the value's own wildcards are escaped with a
// backslash, LIKE's escape character on PostgreSQL and on our SQLite connections (sqlite.ts).
function likeLiteral(value: Value): string {
  return String(value).replace(/[\\%_]/g, (char) => `\\${char}`);
}

// How "the resource has an element row meeting `where`" is written: by default a relation filter
// (an EXISTS subquery); list.ts may substitute the ids it found with a query of its own.
export type ElementCondition = (location: ElementLocation, where: Where) => Where;

export const existsElement: ElementCondition = (location, where) => ({ [location.relation]: { some: where } });

export function compileFilter(
  filter: Filter,
  target: QueryTarget,
  tenantId: string,
  element: ElementCondition = existsElement,
  // Inside an odd number of NOTs.
  negated = false,
): Where {
  // An element condition (EXISTS, or ids found) is true or false, never NULL: inside it, leaves
  // start again outside any NOT.
  const some = (location: ElementLocation, where: Where) => element(location, elementWhere(location, tenantId, where));
  switch (filter.kind) {
    case "and":
      return { AND: filter.filters.map((inner) => compileFilter(inner, target, tenantId, element, negated)) };
    case "or":
      return { OR: filter.filters.map((inner) => compileFilter(inner, target, tenantId, element, negated)) };
    case "not":
      return { NOT: compileFilter(filter.filter, target, tenantId, element, !negated) };
    case "present":
    case "compare": {
      const location = locate(target, filter.attribute);
      if (location.kind === "column") return leaf(filter, location, negated);
      // Elements are stored only when they have a value, so a bare `emails pr` is "has an element".
      if (filter.kind === "present" && !filter.attribute.subAttribute) return some(location, {});
      const column = elementColumn(location, filter.attribute);
      // `emails.value eq null`: no element has a value; `ne null`: some element has one.
      if (filter.kind === "compare" && filter.value === null) {
        const hasValue = some(location, present(comparedAttribute(filter.attribute), column));
        return filter.op === "eq" ? { NOT: hasValue } : hasValue;
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
export function compileElementFilter(filter: Filter, location: ElementLocation): Where {
  return compileElement(filter, location);
}

// The filter inside a value path, over the columns of one element row.
function compileElement(filter: Filter, location: ElementLocation, negated = false): Where {
  switch (filter.kind) {
    case "and":
      return { AND: filter.filters.map((inner) => compileElement(inner, location, negated)) };
    case "or":
      return { OR: filter.filters.map((inner) => compileElement(inner, location, negated)) };
    case "not":
      return { NOT: compileElement(filter.filter, location, !negated) };
    case "present":
    case "compare":
      return leaf(filter, elementColumn(location, filter.attribute), negated);
    case "valuePath":
      throw ScimError.invalidFilter("A value path cannot contain another value path");
    default:
      return assertNever(filter);
  }
}

function leaf(filter: CompareFilter | { kind: "present"; attribute: AttributeRef }, location: ColumnLocation, negated: boolean): Where {
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
  return nullable && negated ? { AND: [{ [column]: { not: null } }, compiled] } : compiled;
}

// RFC 7644 §3.4.2.2 "pr": a non-empty value. A column that cannot be NULL (id, meta.created) is
// not asked about NULL: Prisma rejects that condition on a required field.
function present(attribute: AttributeDefinition, { column, nullable }: ColumnLocation): Where {
  const conditions = [...(nullable ? [{ [column]: { not: null } }] : []), ...(isText(attribute) ? [{ [column]: { not: "" } }] : [])];
  return conditions.length > 0 ? { AND: conditions } : { NOT: nothing(attribute, column) };
}

function absent(attribute: AttributeDefinition, { column, nullable }: ColumnLocation): Where {
  const conditions = [...(nullable ? [{ [column]: null }] : []), ...(isText(attribute) ? [{ [column]: "" }] : [])];
  return conditions.length > 0 ? { OR: conditions } : nothing(attribute, column);
}

// A condition no row meets. Spelled out, because Prisma drops an empty AND or OR nested in
// another; its Boolean filter has no `in`.
function nothing(attribute: AttributeDefinition, column: string): Where {
  return attribute.type === "boolean" ? { AND: [{ [column]: true }, { [column]: false }] } : { [column]: { in: [] } };
}

function isText(attribute: AttributeDefinition): boolean {
  return attribute.type === "string" || attribute.type === "reference" || attribute.type === "binary";
}

// The tenant is repeated inside the element subquery: element rows are indexed by tenant first,
// and without it the subquery cannot use those indexes.
function elementWhere(location: ElementLocation, tenantId: string, where: Where): Where {
  return { tenantId, ...location.scope, ...where };
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
