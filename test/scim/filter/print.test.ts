import { describe, expect, it } from "vitest";
import type { AttributeRef, Filter } from "../../../src/scim/filter/ast.ts";
import { parseFilter } from "../../../src/scim/filter/parse.ts";
import { printFilter } from "../../../src/scim/filter/print.ts";
import { acceptedCases } from "./parse.cases.ts";
import { registries, sampleRegistry, type RegistryName } from "./test-schemas.ts";
import { precedenceCases, realClientFilters, validFilters } from "./grammar.cases.ts";

const parseIn = (name: RegistryName, text: string): Filter =>
  parseFilter(text, registries[name].resourceType, registries[name].registry);

function sampleRef(path: string): AttributeRef {
  const resolved = sampleRegistry.findAttribute("Sample", path);
  if (resolved === undefined) throw new Error(`test setup: ${path} is not a Sample attribute`);
  return resolved;
}

const roundTrips: readonly { readonly registry: RegistryName; readonly filter: string }[] = [
  ...acceptedCases,
  ...validFilters.map((filter) => ({ registry: "enterpriseUser" as const, filter })),
  ...realClientFilters,
];

describe("printFilter round-trips", () => {
  it.each(roundTrips)("$filter", ({ registry, filter }) => {
    const parsed = parseIn(registry, filter);
    const printed = printFilter(parsed);
    expect(parseIn(registry, printed)).toEqual(parsed);
    expect(printFilter(parseIn(registry, printed))).toBe(printed);
  });

  it.each([
    "",
    'say "hi"',
    String.raw`back\slash\\`,
    "ends with a backslash \\",
    "new\nline\ttab\u0001control",
    "é ü 中文 😀",
    "x) or (y",
    "emails[type eq \"work\"].value",
    "  padded  ",
    "\u2028\u2029",
  ])("the string %j", (value) => {
    const filter: Filter = { kind: "compare", attribute: sampleRef("str"), op: "eq", value };
    expect(parseFilter(printFilter(filter), "Sample", sampleRegistry)).toEqual(filter);
  });

  // No database stores them (scim/storable.ts): a filter whose escapes spell them is refused.
  it.each(["nul\u0000inside", "lone \ud800 surrogate"])("the string %j prints, and is refused when parsed", (value) => {
    const filter: Filter = { kind: "compare", attribute: sampleRef("str"), op: "eq", value };
    expect(() => parseFilter(printFilter(filter), "Sample", sampleRegistry)).toThrow(/U\+0000 or an unpaired surrogate/);
  });

  it.each([
    new Date("2015-10-10T21:38:21.861Z"),
    new Date("0001-01-01T00:00:00.000Z"),
    new Date("9999-12-31T23:59:59.999Z"),
  ])("the dateTime %s", (value) => {
    const filter: Filter = { kind: "compare", attribute: sampleRef("at"), op: "ge", value };
    expect(parseFilter(printFilter(filter), "Sample", sampleRegistry)).toEqual(filter);
  });

  it.each([0, -1, 42, 2 ** 53 - 1, -(2 ** 53) + 1])("the integer %s", (value) => {
    const filter: Filter = { kind: "compare", attribute: sampleRef("count"), op: "lt", value };
    expect(parseFilter(printFilter(filter), "Sample", sampleRegistry)).toEqual(filter);
  });

  it.each([0.1, -2.5e-7, 1e21, 123456.789, Number.MAX_VALUE])("the decimal %s", (value) => {
    const filter: Filter = { kind: "compare", attribute: sampleRef("score"), op: "le", value };
    expect(parseFilter(printFilter(filter), "Sample", sampleRegistry)).toEqual(filter);
  });
});

describe("printFilter writes the canonical form", () => {
  it.each(precedenceCases)("precedence: $input", ({ input, canonical }) => {
    expect(printFilter(parseIn("sample", input))).toBe(canonical);
  });

  it.each<[string, Filter, string]>([
    [
      "a string with JSON escapes",
      { kind: "compare", attribute: sampleRef("str"), op: "co", value: 'a"b\\c\n' },
      String.raw`str co "a\"b\\c\n"`,
    ],
    [
      "a Date as an ISO string in UTC",
      { kind: "compare", attribute: sampleRef("at"), op: "gt", value: new Date("2015-10-10T14:38:21-07:00") },
      'at gt "2015-10-10T21:38:21.000Z"',
    ],
    ["null, booleans and numbers bare", {
      kind: "and",
      filters: [
        { kind: "compare", attribute: sampleRef("str"), op: "ne", value: null },
        { kind: "compare", attribute: sampleRef("flag"), op: "eq", value: false },
        { kind: "compare", attribute: sampleRef("score"), op: "ge", value: -1.5 },
      ],
    }, "str ne null and flag eq false and score ge -1.5"],
    [
      "sub-attribute names inside a value path, full paths outside",
      {
        kind: "and",
        filters: [
          {
            kind: "valuePath",
            attribute: sampleRef("items"),
            filter: { kind: "present", attribute: sampleRef("items.type") },
          },
          { kind: "present", attribute: sampleRef("items.type") },
        ],
      },
      "items[type pr] and items.type pr",
    ],
    [
      "parentheses around an or inside an and, after not, and nowhere else",
      {
        kind: "or",
        filters: [
          {
            kind: "and",
            filters: [
              { kind: "present", attribute: sampleRef("a") },
              { kind: "or", filters: [{ kind: "present", attribute: sampleRef("b") }, { kind: "present", attribute: sampleRef("c") }] },
            ],
          },
          { kind: "not", filter: { kind: "present", attribute: sampleRef("d") } },
        ],
      },
      "a pr and (b pr or c pr) or not (d pr)",
    ],
    [
      "extension attributes with their URN",
      { kind: "present", attribute: sampleRef("urn:test:filter:extension:levels:2.0:Sample:boss.name") },
      "urn:test:filter:extension:levels:2.0:Sample:boss.name pr",
    ],
  ])("%s", (_name, filter, text) => {
    expect(printFilter(filter)).toBe(text);
  });
});
