import type { AttributeDefinition } from "../schema/types.ts";
import {
  assertNever,
  comparedAttribute,
  type AttributeRef,
  type CompareFilter,
  type CompareOperator,
  type Filter,
} from "./ast.ts";
import { comparisonForm } from "./collation.ts";
import { parseDateTime } from "./comparison.ts";

// RFC 7644 §3.4.2.2 over a rendered resource: the reference semantics storage must agree with.
//  - A multi-valued attribute matches when any of its values matches, `ne` included: `emails.value ne "x"`
//    matches a User with some email other than "x". An absent attribute matches no comparison.
//  - `x eq null` matches when x has no value, `x ne null` when it has one (as `x pr`).
//  - `pr`: a value that is not null, "", [] or a complex value whose sub-attributes are all absent.
//  - `attr[filter]`: one element of attr satisfies the whole inner filter.
//  - Strings compare in collation.ts's comparisonForm, ordered by UTF-16 code unit; dateTimes as instants.

/** True when `resource` (core attributes at the top, extension attributes under their URN) satisfies `filter`. */
export function matches(filter: Filter, resource: Readonly<Record<string, unknown>>): boolean {
  return matchesIn(filter, { kind: "resource", resource });
}

type Scope =
  | { readonly kind: "resource"; readonly resource: Readonly<Record<string, unknown>> }
  | { readonly kind: "element"; readonly element: unknown };

function matchesIn(filter: Filter, scope: Scope): boolean {
  switch (filter.kind) {
    case "compare":
      return compare(filter, valuesOf(filter.attribute, scope));
    case "present":
      return valuesOf(filter.attribute, scope).some(isPresent);
    case "and":
      return filter.filters.every((child) => matchesIn(child, scope));
    case "or":
      return filter.filters.some((child) => matchesIn(child, scope));
    case "not":
      return !matchesIn(filter.filter, scope);
    case "valuePath":
      return valuesOf(filter.attribute, scope).some((element) =>
        matchesIn(filter.filter, { kind: "element", element }),
      );
    default:
      return assertNever(filter);
  }
}

function compare({ attribute: ref, op, value }: CompareFilter, values: readonly unknown[]): boolean {
  if (value === null) return (op === "ne") === values.some(isPresent);
  const attribute = comparedAttribute(ref);
  const expected = comparable(attribute, value);
  if (expected === undefined) return false;
  return values.some((actual) => {
    const candidate = comparable(attribute, actual);
    return candidate !== undefined && typeof candidate === typeof expected && operatorTests[op](candidate, expected);
  });
}

type Comparable = string | number | boolean;

const operatorTests: Record<CompareOperator, (actual: Comparable, expected: Comparable) => boolean> = {
  eq: (actual, expected) => actual === expected,
  ne: (actual, expected) => actual !== expected,
  co: (actual, expected) => String(actual).includes(String(expected)),
  sw: (actual, expected) => String(actual).startsWith(String(expected)),
  ew: (actual, expected) => String(actual).endsWith(String(expected)),
  gt: (actual, expected) => actual > expected,
  ge: (actual, expected) => actual >= expected,
  lt: (actual, expected) => actual < expected,
  le: (actual, expected) => actual <= expected,
};

/** A value as it is compared: strings in comparisonForm, dateTimes as epoch milliseconds. */
function comparable(attribute: AttributeDefinition, value: unknown): Comparable | undefined {
  if (value instanceof Date) return value.getTime();
  if (attribute.type === "dateTime") return typeof value === "string" ? parseDateTime(value)?.getTime() : undefined;
  if (typeof value === "string") return comparisonForm(attribute, value);
  return typeof value === "number" || typeof value === "boolean" ? value : undefined;
}

function valuesOf(ref: AttributeRef, scope: Scope): readonly unknown[] {
  if (scope.kind === "element") return listOf(member(scope.element, comparedAttribute(ref).name));
  const extension = ref.path.startsWith(`${ref.schema}:`);
  const values = listOf(member(extension ? member(scope.resource, ref.schema) : scope.resource, ref.attribute.name));
  const subAttribute = ref.subAttribute;
  return subAttribute === undefined ? values : values.flatMap((value) => listOf(member(value, subAttribute.name)));
}

// RFC 7643 §2.1: attribute names (and schema URNs) are case-insensitive.
function member(node: unknown, name: string): unknown {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
  const wanted = name.toLowerCase();
  const key = Object.keys(node).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : (node as Record<string, unknown>)[key];
}

function listOf(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.filter((item) => item !== undefined && item !== null) : [value];
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (typeof value === "object") return Object.values(value).some(isPresent);
  return true;
}
