import { describe, expect, it } from "vitest";
import { cloneJson } from "../../../src/scim/resource/json.ts";

describe("cloneJson", () => {
  it("copies every level, so that changing the copy leaves the original alone", () => {
    const original = { userName: "a", name: { givenName: "A" }, emails: [{ value: "a@example.com", primary: true }], active: false, title: null };
    const copy = cloneJson(original);
    expect(copy).toStrictEqual(original);
    copy.name.givenName = "B";
    copy.emails[0]!.value = "b@example.com";
    copy.emails.push({ value: "c@example.com", primary: false });
    expect(original).toStrictEqual({ userName: "a", name: { givenName: "A" }, emails: [{ value: "a@example.com", primary: true }], active: false, title: null });
  });

  it("keeps a __proto__ key parsed from JSON as a plain property", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "userName": "a"}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toStrictEqual(["__proto__", "userName"]);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });
});
