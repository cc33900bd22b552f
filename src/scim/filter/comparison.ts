import { ScimError } from "../errors.ts";
import type { AttributeType } from "../schema/types.ts";
import { comparedAttribute, type AttributeRef, type CompareOperator, type CompareValue } from "./ast.ts";

// RFC 7644 §3.4.2.2: which operators each attribute type admits, and which values it compares with.

type SimpleType = Exclude<AttributeType, "complex">;

const ordered: readonly CompareOperator[] = ["eq", "ne", "gt", "ge", "lt", "le"];
const all: readonly CompareOperator[] = ["eq", "ne", "co", "sw", "ew", ...ordered.slice(2)];

const operatorsByType: Record<SimpleType, readonly CompareOperator[]> = {
  string: all,
  reference: all,
  binary: ["eq", "ne"],
  boolean: ["eq", "ne"],
  integer: ordered,
  decimal: ordered,
  dateTime: ordered,
};

type RawValue = string | number | boolean | null;

const valueByType: Record<SimpleType, (raw: RawValue) => CompareValue | undefined> = {
  string: (raw) => (typeof raw === "string" ? raw : undefined),
  reference: (raw) => (typeof raw === "string" ? raw : undefined),
  binary: (raw) => (typeof raw === "string" ? raw : undefined),
  boolean: (raw) => (typeof raw === "boolean" ? raw : undefined),
  integer: (raw) => (typeof raw === "number" && Number.isSafeInteger(raw) ? raw + 0 : undefined),
  decimal: (raw) => (typeof raw === "number" && Number.isFinite(raw) ? raw + 0 : undefined),
  dateTime: (raw) => (typeof raw === "string" ? parseDateTime(raw) : undefined),
};

/** Checks `ref op raw` against the attribute's type and returns the value in its AST form. */
export function comparisonValue(ref: AttributeRef, op: CompareOperator, raw: RawValue): CompareValue {
  const attribute = comparedAttribute(ref);
  if (attribute.type === "complex") {
    throw ScimError.invalidFilter(
      `"${ref.path}" is complex and has no "value" sub-attribute; compare one of its sub-attributes`,
    );
  }
  if (!operatorsByType[attribute.type].includes(op)) {
    throw ScimError.invalidFilter(`operator "${op}" is not defined for ${attribute.type} attribute "${ref.path}"`);
  }
  if (raw === null) {
    if (op === "eq" || op === "ne") return null;
    throw ScimError.invalidFilter(`null can only be compared with "eq" or "ne", not "${op}" ("${ref.path}")`);
  }
  const value = valueByType[attribute.type](raw);
  if (value === undefined) {
    const type = `${article(attribute.type)} ${attribute.type}`;
    throw ScimError.invalidFilter(`"${ref.path}" is ${type} attribute; ${JSON.stringify(raw)} is not ${type} value`);
  }
  return value;
}

const dateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * RFC 7643 §2.3.5: an xsd:dateTime, as an instant. A value without a time zone is read as UTC;
 * precision beyond milliseconds is dropped.
 */
export function parseDateTime(text: string): Date | undefined {
  const match = dateTime.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = "", zone = "Z"] = match;
  const calendar = new Date(0);
  calendar.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  const sameDay = calendar.getUTCMonth() === Number(month) - 1 && calendar.getUTCDate() === Number(day);
  if (!sameDay || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return undefined;
  }
  const millis = fraction.slice(0, 4).padEnd(fraction === "" ? 0 : 4, "0");
  const instant = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${zone.toUpperCase()}`);
  // Outside years 0000-9999 toISOString would print a form this function does not read back.
  const year4 = instant.getUTCFullYear() >= 0 && instant.getUTCFullYear() <= 9999;
  return Number.isNaN(instant.getTime()) || !year4 ? undefined : instant;
}

function article(type: SimpleType): string {
  return type === "integer" ? "an" : "a";
}
