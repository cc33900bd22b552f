import { describe, expect, it } from "vitest";
import type { Attributes } from "../../src/scim/ports.ts";
import { changedColumnValues, userColumnValues } from "../../src/store/user-columns.ts";

// changedColumnValues skips deriving the columns whose source values did not change; what it
// returns must be exactly the columns whose derived values differ.

const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function reference(before: Attributes, after: Attributes): Record<string, unknown> {
  const was = userColumnValues(before) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(userColumnValues(after)).filter(([column, value]) => was[column] !== value));
}

const base: Attributes = {
  userName: "Ada@Example.com",
  displayName: "Ada Lovelace",
  name: { givenName: "Ada", familyName: "Lovelace" },
  emails: [{ value: "ada@example.com", primary: true }, { value: "ada@home.example" }],
  [enterprise]: { department: "Engines", manager: { value: "m-1" } },
};

const cases: ReadonlyArray<readonly [string, Attributes, Attributes]> = [
  ["nothing", base, structuredClone(base)],
  ["active set to false", base, { ...base, active: false }],
  ["active stated as true where it was unset", base, { ...base, active: true }],
  ["active from false to unset", { ...base, active: false }, base],
  ["a case-only change of a case-insensitive attribute", base, { ...base, displayName: "ADA LOVELACE" }],
  ["a new familyName", base, { ...base, name: { givenName: "Ada", familyName: "King" } }],
  ["name removed", base, { ...base, name: undefined }],
  ["another primary email", base, { ...base, emails: [{ value: "ada@example.com" }, { value: "ada@home.example", primary: true }] }],
  ["emails removed", base, { ...base, emails: [] }],
  ["first email becomes primary by order", { ...base, emails: [{ value: "b@example.com" }] }, { ...base, emails: [{ value: "a@example.com" }] }],
  ["a new manager and department", base, { ...base, [enterprise]: { department: "Looms", manager: { value: "m-2" } } }],
  ["enterprise removed", base, { userName: base.userName }],
  ["a userName case change", base, { ...base, userName: "ADA@example.com" }],
  ["a non-string value where a string was", base, { ...base, title: "Countess" }],
];

describe("changedColumnValues", () => {
  it.each(cases)("%s", (_name, before, after) => {
    expect(changedColumnValues(before, after)).toStrictEqual(reference(before, after));
  });

  it("reports the columns that change, folded as stored", () => {
    expect(changedColumnValues(base, { ...base, active: false, name: { givenName: "Ada", familyName: "KING" } })).toStrictEqual({
      active: false,
      familyName: "king",
    });
  });
});
