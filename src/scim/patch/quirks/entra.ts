import type { PatchOperation } from "../operations.ts";

// What Microsoft Entra ID sends that RFC 7644 §3.5.2 reads differently, rewritten to the RFC form
// (docs/idp-requests.md §3). (Capitalised op names, "True"/"False" and a manager given as a plain id
// are read leniently by the operation and value readers themselves.)

// A "multi-valued attribute with a value list" remove: Entra's default job removes group members
// with {"op":"Remove","path":"members","value":[{"value":"id"}]}, meaning those members only,
// where the RFC reading (remove every member) would empty the group (docs/idp-requests.md §3.8).
function removeListedValues(operation: PatchOperation): PatchOperation[] {
  if (operation.op !== "remove" || !operation.path || !Array.isArray(operation.value)) return [operation];
  if (/[[\].]/.test(operation.path) || operation.path.includes(":")) return [operation];
  const values = operation.value.map((element) =>
    typeof element === "object" && element !== null ? (element as Record<string, unknown>).value : element,
  );
  if (values.length === 0 || !values.every((value) => typeof value === "string")) return [operation];
  return values.map((value) => ({ op: "remove", path: `${operation.path}[value eq ${JSON.stringify(value)}]` }));
}

// Entra's "null update": replacing with "" clears the attribute (docs/idp-requests.md §3.10).
function emptyStringClears(operation: PatchOperation): PatchOperation {
  if (operation.op === "remove" || operation.value !== "" || !operation.path) return operation;
  return { op: "remove", path: operation.path };
}

// Entra's reference code sends a single-valued complex attribute as a list of one:
// {"op":"Add","path":"manager","value":[{"$ref":"…/Users/id","value":"id"}]}. The list's one
// element is the value; a single-valued complex attribute has no other reading of a list
// (docs/idp-requests.md §3.12).
export function listOfOne(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

export function entraOperations(operations: readonly PatchOperation[]): PatchOperation[] {
  return operations.flatMap(removeListedValues).map(emptyStringClears);
}
