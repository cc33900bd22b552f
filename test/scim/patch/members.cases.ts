import type { ScimType } from "../../../src/scim/errors.ts";
import { groupUrn } from "../../../src/scim/schema/urns.ts";

// splitMemberOperations (RFC 7644 §3.5.2 on Group members): a client's operations, the set
// operations on members storage is asked for (a filter printed), and the operations left for
// applyPatch.

export interface SplitCase {
  readonly name: string;
  readonly operations: readonly unknown[];
  readonly memberChanges: readonly unknown[];
  readonly attributeOperations?: readonly unknown[];
}

export interface RejectedSplitCase {
  readonly name: string;
  readonly operations: readonly unknown[];
  readonly scimType: ScimType;
  readonly detail: string;
}

const user = (value: string) => ({ value, type: "User" });

export const splitCases: readonly SplitCase[] = [
  {
    name: "Entra add with $ref:null",
    operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: "u1" }] }],
    memberChanges: [{ kind: "add", members: [user("u1")] }],
  },
  {
    name: "add of several members with display and type",
    operations: [{ op: "add", path: "members", value: [{ value: "u1", display: "Babs" }, { value: "g1", type: "Group" }] }],
    memberChanges: [{ kind: "add", members: [{ value: "u1", type: "User", display: "Babs" }, { value: "g1", type: "Group" }] }],
  },
  {
    name: "member sub-attribute names in any case",
    operations: [{ op: "add", path: "MEMBERS", value: [{ Value: "g1", TYPE: "group" }] }],
    memberChanges: [{ kind: "add", members: [{ value: "g1", type: "Group" }] }],
  },
  {
    name: "a member given as a plain id",
    operations: [{ op: "add", path: "members", value: "u1" }],
    memberChanges: [{ kind: "add", members: [user("u1")] }],
  },
  {
    name: "a single member object",
    operations: [{ op: "add", path: "members", value: { value: "u1" } }],
    memberChanges: [{ kind: "add", members: [user("u1")] }],
  },
  {
    name: "URN-qualified members",
    operations: [{ op: "add", path: `${groupUrn}:members`, value: [{ value: "u1" }] }],
    memberChanges: [{ kind: "add", members: [user("u1")] }],
  },
  {
    name: "Entra's default remove: a value list removes those members only",
    operations: [{ op: "Remove", path: "members", value: [{ $ref: null, value: "u1" }, { value: "u2" }] }],
    memberChanges: [
      { kind: "remove", ids: ["u1"] },
      { kind: "remove", ids: ["u2"] },
    ],
  },
  {
    name: "aadOptscim062020 remove by filter",
    operations: [{ op: "remove", path: 'members[value eq "u1"]' }],
    memberChanges: [{ kind: "remove", ids: ["u1"] }],
  },
  {
    name: "remove by an or of ids",
    operations: [{ op: "remove", path: 'members[value eq "u1" or value eq "u2"]' }],
    memberChanges: [{ kind: "remove", ids: ["u1", "u2"] }],
  },
  {
    name: "remove by another filter",
    operations: [{ op: "remove", path: 'members[type eq "Group"]' }],
    memberChanges: [{ kind: "removeWhere", filter: 'members.type eq "Group"' }],
  },
  {
    name: "remove of members without a value removes all",
    operations: [{ op: "remove", path: "members" }],
    memberChanges: [{ kind: "replace", members: [] }],
  },
  {
    name: "replace swaps the whole list",
    operations: [{ op: "replace", path: "members", value: [{ value: "u1" }, { value: "u2" }] }],
    memberChanges: [{ kind: "replace", members: [user("u1"), user("u2")] }],
  },
  {
    name: "replace with [] empties the group",
    operations: [{ op: "replace", path: "members", value: [] }],
    memberChanges: [{ kind: "replace", members: [] }],
  },
  {
    name: "path-less replace: members split off, the rest left for applyPatch",
    operations: [{ op: "replace", value: { displayName: "Guides", members: [{ value: "u1" }] } }],
    memberChanges: [{ kind: "replace", members: [user("u1")] }],
    attributeOperations: [{ op: "replace", value: { displayName: "Guides" } }],
  },
  {
    name: "path-less add with URN-qualified members",
    operations: [{ op: "add", value: { [`${groupUrn}:members`]: [{ value: "u1" }] } }],
    memberChanges: [{ kind: "add", members: [user("u1")] }],
  },
  {
    name: "path-less remove is left to applyPatch (noTarget)",
    operations: [{ op: "remove", value: { members: [{ value: "u1" }] } }],
    memberChanges: [],
    attributeOperations: [{ op: "remove", value: { members: [{ value: "u1" }] } }],
  },
  {
    name: "rename, add and remove in one request: the member changes in order, the rename left for applyPatch",
    operations: [
      { op: "Replace", path: "displayName", value: "Renamed" },
      { op: "Add", path: "members", value: [{ value: "u2" }] },
      { op: "Remove", path: "members", value: [{ value: "u1" }] },
    ],
    memberChanges: [
      { kind: "add", members: [user("u2")] },
      { kind: "remove", ids: ["u1"] },
    ],
    attributeOperations: [{ op: "replace", path: "displayName", value: "Renamed" }],
  },
];

export const rejectedSplitCases: readonly RejectedSplitCase[] = [
  { name: "a member without a value", operations: [{ op: "add", path: "members", value: [{ display: "x" }] }], scimType: "invalidValue", detail: "value" },
  { name: "a member with an empty value", operations: [{ op: "add", path: "members", value: [{ value: "" }] }], scimType: "invalidValue", detail: "value" },
  { name: "a member whose value is a number", operations: [{ op: "add", path: "members", value: [{ value: 5 }] }], scimType: "invalidValue", detail: "value" },
  {
    name: "add through a filter",
    operations: [{ op: "add", path: 'members[value eq "u1"]', value: { value: "u1" } }],
    scimType: "invalidPath",
    detail: "members",
  },
  {
    name: "a member's sub-attribute through a filter",
    operations: [{ op: "replace", path: 'members[value eq "u1"].display', value: "x" }],
    scimType: "invalidPath",
    detail: "members",
  },
  { name: "a member sub-attribute on its own", operations: [{ op: "add", path: "members.value", value: "u1" }], scimType: "invalidPath", detail: "members.value" },
  {
    name: "a malformed members filter",
    operations: [{ op: "remove", path: 'members[value eq "u1"' }],
    scimType: "invalidPath",
    detail: "members",
  },
];
