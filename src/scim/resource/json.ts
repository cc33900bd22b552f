// The JSON shapes a request body is checked against before any schema is applied.

export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** RFC 7643 §2.5: null and an empty array are the same state as "unassigned". */
export function isUnassigned(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/** A deep copy of a JSON value (objects, arrays, primitives), several times faster than structuredClone. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (value === null || typeof value !== "object") return value;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) {
    const element = cloneJson((value as JsonObject)[key]);
    // A "__proto__" key parsed from JSON is an own property; assignment would set the prototype.
    if (key === "__proto__") Object.defineProperty(copy, key, { value: element, enumerable: true, writable: true, configurable: true });
    else copy[key] = element;
  }
  return copy as T;
}

/** Whether two JSON values are equal member by member (object key order ignored), without serialising either. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !sameJson((a as JsonObject)[key], (b as JsonObject)[key])) return false;
  }
  return true;
}
