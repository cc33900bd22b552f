import { scim, type Conversation } from "./conversation.ts";

// Microsoft Entra ID provisioning users: every user request and answer of docs/idp-requests.md
// §3.1 - §3.13, with the default job's and the aadOptscim062020 shapes of §3.8.

const patch = (...operations: unknown[]) => ({ schemas: [scim.patchOp], Operations: operations });
const userName = "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee";
const externalId = "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef";
const workEmail = "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com";
const renamed = "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com";

export const entraUsers: Conversation = {
  name: "Entra ID provisioning users",
  source: "docs/idp-requests.md §1.1, §1.4 - §1.11, §3.1 - §3.13",
  steps: [
    {
      name: "Test Connection: a filter on a random GUID answers an empty ListResponse (§1.1, §3.1)",
      request: { method: "GET", path: '/Users?filter=userName eq "c3b5d3a2-5a8f-4d4b-9d0e-6f1e2a3b4c5d"' },
      status: 200,
      response: { schemas: [scim.listResponse], totalResults: 0, Resources: [], startIndex: 1 },
      headers: { "content-type": "application/scim+json; charset=utf-8" },
    },
    {
      name: "Create User (§3.3): meta and roles:[] are sent along",
      request: {
        method: "POST",
        path: "/Users",
        body: {
          schemas: [scim.user, scim.enterprise],
          externalId,
          userName,
          active: true,
          emails: [{ primary: true, type: "work", value: workEmail }],
          meta: { resourceType: "User" },
          name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
          roles: [],
        },
      },
      status: 201,
      capture: { user: "id", created: "meta/created", lastModified: "meta/lastModified" },
      response: {
        schemas: [scim.user],
        id: "{{user}}",
        externalId,
        userName,
        active: true,
        emails: [{ primary: true, type: "work", value: workEmail }],
        name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
        meta: { resourceType: "User", location: "{{baseUrl}}/Users/{{user}}" },
      },
      absent: ["roles", scim.enterprise],
      headers: { location: "{{baseUrl}}/Users/{{user}}", "content-type": "application/scim+json; charset=utf-8" },
    },
    {
      name: "Create User again: 409 uniqueness (§1.4, §3.3)",
      request: { method: "POST", path: "/Users", body: { schemas: [scim.user], userName: userName.toUpperCase(), active: true } },
      status: 409,
      response: { schemas: [scim.error], status: "409", scimType: "uniqueness" },
    },
    {
      name: "Create User, the older documented example (§3.4): explicit nulls, misspelled extension URN",
      request: {
        method: "POST",
        path: "/Users",
        body: {
          schemas: [scim.user, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
          externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
          userName: "Test_User_22cc22cc-dd33-ee44-ff55-66aa66aa66aa",
          active: true,
          addresses: null,
          displayName: "Example Two",
          emails: [{ primary: true, type: "work", value: "example-two@testuser.com" }],
          meta: { resourceType: "User" },
          name: { familyName: "Two", givenName: "Example" },
          phoneNumbers: null,
          title: null,
          manager: null,
          roles: [],
        },
      },
      status: 201,
      capture: { second: "id" },
      response: { schemas: [scim.user], userName: "Test_User_22cc22cc-dd33-ee44-ff55-66aa66aa66aa", displayName: "Example Two" },
      absent: ["addresses", "phoneNumbers", "title", "manager", "roles"],
    },
    {
      name: "Get User (§3.5)",
      request: { method: "GET", path: "/Users/{{user}}" },
      status: 200,
      response: { id: "{{user}}", userName, meta: { created: "{{created}}", lastModified: "{{lastModified}}" } },
    },
    {
      name: "Get User that does not exist: 404 with status as a string (§1.3, §3.5)",
      request: { method: "GET", path: "/Users/5d48a0a8e9f04aa38008" },
      status: 404,
      response: { schemas: [scim.error], status: "404" },
    },
    {
      name: "Get User by query on userName (§3.2)",
      request: { method: "GET", path: `/Users?filter=userName eq "${userName}"` },
      status: 200,
      response: { schemas: [scim.listResponse], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [{ id: "{{user}}", userName }] },
    },
    {
      name: "Get User by query on externalId (§3.2)",
      request: { method: "GET", path: `/Users?filter=externalId eq "${externalId}"` },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{user}}" }] },
    },
    {
      name: "Get User by query on externalId, unquoted as in Microsoft's older example (§3.2)",
      request: { method: "GET", path: `/Users?filter=externalId eq ${externalId}` },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{user}}" }] },
    },
    {
      name: 'Get User by query on emails[type eq "work"].value (§1.8, §3.2)',
      request: { method: "GET", path: `/Users?filter=emails[type eq "work"].value eq "${workEmail}"` },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{user}}" }] },
    },
    {
      name: "Get User by query, zero results (§1.1)",
      request: { method: "GET", path: '/Users?filter=userName eq "non-existent user"' },
      status: 200,
      response: { schemas: [scim.listResponse], totalResults: 0, Resources: [], startIndex: 1 },
    },
    {
      name: "Update User, multi-valued: the work email is replaced in place (§1.8, §3.6)",
      request: {
        method: "PATCH",
        path: "/Users/{{user}}",
        body: patch(
          { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
          { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
        ),
      },
      status: 200,
      response: {
        id: "{{user}}",
        emails: [{ primary: true, type: "work", value: "updatedEmail@microsoft.com" }],
        name: { familyName: "updatedFamilyName", givenName: "givenName" },
        meta: { version: 'W/"2"' },
      },
      headers: { etag: 'W/"2"' },
    },
    {
      name: "the updated work email is found by the same filter Entra matches on (§3.2, §3.6)",
      request: { method: "GET", path: '/Users?filter=emails[type eq "work"].value eq "updatedEmail@microsoft.com"' },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{user}}" }] },
    },
    {
      name: "Update User, single-valued: userName (§3.7)",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "Replace", path: "userName", value: renamed }) },
      status: 200,
      response: { id: "{{user}}", userName: renamed },
    },
    {
      name: 'Disable user, default job: active as the string "False" (§1.7, §3.8)',
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "Replace", path: "active", value: "False" }) },
      status: 200,
      response: { active: false },
    },
    {
      name: 'Enable user, default job: "True" (§1.7, §3.8)',
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "Replace", path: "active", value: "True" }) },
      status: 200,
      response: { active: true },
    },
    {
      name: "Disable user, aadOptscim062020: a JSON boolean (§3.8)",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "replace", path: "active", value: false }) },
      status: 200,
      response: { active: false },
    },
    {
      name: "Add single-valued string, default job (§1.5, §3.8)",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "Add", path: "nickName", value: "Babs" }) },
      status: 200,
      response: { nickName: "Babs" },
    },
    {
      name: "Add single-valued string, aadOptscim062020 (§3.8): add on a value present replaces it",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "add", path: "nickName", value: "Babs2" }) },
      status: 200,
      response: { nickName: "Babs2" },
    },
    {
      name: "Replace multiple attributes, default job: one Replace per attribute (§3.8)",
      request: {
        method: "PATCH",
        path: "/Users/{{user}}",
        body: patch(
          { op: "Replace", path: "displayName", value: "Eqsg" },
          { op: "Replace", path: 'emails[type eq "work"].value', value: "eqsg@contoso.com" },
          { op: "Replace", path: "name.givenName", value: "Xcsw" },
          { op: "Replace", path: "name.familyName", value: "Ewpk" },
          { op: "Replace", path: "externalId", value: "Eqsg" },
          { op: "Replace", path: `${scim.enterprise}:employeeNumber`, value: "Zkvc" },
        ),
      },
      status: 200,
      response: {
        schemas: [scim.user, scim.enterprise],
        displayName: "Eqsg",
        emails: [{ primary: true, type: "work", value: "eqsg@contoso.com" }],
        name: { givenName: "Xcsw", familyName: "Ewpk" },
        externalId: "Eqsg",
        [scim.enterprise]: { employeeNumber: "Zkvc" },
      },
    },
    {
      name: "Replace multiple attributes, aadOptscim062020: one op without a path, keys dotted and URN-qualified (§1.6, §3.8)",
      request: {
        method: "PATCH",
        path: "/Users/{{user}}",
        body: patch(
          { op: "replace", path: 'emails[type eq "work"].value', value: "bjfe@contoso.com" },
          {
            op: "replace",
            value: {
              displayName: "Bjfe",
              "name.givenName": "Kkom",
              "name.familyName": "Unua",
              [`${scim.enterprise}:employeeNumber`]: "Aklq",
            },
          },
        ),
      },
      status: 200,
      response: {
        displayName: "Bjfe",
        emails: [{ primary: true, type: "work", value: "bjfe@contoso.com" }],
        name: { givenName: "Kkom", familyName: "Unua" },
        [scim.enterprise]: { employeeNumber: "Aklq" },
      },
    },
    {
      name: "Add on a filtered path that already has a value, with Replace title (§3.9)",
      request: {
        method: "PATCH",
        path: "/Users/{{user}}",
        body: patch(
          { op: "Add", path: 'emails[type eq "work"].value', value: "new@joe.com" },
          { op: "Replace", path: "title", value: "tester" },
        ),
      },
      status: 200,
      response: { title: "tester", emails: [{ primary: true, type: "work", value: "new@joe.com" }] },
    },
    {
      name: 'Booleans as "True"/"False" inside a path-less value (§1.6, §1.7)',
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "Replace", value: { active: "True", title: "lead" } }) },
      status: 200,
      response: { active: true, title: "lead" },
    },
    {
      name: "Replace with \"\" clears an attribute: the null update (§3.10)",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "Replace", path: "title", value: "" }) },
      status: 200,
      absent: ["title"],
    },
    {
      name: "Create the manager (§3.12)",
      request: { method: "POST", path: "/Users", body: { schemas: [scim.user], userName: "Test_Manager_33dd33dd", active: true } },
      status: 201,
      capture: { manager: "id" },
    },
    {
      name: "Manager as a plain id on the URN path, stored as {value} (§1.10, §3.12)",
      request: {
        method: "PATCH",
        path: "/Users/{{user}}",
        body: patch({ op: "Add", path: `${scim.enterprise}:manager`, value: "{{manager}}" }),
      },
      status: 200,
      response: { [scim.enterprise]: { employeeNumber: "Aklq", manager: { value: "{{manager}}" } } },
    },
    {
      name: "Entra checks the manager with id and manager, attributes=id (§1.12, §3.12)",
      request: { method: "GET", path: '/Users?filter=id eq "{{user}}" and manager eq "{{manager}}"&attributes=id' },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{user}}" }] },
      absent: ["Resources/0/userName", `Resources/0/${scim.enterprise}`],
    },
    {
      name: "Manager cleared with Replace \"\" (§3.10, §3.12)",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "Replace", path: `${scim.enterprise}:manager`, value: "" }) },
      status: 200,
      response: { [scim.enterprise]: { employeeNumber: "Aklq" } },
      absent: [`${scim.enterprise}/manager`],
    },
    {
      name: "the cleared manager no longer matches (§3.12)",
      request: { method: "GET", path: '/Users?filter=id eq "{{user}}" and manager eq "{{manager}}"&attributes=id' },
      status: 200,
      response: { totalResults: 0, Resources: [] },
    },
    {
      name: "Manager as in Microsoft's older examples (§3.12): unqualified path, a list of one {$ref, value}",
      request: {
        method: "PATCH",
        path: "/Users/{{user}}",
        body: patch({ op: "Add", path: "manager", value: [{ $ref: "{{baseUrl}}/Users/{{manager}}", value: "{{manager}}" }] }),
      },
      status: 200,
      response: { [scim.enterprise]: { manager: { value: "{{manager}}", $ref: "{{baseUrl}}/Users/{{manager}}" } } },
    },
    {
      name: "Manager cleared with Remove on the URN path (§3.12)",
      request: { method: "PATCH", path: "/Users/{{user}}", body: patch({ op: "Remove", path: `${scim.enterprise}:manager` }) },
      status: 200,
      absent: [`${scim.enterprise}/manager`],
    },
    {
      name: "Disable User (§3.11)",
      request: {
        method: "PATCH",
        path: "/Users/{{user}}",
        body: { Operations: [{ op: "Replace", path: "active", value: false }], schemas: [scim.patchOp] },
      },
      status: 200,
      response: { id: "{{user}}", active: false },
    },
    {
      name: "a disabled user is still returned by id (§1.11, §3.11)",
      request: { method: "GET", path: "/Users/{{user}}" },
      status: 200,
      response: { id: "{{user}}", active: false },
    },
    {
      name: "a disabled user is still returned by filter (§1.11, §3.11)",
      request: { method: "GET", path: '/Users?filter=externalId eq "Eqsg"' },
      status: 200,
      response: { totalResults: 1, Resources: [{ id: "{{user}}", active: false }] },
    },
    {
      name: "Delete User (§3.13)",
      request: { method: "DELETE", path: "/Users/{{user}}" },
      status: 204,
    },
    {
      name: "a deleted user is gone by id (§3.13)",
      request: { method: "GET", path: "/Users/{{user}}" },
      status: 404,
      response: { schemas: [scim.error], status: "404" },
    },
    {
      name: "a deleted user is gone by filter (§3.13)",
      request: { method: "GET", path: '/Users?filter=externalId eq "Eqsg"' },
      status: 200,
      response: { totalResults: 0, Resources: [] },
    },
  ],
};
