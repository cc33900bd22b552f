import { describe, expect, it } from "vitest";
import { defaultRequiredProperties, readCreateUser, readListQuery, readUpdateUser } from "../../../src/compat/express-gateway/contract.ts";
import { egErrorOf } from "../../../src/compat/express-gateway/errors.ts";
import { nextKey, statusChange } from "../../../src/compat/express-gateway/translate.ts";
import { ScimError } from "../../../src/scim/errors.ts";

// The pure parts: ajv 6's wording and order, the status quirk, nextKey, the error mapping.

const failure = (read: () => unknown): string => {
  try {
    read();
  } catch (error) {
    return (error as ScimError).detail;
  }
  return "no error";
};

describe("readCreateUser (ajv 6, coerceTypes)", () => {
  it.each([
    [{ username: "a", firstname: "b", lastname: "c" }, { username: "a", firstname: "b", lastname: "c" }],
    [{ username: 42, firstname: false, lastname: null }, { username: "42", firstname: "false", lastname: "" }],
    [{ username: "a", firstname: "b", lastname: "c", email: "A.b+c@Example.COM", redirectUri: "myapp:callback" }, { username: "a", firstname: "b", lastname: "c", email: "A.b+c@Example.COM", redirectUri: "myapp:callback" }],
    [{ username: "a", firstname: "b", lastname: "c", id: "x", isActive: false, extra: { deep: 1 } }, { username: "a", firstname: "b", lastname: "c" }],
  ])("accepts %j as %j", (body, expected) => {
    expect(readCreateUser(body, defaultRequiredProperties)).toEqual(expected);
  });

  it.each([
    [null, "data should be object"],
    ["x", "data should be object"],
    [[], "data should be object"],
    [{ firstname: "b", lastname: "c" }, "data should have required property 'username'"],
    [{ username: "a", lastname: "c", email: "bad" }, "data should have required property 'firstname'"],
    [{ username: "a", firstname: "b", lastname: "c", email: "a@b@c" }, 'data.email should match format "email"'],
    [{ username: "a", firstname: "b", lastname: "c", email: 5 }, 'data.email should match format "email"'],
    [{ username: "a", firstname: "b", lastname: "c", redirectUri: "/relative" }, 'data.redirectUri should match format "uri"'],
    [{ username: "a", firstname: "b", lastname: "c", redirectUri: "http://a b" }, 'data.redirectUri should match format "uri"'],
    [{ username: "a", firstname: {}, lastname: [] }, "data.firstname should be string"],
  ])("rejects %j with %s", (body, message) => {
    expect(failure(() => readCreateUser(body, defaultRequiredProperties))).toBe(message);
  });

  it("reports failures as invalidValue, which the renderer turns into upstream's 500", () => {
    let error: unknown;
    try {
      readCreateUser({}, defaultRequiredProperties);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).scimType).toBe("invalidValue");
  });
});

describe("readUpdateUser", () => {
  it("drops username, keeps and coerces the model's properties", () => {
    expect(readUpdateUser({ username: "x", firstname: 1, email: "not-checked" })).toEqual({ firstname: "1", email: "not-checked" });
    expect(readUpdateUser({})).toEqual({});
  });

  it.each([[{ id: "x" }], [{ isActive: true }], [{ password: "x" }], [{ firstname: "a", Firstname: "b" }]])("rejects %j", (body) => {
    expect(failure(() => readUpdateUser(body))).toBe("one or more properties is invalid");
  });
});

describe("readListQuery", () => {
  it.each([
    [{}, { start: 0, count: 100 }],
    [{ start: "40", count: "40" }, { start: 40, count: 40 }],
    [{ start: "0", apiKey: "ignored" }, { start: 0, count: 100 }],
  ])("reads %j", (query, expected) => {
    expect(readListQuery(query)).toEqual(expected);
  });
});

describe("statusChange (strict comparison, upstream quirk)", () => {
  it.each([
    [true, true, "Active", undefined],
    [false, false, "Inactive", undefined],
    [false, true, "Activated", true],
    [true, false, "Deactivated", false],
    [true, "true", "Deactivated", false],
    [false, "true", "Deactivated", false],
    [true, undefined, "Deactivated", false],
    [true, 1, "Deactivated", false],
  ])("active=%s, status=%j -> %s", (current, requested, status, active) => {
    const change = statusChange(current, requested);
    expect(change.response).toEqual({ status });
    expect(change.active).toBe(active);
  });
});

describe("nextKey", () => {
  it.each([
    [{ start: 0, count: 40 }, 40, 105, 40],
    [{ start: 80, count: 40 }, 25, 105, 0],
    [{ start: 0, count: 100 }, 100, 100, 0],
    [{ start: 500, count: 100 }, 0, 105, 0],
  ])("%j returning %i of %i -> %i", (request, returned, totalResults, expected) => {
    expect(nextKey(request, returned, totalResults)).toBe(expected);
  });
});

describe("egErrorOf", () => {
  it.each([
    [ScimError.unauthorized("x"), true, 401, "Unauthorized"],
    [ScimError.forbidden("x"), true, 403, "Forbidden"],
    [ScimError.notFound("User not found: a"), true, 404, "User not found: a"],
    [ScimError.uniqueness("userName taken"), true, 409, "username already exists"],
    [ScimError.invalidValue("data should be object"), true, 500, "data should be object"],
    [ScimError.invalidValue("data should be object"), false, 400, "data should be object"],
    [ScimError.payloadTooLarge("too large"), false, 413, "too large"],
    [ScimError.internal("An unexpected error occurred"), false, 500, "An unexpected error occurred"],
  ])("%o (upstream statuses: %s) -> %i %s", (error, upstream, status, body) => {
    expect(egErrorOf(error, upstream)).toEqual({ status, body });
  });
});
