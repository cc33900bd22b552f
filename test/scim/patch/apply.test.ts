import { describe, expect, it } from "vitest";
import { applyPatch } from "../../../src/scim/patch/apply.ts";
import { errorOf } from "../filter/errors.ts";
import { appliedCases, bjensen, rejectedCases } from "./apply.cases.ts";
import { clientPatch, patchTargets } from "./targets.ts";

describe("applyPatch applies", () => {
  it.each(appliedCases)("$name", ({ target = "User", before = bjensen, operations, after }) => {
    const stored = structuredClone(before);
    expect(applyPatch(stored, clientPatch(operations), patchTargets[target])).toEqual(after);
    expect(stored).toEqual(before);
  });
});

describe("applyPatch rejects, and leaves the stored resource untouched", () => {
  it.each(rejectedCases)("$name: $scimType", ({ target = "User", before = bjensen, operations, scimType, detail }) => {
    const stored = structuredClone(before);
    const error = errorOf(() => applyPatch(stored, clientPatch(operations), patchTargets[target]));
    expect({ status: error.status, scimType: error.scimType }).toEqual({ status: 400, scimType });
    expect(error.detail).toContain(detail);
    expect(stored).toEqual(before);
  });
});

describe("applyPatch result", () => {
  it("shares no objects with the stored resource", () => {
    const result = applyPatch(bjensen, clientPatch([{ op: "replace", path: "title", value: "Boss" }]), patchTargets.User);
    expect(result.name).not.toBe(bjensen.name);
    expect(result.emails).not.toBe(bjensen.emails);
  });

  it("has no schemas: the renderer computes them", () => {
    const result = applyPatch(bjensen, clientPatch([{ op: "replace", path: "title", value: "Boss" }]), patchTargets.User);
    expect(result).not.toHaveProperty("schemas");
  });
});
