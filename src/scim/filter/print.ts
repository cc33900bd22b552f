import { assertNever, comparedAttribute, type AttributeRef, type CompareValue, type Filter } from "./ast.ts";

/**
 * RFC 7644 §3.4.2.2: the canonical text of a filter. parseFilter reads it back to an equal AST:
 * canonical paths, lower-case operators, JSON-escaped strings, dateTimes as ISO 8601 UTC strings,
 * parentheses only around an "or" inside an "and" and after "not".
 */
export function printFilter(filter: Filter): string {
  return print(filter, false);
}

function print(filter: Filter, inValuePath: boolean): string {
  switch (filter.kind) {
    case "compare":
      return `${pathOf(filter.attribute, inValuePath)} ${filter.op} ${literalOf(filter.value)}`;
    case "present":
      return `${pathOf(filter.attribute, inValuePath)} pr`;
    case "and":
      return filter.filters
        .map((child) => (child.kind === "or" ? `(${print(child, inValuePath)})` : print(child, inValuePath)))
        .join(" and ");
    case "or":
      return filter.filters.map((child) => print(child, inValuePath)).join(" or ");
    case "not":
      return `not (${print(filter.filter, inValuePath)})`;
    case "valuePath":
      return `${filter.attribute.path}[${print(filter.filter, true)}]`;
    default:
      return assertNever(filter);
  }
}

function pathOf(ref: AttributeRef, inValuePath: boolean): string {
  return inValuePath ? comparedAttribute(ref).name : ref.path;
}

function literalOf(value: CompareValue): string {
  return JSON.stringify(value instanceof Date ? value.toISOString() : value);
}
