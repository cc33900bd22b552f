import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// ../shared/conformance/filter-vectors.json (beside the checkout, never copied in) as case tables.
// Used: valid_filters, precedence_canonical, match_counts, string_operator_matrix,
// invalid_filters_for_core_user, real_client_filters.
// Skipped: valid_patch_paths and invalid_paths_for_core_user_plus_enterprise. They are PATCH paths
// (RFC 7644 §3.5.2 `path`, with forms like `members[value eq "x"].displayName` and bare URNs that are
// not filters); they belong to the PATCH path grammar, issue #4.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const vectorsFile = path.resolve(repoRoot, "../shared/conformance/filter-vectors.json");

interface FilterVectors {
  readonly valid_filters: readonly string[];
  readonly precedence_canonical: readonly { readonly input: string; readonly canonical: string }[];
  readonly match_counts: {
    readonly resources: readonly Record<string, unknown>[];
    readonly cases: readonly { readonly name: string; readonly filter: string; readonly expected_matches: number }[];
  };
  readonly string_operator_matrix: {
    readonly attr_values: readonly string[];
    readonly filter_template: string;
    readonly caseExact_false: Readonly<Record<string, readonly number[]>>;
    readonly caseExact_true: Readonly<Record<string, readonly number[]>>;
  };
  readonly invalid_filters_for_core_user: readonly string[];
  readonly real_client_filters: Readonly<Record<string, readonly string[]>>;
}

function loadVectors(): FilterVectors {
  if (!existsSync(vectorsFile)) {
    throw new Error(
      `filter vectors not found at ${vectorsFile}: these tests read shared/conformance/filter-vectors.json ` +
        "from the shared folder beside the checkout (see shared/README.md)",
    );
  }
  return JSON.parse(readFileSync(vectorsFile, "utf8")) as FilterVectors;
}

const vectors = loadVectors();

/** Valid filters; resolved against test-schemas.ts's vectorRegistry (User plus the names they use). */
export const validFilters: readonly string[] = vectors.valid_filters;

/** Resolved against sampleRegistry, whose attributes a, b, c, d they use. */
export const precedenceCases = vectors.precedence_canonical;

export const matchResources = vectors.match_counts.resources;
export const matchCases = vectors.match_counts.cases;

export interface MatrixCase {
  readonly caseExact: boolean;
  readonly filter: string;
  readonly value: string;
  readonly matches: boolean;
}

/** One row per (caseExact, operator, attribute value): does `str OP "x"` match `{str: value}`? */
export const matrixCases: readonly MatrixCase[] = [false, true].flatMap((caseExact) => {
  const matrix = vectors.string_operator_matrix;
  const table = caseExact ? matrix.caseExact_true : matrix.caseExact_false;
  return Object.entries(table).flatMap(([op, expected]) =>
    matrix.attr_values.map((value, index) => ({
      caseExact,
      filter: matrix.filter_template.replace("OP", op),
      value,
      matches: expected[index] === 1,
    })),
  );
});

/** Must be invalidFilter against the server's own User. */
export const invalidUserFilters: readonly string[] = vectors.invalid_filters_for_core_user;

/** What Okta, Entra and Microsoft's reference collection send; must resolve against the server's own User. */
export const realClientFilters: readonly { readonly client: string; readonly filter: string }[] = Object.entries(
  vectors.real_client_filters,
).flatMap(([client, filters]) => filters.map((filter) => ({ client, filter })));
