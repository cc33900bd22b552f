import { describe, expect, it } from "vitest";
import { defaultFilterLimits, type FilterLimits } from "../../../src/scim/filter/limits.ts";
import { parseFilter } from "../../../src/scim/filter/parse.ts";
import { errorOf } from "./errors.ts";
import { schemaRegistry } from "../../support/schemas.ts";

const withLimits = (text: string, limits: Partial<FilterLimits>) =>
  parseFilter(text, "User", schemaRegistry, { ...defaultFilterLimits, ...limits });

function rejected(run: () => unknown): string {
  const error = errorOf(run);
  expect({ status: error.status, scimType: error.scimType }).toEqual({ status: 400, scimType: "invalidFilter" });
  return error.detail;
}

const terms = (count: number) => Array.from({ length: count }, () => "title pr").join(" and ");

describe("filter limits", () => {
  it("defaults to 4096 characters, depth 16 and 64 terms", () => {
    expect(defaultFilterLimits).toEqual({ maxLength: 4096, maxDepth: 16, maxTerms: 64 });
  });

  describe("maxLength", () => {
    const ofLength = (length: number) => `userName eq "${"x".repeat(length - 14)}"`;

    it("accepts a filter of exactly maxLength characters", () => {
      expect(ofLength(4096)).toHaveLength(4096);
      expect(parseFilter(ofLength(4096), "User", schemaRegistry).kind).toBe("compare");
    });

    it("rejects one character more, naming the limit", () => {
      expect(rejected(() => parseFilter(ofLength(4097), "User", schemaRegistry))).toBe("filter is 4097 characters long; maxLength is 4096");
    });

    it("honours a configured limit", () => {
      expect(rejected(() => withLimits("userName pr", { maxLength: 10 }))).toContain("maxLength is 10");
      expect(withLimits("title pr", { maxLength: 8 }).kind).toBe("present");
    });
  });

  describe("maxDepth", () => {
    const nots = (count: number) => `${"not (".repeat(count)}title pr${")".repeat(count)}`;

    it("accepts nesting up to the limit", () => {
      expect(withLimits(nots(2), { maxDepth: 3 }).kind).toBe("not");
      expect(withLimits('emails[type eq "a" and value pr]', { maxDepth: 3 }).kind).toBe("valuePath");
    });

    it("rejects one level more, naming the limit", () => {
      expect(rejected(() => withLimits(nots(3), { maxDepth: 3 }))).toBe("filter nests deeper than maxDepth (3)");
      expect(rejected(() => withLimits('emails[type eq "a" and value pr]', { maxDepth: 2 }))).toContain("maxDepth (2)");
    });

    it("counts not without parentheses", () => {
      expect(rejected(() => withLimits("not not not title pr", { maxDepth: 3 }))).toContain("maxDepth (3)");
    });

    it("counts parentheses in the text, redundant ones included", () => {
      expect(rejected(() => withLimits("((((title pr))))", { maxDepth: 3 }))).toContain("maxDepth (3)");
      expect(withLimits("(((title pr)))", { maxDepth: 3 }).kind).toBe("present");
    });

    it("stops deep nesting before the parser recurses into it", () => {
      const deep = `${"(".repeat(50_000)}title pr${")".repeat(50_000)}`;
      expect(rejected(() => withLimits(deep, { maxLength: 200_000 }))).toContain("maxDepth (16)");
    });

    it("stops a long chain of not before the parser recurses into it", () => {
      const chain = `${"not ".repeat(50_000)}title pr`;
      expect(rejected(() => withLimits(chain, { maxLength: 300_000 }))).toContain("maxDepth (16)");
    });

    it("accepts the default depth and rejects one more", () => {
      expect(parseFilter(nots(15), "User", schemaRegistry).kind).toBe("not");
      expect(rejected(() => parseFilter(nots(16), "User", schemaRegistry))).toContain("maxDepth (16)");
    });
  });

  describe("maxTerms", () => {
    it("accepts the default number of terms and rejects one more", () => {
      expect(parseFilter(terms(64), "User", schemaRegistry).kind).toBe("and");
      expect(rejected(() => parseFilter(terms(65), "User", schemaRegistry))).toBe("filter has 65 terms; maxTerms is 64");
    });

    it("counts the terms inside value paths", () => {
      expect(rejected(() => withLimits('title pr and emails[type eq "a" and value pr]', { maxTerms: 2 }))).toContain(
        "filter has 3 terms; maxTerms is 2",
      );
    });
  });
});
