import { describe, expect, it } from "vitest";
import { ScimError } from "../../../src/scim/errors.js";
import { readResource } from "../../../src/scim/resource/input.js";
import { acceptedCases, rejectedCases } from "./input.cases.js";
import { accountSchemas, enterpriseUrn } from "./test-schemas.js";

function errorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error("expected a ScimError, but the body was accepted");
}

describe("readResource accepts", () => {
  it.each(acceptedCases)("$name", ({ body, resource, ignored, writeOnly }) => {
    const input = readResource(body, accountSchemas);
    expect(input.resource).toEqual(resource);
    if (ignored !== undefined) expect([...input.ignored].sort()).toEqual([...ignored].sort());
    if (writeOnly !== undefined) expect(input.writeOnly).toEqual(writeOnly);
  });
});

describe("readResource rejects", () => {
  it.each(rejectedCases)("$name", ({ body, status, scimType, detail, secret }) => {
    const error = errorOf(() => readResource(body, accountSchemas));
    expect({ status: error.status, scimType: error.scimType }).toEqual({ status, scimType });
    expect(error.detail).toContain(detail);
    if (secret !== undefined) expect(error.detail).not.toContain(secret);
  });
});

describe("readResource output", () => {
  it("lists core attributes in schema order, then extensions", () => {
    const { resource } = readResource(
      { [enterpriseUrn]: { department: "x" }, active: true, userName: "b", schemas: [] },
      accountSchemas,
    );
    expect(Object.keys(resource)).toEqual(["schemas", "userName", "active", enterpriseUrn]);
  });

  it("does not share objects with the body", () => {
    const body = { userName: "b", name: { givenName: "B" } };
    const { resource } = readResource(body, accountSchemas);
    expect(resource.name).not.toBe(body.name);
  });
});
