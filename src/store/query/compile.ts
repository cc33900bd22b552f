import { ScimError } from "../../scim/errors.ts";
import { comparedAttribute, assertNever, type AttributeRef, type CompareFilter, type Filter } from "../../scim/filter/ast.ts";
import { comparisonForm } from "../../scim/filter/collation.ts";
import type { ColumnLocation, ElementLocation, Location, QueryTarget } from "./targets.ts";

// Compiles a resolved filter (RFC 7644 §3.4.2.2) into a Prisma `where`. One small function per
// operator; case sensitivity comes from comparisonForm, the rule the stored columns follow too.
// Every leaf is false, never NULL, for a resource without the attribute, so NOT stays exact.

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

export function compileFilter(filter: Filter, target: QueryTarget): Where {
  switch (filter.kind) {
    case "and":
      return { AND: filter.filters.map((inner) => compileFilter(inner, target)) };
    case "or":
      return { OR: filter.filters.map((inner) => compileFilter(inner, target)) };
    case "not":
      return { NOT: compileFilter(filter.filter, target) };
    case "present":
    case "compare": {
      const location = locate(target, filter.attribute);
      if (location.kind === "column") return leaf(filter, location);
      // Elements are stored only when they have a value, so a bare `emails pr` is "has an element".
      if (filter.kind === "present" && !filter.attribute.subAttribute) return some(location, {});
      const column = elementColumn(location, filter.attribute);
      // `emails.value eq null`: no element has a value; `ne null`: some element has one.
      if (filter.kind === "compare" && filter.value === null) {
        const hasValue = some(location, { [column.column]: { not: null } });
        return filter.op === "eq" ? { NOT: hasValue } : hasValue;
      }
      return some(location, leaf(filter, column));
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
function compileElement(filter: Filter, location: ElementLocation): Where {
  switch (filter.kind) {
    case "and":
      return { AND: filter.filters.map((inner) => compileElement(inner, location)) };
    case "or":
      return { OR: filter.filters.map((inner) => compileElement(inner, location)) };
    case "not":
      return { NOT: compileElement(filter.filter, location) };
    case "present":
    case "compare":
      return leaf(filter, elementColumn(location, filter.attribute));
    case "valuePath":
      throw ScimError.invalidFilter("A value path cannot contain another value path");
    default:
      return assertNever(filter);
  }
}

function leaf(filter: CompareFilter | { kind: "present"; attribute: AttributeRef }, location: ColumnLocation): Where {
  const { column, nullable } = location;
  const attribute = comparedAttribute(filter.attribute);
  if (filter.kind === "present") {
    // RFC 7644 §3.4.2.2 "pr": a non-empty value.
    return attribute.type === "string" || attribute.type === "reference" || attribute.type === "binary"
      ? { AND: [{ [column]: { not: null } }, { [column]: { not: "" } }] }
      : { [column]: { not: null } };
  }
  if (filter.value === null) {
    return filter.op === "eq" ? { [column]: null } : { [column]: { not: null } };
  }
  const value = typeof filter.value === "string" ? comparisonForm(attribute, filter.value) : filter.value;
  const compiled = operators[filter.op](column, value);
  // An absent attribute matches no comparison, `ne` included. Stated explicitly, because a NULL
  // column makes the comparison NULL, and NOT NULL is NULL, not true.
  return nullable ? { AND: [{ [column]: { not: null } }, compiled] } : compiled;
}

function some(location: ElementLocation, where: Where): Where {
  return { [location.relation]: { some: { ...location.scope, ...where } } };
}

// A path's own column, or the element table of the multi-valued attribute it is a sub-attribute of.
function locate(target: QueryTarget, ref: AttributeRef): Location {
  const path = ref.path.toLowerCase();
  const exact = target.locations.get(path);
  if (exact) return exact;
  const parent = ref.subAttribute ? target.locations.get(path.slice(0, path.lastIndexOf("."))) : undefined;
  if (parent?.kind === "element") return parent;
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
