import { foldCase } from "../case.ts";
import type { AttributeDefinition } from "../schema/types.ts";

// RFC 7643 §2.3.1, §2.3.6, RFC 7644 §3.4.2.2: the one rule for whether a string comparison is
// case-sensitive. The evaluator compares comparisonForm()s; storage keeps the same form in folded columns.

/** Binary values are always case-exact; every other attribute says so in its caseExact characteristic. */
export function isCaseExact(attribute: AttributeDefinition): boolean {
  return attribute.caseExact || attribute.type === "binary";
}

/** The form in which a string value of `attribute` is compared, ordered and matched by co/sw/ew. */
export function comparisonForm(attribute: AttributeDefinition, value: string): string {
  return isCaseExact(attribute) ? value : foldCase(value);
}
