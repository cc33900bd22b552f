import { scim, type Conversation } from "./conversation.ts";

// Okta provisioning users and pushing groups, as docs/idp-requests.md §2 describes it, in the
// request shapes of Okta's SCIM 2.0 reference: count=100 pages, deactivation by a path-less replace,
// a PUT that echoes groups: [] and emails[].display, group rename with the id echoed in the value.

const patch = (...operations: unknown[]) => ({ schemas: [scim.patchOp], Operations: operations });

export const okta: Conversation = {
  name: "Okta provisioning",
  source: "docs/idp-requests.md §1.1 - §1.4, §1.6, §1.9, §1.11, §1.14, §2",
  steps: [
    {
      name: "Authorization: non-token answers 401 in the SCIM error format (§1.3, §2.1)",
      request: { method: "GET", path: "/Users?startIndex=1&count=1", headers: { Authorization: "non-token" } },
      status: 401,
      response: { schemas: [scim.error], status: "401" },
      headers: { "www-authenticate": 'Bearer realm="scim"', "content-type": "application/scim+json; charset=utf-8" },
    },
    {
      name: "Does the user exist? An empty ListResponse (§1.1, §2.2)",
      request: { method: "GET", path: '/Users?filter=userName eq "test.user@okta.local"&startIndex=1&count=100' },
      status: 200,
      response: { schemas: [scim.listResponse], totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0 },
    },
    {
      name: "Create the user, with groups:[] and a password (§2.3)",
      request: {
        method: "POST",
        path: "/Users",
        body: {
          schemas: [scim.user],
          userName: "test.user@okta.local",
          name: { givenName: "Test", familyName: "User" },
          emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
          displayName: "Test User",
          locale: "en-US",
          externalId: "00ujl29u0le5T6Aj10h7",
          groups: [],
          password: "1mz050nq",
          active: true,
        },
      },
      status: 201,
      capture: { user: "id" },
      response: { id: "{{user}}", userName: "test.user@okta.local", displayName: "Test User", active: true, locale: "en-US" },
      absent: ["password", "groups"],
    },
    {
      name: "userName is matched case-insensitively (§1.4, §2.2)",
      request: { method: "GET", path: '/Users?filter=userName eq "TEST.USER@OKTA.LOCAL"&startIndex=1&count=100' },
      status: 200,
      response: { totalResults: 1, itemsPerPage: 1, Resources: [{ id: "{{user}}", userName: "test.user@okta.local" }] },
    },
    {
      name: "Get the user",
      request: { method: "GET", path: "/Users/{{user}}" },
      status: 200,
      response: { id: "{{user}}", emails: [{ primary: true, value: "test.user@okta.local", type: "work" }] },
    },
    {
      name: "PUT the whole user: groups:[] is read-only and ignored, emails carry display, meta is echoed (§2.4)",
      request: {
        method: "PUT",
        path: "/Users/{{user}}",
        body: {
          schemas: [scim.user],
          id: "{{user}}",
          userName: "test.user@okta.local",
          name: { givenName: "Another", familyName: "User" },
          emails: [{ primary: true, value: "test.user@okta.local", type: "work", display: "test.user@okta.local" }],
          displayName: "Another User",
          locale: "en-US",
          externalId: "00ujl29u0le5T6Aj10h7",
          groups: [],
          active: true,
          meta: { resourceType: "User", created: "2019-01-01T00:00:00.000Z", lastModified: "2019-01-01T00:00:00.000Z" },
        },
      },
      status: 200,
      response: {
        id: "{{user}}",
        name: { givenName: "Another", familyName: "User" },
        displayName: "Another User",
        emails: [{ primary: true, value: "test.user@okta.local", type: "work", display: "test.user@okta.local" }],
        meta: { version: 'W/"2"' },
      },
      absent: ["groups"],
    },
    {
      name: "Deactivate: a path-less replace of active (§1.6, §2.5)",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "replace", value: { active: false } }) },
      status: 200,
      response: { id: "{{user}}", active: false, displayName: "Another User" },
    },
    {
      name: "a deactivated user is still found (§1.11)",
      request: { method: "GET", path: '/Users?filter=userName eq "test.user@okta.local"&startIndex=1&count=100' },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{user}}", active: false }] },
    },
    {
      name: "Reactivate (§2.5)",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "replace", value: { active: true } }) },
      status: 200,
      response: { active: true },
    },
    {
      name: "Password change: a path-less replace of password, never echoed (§2.6)",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "replace", value: { password: "t1meMa$heen" } }) },
      status: 200,
      response: { id: "{{user}}" },
      absent: ["password"],
    },
    {
      name: "Push a group: create it with members:[] (§2.7)",
      request: { method: "POST", path: "/Groups", body: { schemas: [scim.group], displayName: "Test SCIMv2", members: [] } },
      status: 201,
      capture: { group: "id" },
      response: { id: "{{group}}", displayName: "Test SCIMv2" },
      absent: ["members"],
    },
    {
      name: "Find the group by displayName (§2.7)",
      request: { method: "GET", path: '/Groups?filter=displayName eq "Test SCIMv2"&startIndex=1&count=100' },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{group}}" }] },
    },
    {
      name: "Rename: a path-less replace that echoes the read-only id (§2.8)",
      request: {
        method: "PATCH",
        path: "/Groups/{{group}}",
        body: patch({ op: "replace", value: { id: "{{group}}", displayName: "Test SCIMv2 renamed" } }),
      },
      status: 200,
      response: { id: "{{group}}", displayName: "Test SCIMv2 renamed" },
    },
    {
      name: "Add a member with display (§2.9)",
      request: {
        method: "PATCH",
        path: "/Groups/{{group}}",
        body: patch({ op: "add", path: "members", value: [{ value: "{{user}}", display: "test.user@okta.local" }] }),
      },
      status: 200,
      response: { members: [{ value: "{{user}}", type: "User", $ref: "{{baseUrl}}/Users/{{user}}" }] },
    },
    {
      name: "the user's groups list the group",
      request: { method: "GET", path: "/Users/{{user}}" },
      status: 200,
      response: { groups: [{ value: "{{group}}", display: "Test SCIMv2 renamed", type: "direct" }] },
    },
    {
      name: "Remove the member by value filter (§2.9)",
      request: { method: "PATCH", path: "/Groups/{{group}}", body: patch({ op: "remove", path: 'members[value eq "{{user}}"]' }) },
      status: 200,
      absent: ["members"],
    },
    {
      name: "PUT the group with its members (§2.10)",
      request: {
        method: "PUT",
        path: "/Groups/{{group}}",
        body: { schemas: [scim.group], id: "{{group}}", displayName: "Test SCIMv2", members: [{ value: "{{user}}", display: "test.user@okta.local" }] },
      },
      status: 200,
      response: { displayName: "Test SCIMv2", members: [{ value: "{{user}}" }] },
    },
    { name: "Delete the group (§2.11)", request: { method: "DELETE", path: "/Groups/{{group}}" }, status: 204 },
    {
      name: "the user is no longer in a group",
      request: { method: "GET", path: "/Users/{{user}}" },
      status: 200,
      absent: ["groups"],
    },
  ],
};
