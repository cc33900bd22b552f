import { ScimError } from "../errors.ts";
import { assertNever, type Filter } from "./ast.ts";

// Bounds on what one filter may cost to parse, resolve and compile. Exceeding any of them is invalidFilter.
export interface FilterLimits {
  /** Characters in the filter text. */
  readonly maxLength: number;
  /**
   * Nesting: levels of and/or/not/valuePath above a comparison in the resolved filter; and, checked on
   * the text before the recursive parser runs, levels of parentheses and brackets (redundant ones count)
   * plus any chain of "not" written without parentheses.
   */
  readonly maxDepth: number;
  /** Comparisons and presence tests ("pr") in the resolved filter. */
  readonly maxTerms: number;
}

export const defaultFilterLimits: FilterLimits = { maxLength: 4096, maxDepth: 16, maxTerms: 64 };

export function checkLength(text: string, limits: FilterLimits): void {
  if (text.length > limits.maxLength) {
    throw ScimError.invalidFilter(
      `filter is ${text.length} characters long; maxLength is ${limits.maxLength}`,
    );
  }
}

export function nestingTooDeep(limits: FilterLimits): ScimError {
  return ScimError.invalidFilter(`filter nests deeper than maxDepth (${limits.maxDepth})`);
}

export function checkShape(filter: Filter, limits: FilterLimits): void {
  if (depthOf(filter) > limits.maxDepth) throw nestingTooDeep(limits);
  const terms = termsOf(filter);
  if (terms > limits.maxTerms) {
    throw ScimError.invalidFilter(`filter has ${terms} terms; maxTerms is ${limits.maxTerms}`);
  }
}

function depthOf(filter: Filter): number {
  switch (filter.kind) {
    case "compare":
    case "present":
      return 1;
    case "and":
    case "or":
      return 1 + Math.max(...filter.filters.map(depthOf));
    case "not":
    case "valuePath":
      return 1 + depthOf(filter.filter);
    default:
      return assertNever(filter);
  }
}

function termsOf(filter: Filter): number {
  switch (filter.kind) {
    case "compare":
    case "present":
      return 1;
    case "and":
    case "or":
      return filter.filters.reduce((sum, child) => sum + termsOf(child), 0);
    case "not":
    case "valuePath":
      return termsOf(filter.filter);
    default:
      return assertNever(filter);
  }
}
