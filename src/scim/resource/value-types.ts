import { ScimError } from "../errors.js";
import type { AttributeType } from "../schema/types.js";

// RFC 7643 §2.3: one reader per simple data type. A reader returns the JSON value to keep, or `invalid`.

export type SimpleType = Exclude<AttributeType, "complex">;

const invalid = Symbol("invalid");

interface ValueType {
  readonly expected: string;
  readonly read: (raw: unknown) => unknown;
}

const valueTypes: Record<SimpleType, ValueType> = {
  string: { expected: "a string", read: readString },
  boolean: { expected: "a boolean", read: readBoolean },
  decimal: { expected: "a number", read: readDecimal },
  integer: { expected: "an integer", read: readInteger },
  dateTime: { expected: "an xsd:dateTime string", read: readDateTime },
  binary: { expected: "a base64 string", read: readString },
  reference: { expected: "a reference string", read: readString },
};

// RFC 7643 §2.3: checks one simple value against its type; the detail names the attribute, never the value.
export function readSimpleValue(type: SimpleType, raw: unknown, path: string): unknown {
  const valueType = valueTypes[type];
  const value = valueType.read(raw);
  if (value === invalid) throw ScimError.invalidValue(`Attribute "${path}" must be ${valueType.expected}`);
  return value;
}

function readString(raw: unknown): unknown {
  return typeof raw === "string" ? raw : invalid;
}

// RFC 7643 §2.3.2, leniently: Entra sends "True" / "False" (any case) as strings.
function readBoolean(raw: unknown): unknown {
  if (typeof raw === "boolean") return raw;
  if (typeof raw !== "string") return invalid;
  const lowered = raw.toLowerCase();
  if (lowered === "true") return true;
  if (lowered === "false") return false;
  return invalid;
}

function readDecimal(raw: unknown): unknown {
  return typeof raw === "number" && Number.isFinite(raw) ? raw : invalid;
}

function readInteger(raw: unknown): unknown {
  return typeof raw === "number" && Number.isInteger(raw) ? raw : invalid;
}

function readDateTime(raw: unknown): unknown {
  return typeof raw === "string" && isXsdDateTime(raw) ? raw : invalid;
}

const xsdDateTime =
  /^-?(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))?$/;

// RFC 7643 §2.3.5: an xsd:dateTime, checked against the calendar (no 2021-02-30, no 25:00).
export function isXsdDateTime(text: string): boolean {
  const match = xsdDateTime.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const [offsetHours, offsetMinutes] = [match[7], match[8]].map((part) => (part === undefined ? 0 : Number(part)));
  const endOfDay = hour === 24 && minute === 0 && second === 0;
  return (
    month >= 1 && month <= 12 &&
    day >= 1 && day <= daysInMonth(year, month) &&
    (hour <= 23 || endOfDay) && minute <= 59 && second <= 59 &&
    (offsetHours < 14 || (offsetHours === 14 && offsetMinutes === 0)) && offsetMinutes <= 59
  );
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
