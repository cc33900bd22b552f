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
