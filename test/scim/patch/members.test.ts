import { describe, expect, it } from "vitest";
import { printFilter } from "../../../src/scim/filter/print.ts";
import type { MemberChange } from "../../../src/scim/ports.ts";
import { splitMemberOperations } from "../../../src/scim/patch/members.ts";
import { groupResourceType } from "../../../src/scim/schema/resource-types.ts";
import { errorOf } from "../filter/errors.ts";
import { rejectedSplitCases, splitCases } from "./members.cases.ts";
import { clientPatch } from "./targets.ts";
import { schemaRegistry } from "../../support/schemas.ts";

const split = (operations: readonly unknown[]) => splitMemberOperations(clientPatch(operations), groupResourceType, schemaRegistry);

// A filter is compared in its printed form.
const printed = (change: MemberChange) => (change.kind === "removeWhere" ? { kind: change.kind, filter: printFilter(change.filter) } : change);

describe("splitMemberOperations", () => {
  it.each(splitCases)("$name", ({ operations, memberChanges, attributeOperations = [] }) => {
    const result = split(operations);
    expect(result.memberChanges.map(printed)).toEqual(memberChanges);
    expect(result.attributeOperations).toEqual(attributeOperations);
  });
});

describe("splitMemberOperations rejects", () => {
  it.each(rejectedSplitCases)("$name: $scimType", ({ operations, scimType, detail }) => {
    const error = errorOf(() => split(operations));
    expect({ status: error.status, scimType: error.scimType }).toEqual({ status: 400, scimType });
    expect(error.detail).toContain(detail);
  });
});
