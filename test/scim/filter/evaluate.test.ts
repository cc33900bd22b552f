import { describe, expect, it } from "vitest";
import type { AttributeDefinition } from "../../../src/scim/schema/types.ts";
import { comparisonForm, isCaseExact } from "../../../src/scim/filter/collation.ts";
import { matches } from "../../../src/scim/filter/evaluate.ts";
import { parseFilter } from "../../../src/scim/filter/parse.ts";
import { matchCases } from "./evaluate.cases.ts";
import { countCases, matrixCases, seededUsers } from "./counts.cases.ts";
import { enterpriseUserRegistry, matrixRegistry, registries } from "./test-schemas.ts";

describe("matches", () => {
  it.each(matchCases)("$name: $filter", ({ registry, resource, filter, matches: expected }) => {
    const parsed = parseFilter(filter, registries[registry].resourceType, registries[registry].registry);
    expect(matches(parsed, resource)).toBe(expected);
  });

  it("agrees that not (f) is the complement of f on every case", () => {
    for (const { registry, resource, filter } of matchCases) {
      const { resourceType, registry: schemas } = registries[registry];
      const parsed = parseFilter(filter, resourceType, schemas);
      expect(matches({ kind: "not", filter: parsed }, resource)).toBe(!matches(parsed, resource));
    }
  });
});

describe("match counts over seeded users", () => {
  it("has the tables these tests expect", () => {
    expect([seededUsers.length, countCases.length, matrixCases.length]).toEqual([6, 37, 126]);
  });

  it.each(countCases)("$name: $filter", ({ filter, count }) => {
    const parsed = parseFilter(filter, "User", enterpriseUserRegistry);
    expect(seededUsers.filter((resource) => matches(parsed, resource))).toHaveLength(count);
  });
});

describe("string operator matrix", () => {
  it.each(matrixCases)("caseExact $caseExact: $filter on $value", ({ caseExact, filter, value, matches: expected }) => {
    const parsed = parseFilter(filter, "Sample", matrixRegistry(caseExact));
    expect(matches(parsed, { str: value })).toBe(expected);
  });
});

describe("collation", () => {
  const string = (caseExact: boolean, type: AttributeDefinition["type"] = "string") =>
    ({ name: "x", type, caseExact }) as AttributeDefinition;

  it.each([
    [string(false), false],
    [string(true), true],
    [string(false, "reference"), false],
    [string(false, "binary"), true],
  ])("isCaseExact(%o) is %s", (attribute, expected) => {
    expect(isCaseExact(attribute)).toBe(expected);
  });

  it("folds with foldCase (NFC, then lower case) unless case-exact", () => {
    expect(comparisonForm(string(false), "E\u0301MILE")).toBe("\u00e9mile");
    expect(comparisonForm(string(true), "E\u0301MILE")).toBe("E\u0301MILE");
  });
});
