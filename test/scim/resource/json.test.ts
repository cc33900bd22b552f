import { describe, expect, it } from "vitest";
import { cloneJson, sameJson } from "../../../src/scim/resource/json.ts";

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

describe("sameJson", () => {
  it.each([
    ["equal objects in another key order", { value: "a", primary: true }, { primary: true, value: "a" }, true],
    ["equal nested arrays", [{ value: "a" }, { value: "b" }], [{ value: "a" }, { value: "b" }], true],
    ["both unassigned", undefined, undefined, true],
    ["a changed element", [{ value: "a" }], [{ value: "b" }], false],
    ["elements in another order", [{ value: "a" }, { value: "b" }], [{ value: "b" }, { value: "a" }], false],
    ["an added key", { value: "a" }, { value: "a", type: "work" }, false],
    ["a key swapped for another", { value: "a", type: "work" }, { value: "a", display: "work" }, false],
    ["an array and an object", [], {}, false],
    ["null and an object", null, {}, false],
    ["1 and \"1\"", 1, "1", false],
    ["a value and unassigned", [{ value: "a" }], undefined, false],
  ])("%s", (_name, a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
    expect(sameJson(b, a)).toBe(same);
  });
});
