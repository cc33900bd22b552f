import { foldCase } from "../case.js";
import type { AttributeDefinition } from "../schema/types.js";
import { isJsonObject, isUnassigned } from "./json.js";

// RFC 7643 §2.3, §7 (caseExact): whether two values of one attribute are the same value. Multi-valued
// attributes compare as sets; strings compare case-insensitively unless caseExact; dateTimes as instants.
export function sameValue(definition: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (isUnassigned(a) || isUnassigned(b)) return isUnassigned(a) && isUnassigned(b);
  if (!definition.multiValued) return sameSingleValue(definition, a, b);
  return Array.isArray(a) && Array.isArray(b) && sameElements(definition, a, b);
}

function sameElements(definition: AttributeDefinition, a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  const unmatched = [...b];
  return a.every((element) => {
    const index = unmatched.findIndex((candidate) => sameSingleValue(definition, element, candidate));
    if (index === -1) return false;
    unmatched.splice(index, 1);
    return true;
  });
}

function sameSingleValue(definition: AttributeDefinition, a: unknown, b: unknown): boolean {
  switch (definition.type) {
    case "complex":
      return isJsonObject(a) && isJsonObject(b) &&
        (definition.subAttributes ?? []).every((sub) => sameValue(sub, a[sub.name], b[sub.name]));
    case "string":
      return typeof a === "string" && typeof b === "string" &&
        (definition.caseExact ? a === b : foldCase(a) === foldCase(b));
    case "dateTime":
      return typeof a === "string" && typeof b === "string" && Date.parse(a) === Date.parse(b);
    case "boolean":
    case "decimal":
    case "integer":
    case "binary":
    case "reference":
      return a === b;
  }
}
