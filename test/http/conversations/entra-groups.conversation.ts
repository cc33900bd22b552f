import { scim, type Conversation } from "./conversation.ts";

// Microsoft Entra ID provisioning groups: every group request and answer of docs/idp-requests.md
// §3.14 - §3.21, with the member removal of §3.8 and the membership rules of §1.9. Entra asks for 204
// on group PATCH (§3.17): this tenant answers PATCH with return=minimal.

const patch = (...operations: unknown[]) => ({ schemas: [scim.patchOp], Operations: operations });
const user = (userName: string) => ({ schemas: [scim.user], userName, active: true });
const members = (...names: string[]) => names.map((name) => ({ value: `{{${name}}}` }));

export const entraGroups: Conversation = {
  name: "Entra ID provisioning groups",
  source: "docs/idp-requests.md §1.9, §1.12, §3.8, §3.14 - §3.21",
  patchReturn: "minimal",
  steps: [
    { name: "Create user one", request: { method: "POST", path: "/Users", body: user("group.member.one@testuser.com") }, status: 201, capture: { one: "id" } },
    { name: "Create user two", request: { method: "POST", path: "/Users", body: user("group.member.two@testuser.com") }, status: 201, capture: { two: "id" } },
    { name: "Create user three", request: { method: "POST", path: "/Users", body: user("group.member.three@testuser.com") }, status: 201, capture: { three: "id" } },
    {
      name: "Create Group (§3.14): the ADSCIM schema URN and meta are sent along",
      request: {
        method: "POST",
        path: "/Groups",
        body: {
          schemas: [scim.group, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
          externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
          displayName: "displayName",
          meta: { resourceType: "Group" },
        },
      },
      status: 201,
      capture: { group: "id", created: "meta/created" },
      response: {
        schemas: [scim.group],
        id: "{{group}}",
        externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        displayName: "displayName",
        meta: { resourceType: "Group", location: "{{baseUrl}}/Groups/{{group}}" },
      },
      headers: { location: "{{baseUrl}}/Groups/{{group}}" },
    },
    {
      name: "Create Group again: displayName is unique (§3.14)",
      request: { method: "POST", path: "/Groups", body: { schemas: [scim.group], displayName: "DISPLAYNAME" } },
      status: 409,
      response: { schemas: [scim.error], status: "409", scimType: "uniqueness" },
    },
    {
      name: "Get Group with excludedAttributes=members (§1.12, §3.15)",
      request: { method: "GET", path: "/Groups/{{group}}?excludedAttributes=members" },
      status: 200,
      response: { id: "{{group}}", displayName: "displayName" },
      absent: ["members"],
    },
    {
      name: "Get Group by displayName (§3.15)",
      request: { method: "GET", path: '/Groups?excludedAttributes=members&filter=displayName eq "displayName"' },
      status: 200,
      response: { schemas: [scim.listResponse], totalResults: 1, Resources: [{ id: "{{group}}", displayName: "displayName" }] },
      absent: ["Resources/0/members"],
    },
    {
      name: "Update Group, non-member attributes: 204 (§3.17)",
      request: {
        method: "PATCH",
        path: "/Groups/{{group}}",
        body: patch({ op: "Replace", path: "displayName", value: "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName" }),
      },
      status: 204,
      headers: { etag: 'W/"2"', "preference-applied": "return=minimal" },
    },
    {
      name: "the renamed group is found by its new displayName (§3.15)",
      request: { method: "GET", path: '/Groups?excludedAttributes=members&filter=displayName eq "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"' },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{group}}" }] },
    },
    {
      name: "Update Group, add members with $ref:null: 204 (§3.18)",
      request: { method: "PATCH", path: "/Groups/{{group}}", body: patch({ op: "Add", path: "members", value: [{ $ref: null, value: "{{one}}" }] }) },
      status: 204,
    },
    {
      name: "Membership check: id and members[value eq] (§3.16), a member",
      request: { method: "GET", path: '/Groups?excludedAttributes=members&filter=id eq "{{group}}" and members[value eq "{{one}}"]' },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{group}}" }] },
      absent: ["Resources/0/members"],
    },
    {
      name: "Membership check (§3.16), not a member",
      request: { method: "GET", path: '/Groups?excludedAttributes=members&filter=id eq "{{group}}" and members[value eq "{{two}}"]' },
      status: 200,
      response: { totalResults: 0, Resources: [] },
    },
    {
      name: "Add several members in one op, one of them again: no duplicate (§3.18)",
      request: {
        method: "PATCH",
        path: "/Groups/{{group}}",
        body: patch({ op: "Add", path: "members", value: [{ $ref: null, value: "{{two}}" }, { $ref: null, value: "{{three}}" }, { $ref: null, value: "{{one}}" }] }),
      },
      status: 204,
    },
    {
      name: "the group has the three members once each",
      request: { method: "GET", path: "/Groups/{{group}}" },
      status: 200,
      unordered: { members: [...members("one", "two", "three")] },
    },
    {
      name: "Re-adding an existing member is no change (§1.9, §3.18)",
      request: { method: "PATCH", path: "/Groups/{{group}}", body: patch({ op: "Add", path: "members", value: [{ $ref: null, value: "{{two}}" }] }) },
      status: 204,
    },
    {
      name: "Update Group, remove members by value list: only those (§3.8 default job, §3.19)",
      request: { method: "PATCH", path: "/Groups/{{group}}", body: patch({ op: "Remove", path: "members", value: [{ $ref: null, value: "{{one}}" }] }) },
      status: 204,
    },
    {
      name: "the others stay",
      request: { method: "GET", path: "/Groups/{{group}}" },
      status: 200,
      unordered: { members: [...members("two", "three")] },
    },
    {
      name: "Remove a member by filter, aadOptscim062020 (§3.8, §3.19)",
      request: { method: "PATCH", path: "/Groups/{{group}}", body: patch({ op: "remove", path: 'members[value eq "{{two}}"]' }) },
      status: 204,
    },
    {
      name: "Removing a non-member is no change (§1.9, §3.19)",
      request: { method: "PATCH", path: "/Groups/{{group}}", body: patch({ op: "Remove", path: "members", value: [{ value: "{{one}}" }] }) },
      status: 204,
    },
    {
      name: "one member is left",
      request: { method: "GET", path: "/Groups/{{group}}" },
      status: 200,
      unordered: { members: [...members("three")] },
    },
    {
      name: "Replace of members swaps the whole list (§1.9, §3.19)",
      request: { method: "PATCH", path: "/Groups/{{group}}", body: patch({ op: "Replace", path: "members", value: members("one", "two") }) },
      status: 204,
    },
    {
      name: "the replaced list",
      request: { method: "GET", path: "/Groups/{{group}}" },
      status: 200,
      unordered: { members: [...members("one", "two")] },
    },
    {
      name: "Replace displayName, Add and Remove in one PATCH (§3.20)",
      request: {
        method: "PATCH",
        path: "/Groups/{{group}}",
        body: patch(
          { op: "Replace", path: "displayName", value: "updated" },
          { op: "Add", path: "members", value: [{ value: "{{three}}" }] },
          { op: "Remove", path: "members", value: [{ value: "{{one}}" }] },
        ),
      },
      status: 204,
    },
    {
      name: "all three changes are there",
      request: { method: "GET", path: "/Groups/{{group}}" },
      status: 200,
      response: { displayName: "updated" },
      unordered: { members: [...members("two", "three")] },
    },
    {
      name: "a member's groups list the group",
      request: { method: "GET", path: "/Users/{{two}}" },
      status: 200,
      response: { groups: [{ value: "{{group}}", display: "updated", type: "direct" }] },
    },
    {
      name: "Remove of members without a value removes all (§1.9, §3.19)",
      request: { method: "PATCH", path: "/Groups/{{group}}", body: patch({ op: "Remove", path: "members" }) },
      status: 204,
    },
    {
      name: "the group is empty",
      request: { method: "GET", path: "/Groups/{{group}}" },
      status: 200,
      absent: ["members"],
    },
    { name: "Delete Group (§3.21)", request: { method: "DELETE", path: "/Groups/{{group}}" }, status: 204 },
    {
      name: "a deleted group is gone",
      request: { method: "GET", path: "/Groups/{{group}}?excludedAttributes=members" },
      status: 404,
      response: { schemas: [scim.error], status: "404" },
    },
  ],
};
