import type { PatchOperation } from "../operations.ts";
import { entraOperations } from "./entra.ts";
import { oktaOperations } from "./okta.ts";

// Every client's operations pass through each named quirk; each rewrites only forms that have no
// other reading, so applying all of them to every request is safe.
export function clientOperations(operations: readonly PatchOperation[]): PatchOperation[] {
  return oktaOperations(entraOperations(operations));
}
