import type { PatchOperation } from "../operations.ts";

// What Okta sends that needs reading with care (RFC 7644 §3.5.2).

// Okta renames a group with {"op":"replace","value":{"id":"...","displayName":"..."}}: the id
// (and any meta or schemas) it echoes back are not changes; dropping them keeps a rename from
// being read as an attempt to change read-only attributes (docs/idp-requests.md §2.8).
function withoutEchoedIdentity(operation: PatchOperation): PatchOperation {
  if (operation.path || typeof operation.value !== "object" || operation.value === null || Array.isArray(operation.value)) {
    return operation;
  }
  const value = Object.fromEntries(
    Object.entries(operation.value).filter(([key]) => !["id", "meta", "schemas"].includes(key.toLowerCase())),
  );
  return { ...operation, value };
}

export function oktaOperations(operations: readonly PatchOperation[]): PatchOperation[] {
  return operations.map(withoutEchoedIdentity);
}
