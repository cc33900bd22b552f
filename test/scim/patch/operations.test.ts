import { describe, expect, it } from "vitest";
import { readPatchRequest } from "../../../src/scim/patch/operations.ts";
import { errorOf } from "../filter/errors.ts";
import { malformedCases, readCases } from "./operations.cases.ts";

describe("readPatchRequest reads", () => {
  it.each(readCases)("$name", ({ body, operations }) => {
    expect(readPatchRequest(body)).toStrictEqual(operations);
  });
});

describe("readPatchRequest rejects with invalidSyntax", () => {
  it.each(malformedCases)("$name", ({ body, detail }) => {
    const error = errorOf(() => readPatchRequest(body));
    expect({ status: error.status, scimType: error.scimType }).toEqual({ status: 400, scimType: "invalidSyntax" });
    expect(error.detail).toContain(detail);
  });
});
