import { describe, expect, it } from "vitest";
import { readResource } from "../../../src/scim/resource/input.js";
import type { ResourceSchemas } from "../../../src/scim/resource/resource-schemas.js";
import { commonAttributes } from "../../../src/scim/schema/common.js";
import { enterpriseUserSchema } from "../../../src/scim/schema/enterprise-user.js";
import { groupSchema } from "../../../src/scim/schema/group.js";
import { userSchema } from "../../../src/scim/schema/user.js";
import { enterpriseUserUrn, groupUrn, userUrn } from "../../../src/scim/schema/urns.js";

// readResource against the RFC 7643 schema data, with bodies real clients send (docs/idp-requests.md §3).

const users: ResourceSchemas = { schema: userSchema, extensions: [enterpriseUserSchema], common: commonAttributes };
const groups: ResourceSchemas = { schema: groupSchema, extensions: [], common: commonAttributes };

describe("readResource with the RFC 7643 schemas", () => {
  it("reads Entra's create-user body (meta and roles: [] dropped)", () => {
    const input = readResource(
      {
        schemas: [userUrn, enterpriseUserUrn],
        externalId: "0a21f0f2",
        userName: "Test_User_00aa",
        active: true,
        emails: [{ primary: true, type: "work", value: "t@testuser.com" }],
        meta: { resourceType: "User" },
        name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
        roles: [],
      },
      users,
    );
    expect(input.resource).toEqual({
      schemas: [userUrn],
      externalId: "0a21f0f2",
      userName: "Test_User_00aa",
      active: true,
      emails: [{ primary: true, type: "work", value: "t@testuser.com" }],
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
    });
    expect(input.ignored).toEqual([]);
  });

  it("reads Entra's older body: explicit nulls, a misspelled extension URN, \"True\"", () => {
    const input = readResource(
      {
        schemas: [userUrn, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
        UserName: "bjensen",
        active: "True",
        addresses: null,
        phoneNumbers: null,
        title: null,
        [enterpriseUserUrn]: { Department: "Tour", manager: "m-1" },
      },
      users,
    );
    expect(input.resource).toEqual({
      schemas: [userUrn, enterpriseUserUrn],
      userName: "bjensen",
      active: true,
      [enterpriseUserUrn]: { department: "Tour", manager: { value: "m-1" } },
    });
  });

  it("reads Okta's PUT (id, groups: [], password kept as writeOnly)", () => {
    const input = readResource(
      {
        schemas: [userUrn],
        id: "a-1",
        userName: "b@example.com",
        name: { givenName: "B", familyName: "J" },
        emails: [{ primary: true, value: "b@example.com", type: "work", display: "b@example.com" }],
        password: "s3cret!",
        groups: [],
        active: true,
      },
      users,
    );
    expect(input.resource).toMatchObject({ userName: "b@example.com", password: "s3cret!", active: true });
    expect(input.resource).not.toHaveProperty("id");
    expect(input.resource).not.toHaveProperty("groups");
    expect(input.writeOnly).toEqual(["password"]);
  });

  it("requires userName", () => {
    expect(() => readResource({ displayName: "B" }, users)).toThrow(/"userName"/);
  });

  it("reads Entra's create-group body with its Microsoft schema URN", () => {
    const input = readResource(
      {
        schemas: [groupUrn, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        externalId: "8aa1a0c0",
        displayName: "displayName",
        meta: { resourceType: "Group" },
      },
      groups,
    );
    expect(input.resource).toEqual({ schemas: [groupUrn], externalId: "8aa1a0c0", displayName: "displayName" });
  });

  it("reads group members as objects or plain ids", () => {
    const input = readResource(
      { displayName: "G", members: [{ value: "u-1", $ref: null }, "u-2", { Value: "u-3", type: "User" }] },
      groups,
    );
    expect((input.resource.members as Array<{ value: string }>).map((member) => member.value)).toEqual([
      "u-1",
      "u-2",
      "u-3",
    ]);
  });
});
