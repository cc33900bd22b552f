import { describe, expect, it } from "vitest";
import { ScimError, toScimErrorBody, type ScimType } from "../../src/scim/errors.js";

const typed: ReadonlyArray<[ScimType, (detail: string) => ScimError, number]> = [
  ["invalidFilter", ScimError.invalidFilter, 400],
  ["tooMany", ScimError.tooMany, 400],
  ["uniqueness", ScimError.uniqueness, 409],
  ["mutability", ScimError.mutability, 400],
  ["invalidSyntax", ScimError.invalidSyntax, 400],
  ["invalidPath", ScimError.invalidPath, 400],
  ["noTarget", ScimError.noTarget, 400],
  ["invalidValue", ScimError.invalidValue, 400],
  ["invalidVers", ScimError.invalidVers, 400],
  ["sensitive", ScimError.sensitive, 403],
];

const untyped: ReadonlyArray<[string, (detail: string) => ScimError, number]> = [
  ["unauthorized", ScimError.unauthorized, 401],
  ["forbidden", ScimError.forbidden, 403],
  ["notFound", ScimError.notFound, 404],
  ["methodNotAllowed", ScimError.methodNotAllowed, 405],
  ["conflict", ScimError.conflict, 409],
  ["preconditionFailed", ScimError.preconditionFailed, 412],
  ["payloadTooLarge", ScimError.payloadTooLarge, 413],
  ["unsupportedMediaType", ScimError.unsupportedMediaType, 415],
  ["internal", ScimError.internal, 500],
  ["notImplemented", ScimError.notImplemented, 501],
];

describe("ScimError (RFC 7644 §3.12)", () => {
  it.each(typed)("%s carries its scimType and status %i", (scimType, make, status) => {
    const error = make("why");
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "ScimError", status, scimType, detail: "why", message: "why" });
    expect(toScimErrorBody(error)).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: String(status),
      scimType,
      detail: "why",
    });
  });

  it.each(untyped)("%s has status %i and no scimType", (_name, make, status) => {
    const error = make("why");
    expect(error.scimType).toBeUndefined();
    const body = toScimErrorBody(error);
    expect(body).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), detail: "why" });
    expect(Object.keys(body)).not.toContain("scimType");
  });
});
