import { describe, expect, it } from "vitest";
import type { AttributeRef, Filter } from "../../../src/scim/filter/ast.ts";
import { parseFilter } from "../../../src/scim/filter/parse.ts";
import { printFilter } from "../../../src/scim/filter/print.ts";
import { userResourceType } from "../../../src/scim/schema/resource-types.ts";
import { errorOf } from "./errors.ts";
import { acceptedCases, rejectedCases } from "./parse.cases.ts";
import { registries, type RegistryName } from "./test-schemas.ts";
import { invalidUserFilters, realClientFilters, validFilters } from "./grammar.cases.ts";
import { schemaRegistry } from "../../support/schemas.ts";

const parseIn = (name: RegistryName, text: string): Filter =>
  parseFilter(text, registries[name].resourceType, registries[name].registry);

function ref(path: string): AttributeRef {
  const resolved = schemaRegistry.findAttribute("User", path);
  if (resolved === undefined) throw new Error(`test setup: ${path} is not a User attribute`);
  return resolved;
}

describe("parseFilter accepts", () => {
  it.each(acceptedCases)("$name: $filter", ({ filter, registry, canonical }) => {
    expect(printFilter(parseIn(registry, filter))).toBe(canonical);
  });
});

describe("parseFilter rejects with invalidFilter", () => {
  it.each(rejectedCases)("$name: $filter", ({ filter, registry, detail }) => {
    const error = errorOf(() => parseIn(registry, filter));
    expect({ status: error.status, scimType: error.scimType }).toEqual({ status: 400, scimType: "invalidFilter" });
    expect(error.detail).toContain(detail);
  });
});

describe("parseFilter builds the AST", () => {
  it("resolves paths to the registry's definitions", () => {
    expect(parseFilter('Name.GivenName eq "B"', "User", schemaRegistry)).toEqual({
      kind: "compare",
      attribute: ref("name.givenName"),
      op: "eq",
      value: "B",
    });
  });

  it("reads the Entra form as one value path with both comparisons inside", () => {
    expect(parseFilter('emails[type eq "work"].value eq "x"', "User", schemaRegistry)).toEqual({
      kind: "valuePath",
      attribute: ref("emails"),
      filter: {
        kind: "and",
        filters: [
          { kind: "compare", attribute: ref("emails.type"), op: "eq", value: "work" },
          { kind: "compare", attribute: ref("emails.value"), op: "eq", value: "x" },
        ],
      },
    });
  });

  it("keeps a sub-attribute of a multi-valued attribute a plain comparison", () => {
    const filter = parseFilter('emails.value eq "x"', "User", schemaRegistry);
    expect(filter).toEqual({ kind: "compare", attribute: ref("emails.value"), op: "eq", value: "x" });
    expect(filter.kind === "compare" && filter.attribute.attribute.multiValued).toBe(true);
  });

  it("resolves a bare multi-valued attribute to its value sub-attribute", () => {
    expect(parseFilter('emails co "x"', "User", schemaRegistry)).toEqual(parseFilter('emails.value co "x"', "User", schemaRegistry));
  });

  it("reads dateTime values as Date instants", () => {
    const filter = parseFilter('meta.created gt "2015-10-10T14:38:21.8617979-07:00"', "User", schemaRegistry);
    expect(filter).toEqual({
      kind: "compare",
      attribute: ref("meta.created"),
      op: "gt",
      value: new Date("2015-10-10T21:38:21.861Z"),
    });
    expect(filter.kind === "compare" && filter.value instanceof Date).toBe(true);
  });

  it("keeps the types of numbers, booleans and null", () => {
    const values = ["active eq true", "title eq null", 'userName eq "5"'].map((text) => {
      const filter = parseFilter(text, "User", schemaRegistry);
      return filter.kind === "compare" ? filter.value : undefined;
    });
    expect(values).toEqual([true, null, "5"]);
  });

  it("keeps not, and and or as written", () => {
    expect(parseFilter('not (title pr) or userType eq "a" and nickName pr', "User", schemaRegistry)).toEqual({
      kind: "or",
      filters: [
        { kind: "not", filter: { kind: "present", attribute: ref("title") } },
        {
          kind: "and",
          filters: [
            { kind: "compare", attribute: ref("userType"), op: "eq", value: "a" },
            { kind: "present", attribute: ref("nickName") },
          ],
        },
      ],
    });
  });

  it("accepts the resource type as a definition and defaults to the server's registry", () => {
    expect(parseFilter("title pr", userResourceType, schemaRegistry)).toEqual(parseFilter("title pr", "user", schemaRegistry));
  });

  it("treats an unknown resource type as a server error, not a client one", () => {
    expect(errorOf(() => parseFilter("title pr", "Device", schemaRegistry)).status).toBe(500);
  });
});

describe("grammar.cases.ts", () => {
  it("has the tables these tests expect", () => {
    expect([validFilters.length, invalidUserFilters.length, realClientFilters.length]).toEqual([41, 9, 13]);
  });

  it.each(validFilters)("valid: %s", (text) => {
    const filter = parseIn("enterpriseUser", text);
    expect(parseIn("enterpriseUser", printFilter(filter))).toEqual(filter);
  });

  it.each(invalidUserFilters)("invalid for User: %s", (text) => {
    const error = errorOf(() => parseFilter(text, "User", schemaRegistry));
    expect(error.scimType).toBe("invalidFilter");
    expect(error.detail).toContain('is not defined for boolean attribute "active"');
  });

  it.each(realClientFilters)("$client sends $filter to $registry", ({ registry, filter }) => {
    const parsed = parseIn(registry, filter);
    expect(parseIn(registry, printFilter(parsed))).toEqual(parsed);
  });
});
