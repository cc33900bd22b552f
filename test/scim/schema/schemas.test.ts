import { describe, expect, it } from "vitest";
import { commonAttributes } from "../../../src/scim/schema/common.ts";
import { enterpriseUserSchema } from "../../../src/scim/schema/enterprise-user.ts";
import { groupSchema } from "../../../src/scim/schema/group.ts";
import type { AttributeDefinition } from "../../../src/scim/schema/types.ts";
import { userSchema } from "../../../src/scim/schema/user.ts";
import { groupResourceType, resourceTypes, userResourceType } from "../../support/schemas.ts";

type Located = { readonly path: string; readonly attribute: AttributeDefinition; readonly depth: number };

function walk(attributes: readonly AttributeDefinition[], prefix = "", depth = 0): Located[] {
  return attributes.flatMap((attribute) => {
    const path = prefix + attribute.name;
    return [{ path, attribute, depth }, ...walk(attribute.subAttributes ?? [], `${path}.`, depth + 1)];
  });
}

const everyAttribute: Located[] = [
  ...walk(userSchema.attributes, `${userSchema.id}:`),
  ...walk(enterpriseUserSchema.attributes, `${enterpriseUserSchema.id}:`),
  ...walk(groupSchema.attributes, `${groupSchema.id}:`),
  ...walk(commonAttributes, "common:"),
];

const types = ["string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex"];

describe("every attribute carries the RFC 7643 §7 characteristics", () => {
  it.each(everyAttribute.map((located) => [located.path, located] as const))("%s", (_path, { attribute, depth }) => {
    expect(attribute.name).toMatch(/^(\$ref|[A-Za-z][A-Za-z0-9_-]*)$/);
    expect(types).toContain(attribute.type);
    expect(typeof attribute.multiValued).toBe("boolean");
    expect(attribute.description.trim().length).toBeGreaterThan(0);
    expect(attribute.description).not.toMatch(/ {2}|- [a-z]/);
    expect(typeof attribute.required).toBe("boolean");
    expect(typeof attribute.caseExact).toBe("boolean");
    expect(["readOnly", "readWrite", "immutable", "writeOnly"]).toContain(attribute.mutability);
    expect(["always", "never", "default", "request"]).toContain(attribute.returned);
    expect(["none", "server", "global"]).toContain(attribute.uniqueness);
    // RFC 7643 §2.3.8: complex attributes have sub-attributes and do not nest.
    expect(attribute.subAttributes !== undefined).toBe(attribute.type === "complex");
    if (attribute.type === "complex") expect(attribute.subAttributes?.length).toBeGreaterThan(0);
    expect(depth).toBeLessThanOrEqual(1);
    // RFC 7643 §7: referenceTypes belong to reference attributes, and every reference attribute has them.
    expect(attribute.referenceTypes !== undefined).toBe(attribute.type === "reference");
    if (attribute.canonicalValues !== undefined) expect(attribute.canonicalValues.length).toBeGreaterThan(0);
  });

  it("has no duplicate names within one level", () => {
    const paths = everyAttribute.map((located) => located.path.toLowerCase());
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe("User schema, RFC 7643 §4.1 and §8.7.1", () => {
  it("has the RFC identity", () => {
    expect(userSchema).toMatchObject({
      id: "urn:ietf:params:scim:schemas:core:2.0:User",
      name: "User",
      description: "User Account",
    });
  });

  it("lists exactly the RFC attributes, in RFC order", () => {
    expect(userSchema.attributes.map((attribute) => attribute.name)).toEqual([
      "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage",
      "locale", "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos", "addresses", "groups",
      "entitlements", "roles", "x509Certificates",
    ]);
  });

  const multiValuedDefaults = ["value", "display", "type", "primary"];
  it.each([
    ["name", ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"]],
    ["emails", multiValuedDefaults],
    ["phoneNumbers", multiValuedDefaults],
    ["ims", multiValuedDefaults],
    ["photos", multiValuedDefaults],
    ["addresses", ["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type", "primary"]],
    ["groups", ["value", "$ref", "display", "type"]],
    ["entitlements", multiValuedDefaults],
    ["roles", multiValuedDefaults],
    ["x509Certificates", multiValuedDefaults],
  ])("%s has exactly the sub-attributes %j", (name, expected) => {
    const attribute = userSchema.attributes.find((candidate) => candidate.name === name);
    expect(attribute?.subAttributes?.map((sub) => sub.name)).toEqual(expected);
  });

  it("declares no common attribute (RFC 7643 §3.1) in any schema", () => {
    for (const schema of [userSchema, groupSchema, enterpriseUserSchema]) {
      const names = schema.attributes.map((attribute) => attribute.name);
      expect(names).not.toContain("id");
      expect(names).not.toContain("externalId");
      expect(names).not.toContain("meta");
      expect(names).not.toContain("schemas");
    }
  });
});

describe("Enterprise User and Group, RFC 7643 §4.2, §4.3 and §8.7.1", () => {
  it("Enterprise User has the RFC identity and attributes", () => {
    expect(enterpriseUserSchema).toMatchObject({
      id: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      name: "EnterpriseUser",
      description: "Enterprise User",
    });
    expect(enterpriseUserSchema.attributes.map((attribute) => attribute.name)).toEqual([
      "employeeNumber", "costCenter", "organization", "division", "department", "manager",
    ]);
    const manager = enterpriseUserSchema.attributes.find((attribute) => attribute.name === "manager");
    expect(manager?.subAttributes?.map((sub) => sub.name)).toEqual(["value", "$ref", "displayName"]);
  });

  it("Group has the RFC identity and attributes", () => {
    expect(groupSchema).toMatchObject({
      id: "urn:ietf:params:scim:schemas:core:2.0:Group",
      name: "Group",
      description: "Group",
    });
    expect(groupSchema.attributes.map((attribute) => attribute.name)).toEqual(["displayName", "members"]);
    const members = groupSchema.attributes.find((attribute) => attribute.name === "members");
    expect(members?.subAttributes?.map((sub) => sub.name)).toEqual(["value", "$ref", "type", "display"]);
  });

  it("common attributes are id, externalId and meta", () => {
    expect(commonAttributes.map((attribute) => attribute.name)).toEqual(["id", "externalId", "meta"]);
    const meta = commonAttributes.find((attribute) => attribute.name === "meta");
    expect(meta?.subAttributes?.map((sub) => sub.name)).toEqual([
      "resourceType", "created", "lastModified", "location", "version",
    ]);
  });
});

const byPath = new Map(everyAttribute.map((located) => [located.path, located.attribute]));
const user = (path: string): string => `${userSchema.id}:${path}`;
const enterprise = (path: string): string => `${enterpriseUserSchema.id}:${path}`;
const group = (path: string): string => `${groupSchema.id}:${path}`;

describe("characteristics that clients generate payloads from", () => {
  it.each<[string, Partial<AttributeDefinition>]>([
    [user("userName"), { required: true, caseExact: false, uniqueness: "server", mutability: "readWrite" }],
    [user("name"), { type: "complex", multiValued: false, required: false }],
    [user("profileUrl"), { type: "reference", referenceTypes: ["external"] }],
    [user("active"), { type: "boolean", required: false }],
    [user("password"), { mutability: "writeOnly", returned: "never", required: false }],
    [user("emails"), { type: "complex", multiValued: true }],
    [user("emails.type"), { canonicalValues: ["work", "home", "other"] }],
    [user("emails.primary"), { type: "boolean" }],
    [user("phoneNumbers.type"), { canonicalValues: ["work", "home", "mobile", "fax", "pager", "other"] }],
    [user("ims.type"), { canonicalValues: ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"] }],
    [user("photos.value"), { type: "reference", referenceTypes: ["external"] }],
    [user("photos.type"), { canonicalValues: ["photo", "thumbnail"] }],
    [user("addresses.type"), { canonicalValues: ["work", "home", "other"] }],
    [user("addresses.primary"), { type: "boolean" }],
    [user("groups"), { mutability: "readOnly", multiValued: true }],
    [user("groups.value"), { mutability: "readOnly" }],
    [user("groups.$ref"), { mutability: "readOnly", type: "reference", referenceTypes: ["User", "Group"] }],
    [user("groups.display"), { mutability: "readOnly" }],
    [user("groups.type"), { mutability: "readOnly", canonicalValues: ["direct", "indirect"] }],
    [user("x509Certificates.value"), { type: "binary" }],
    [enterprise("employeeNumber"), { required: false, mutability: "readWrite" }],
    [enterprise("manager"), { type: "complex", multiValued: false }],
    [enterprise("manager.value"), { type: "string", mutability: "readWrite" }],
    [enterprise("manager.$ref"), { type: "reference", referenceTypes: ["User"] }],
    [enterprise("manager.displayName"), { mutability: "readOnly" }],
    [group("displayName"), { required: true, uniqueness: "server", caseExact: false }],
    [group("members"), { type: "complex", multiValued: true, mutability: "readWrite" }],
    [group("members.value"), { mutability: "immutable" }],
    [group("members.$ref"), { mutability: "immutable", type: "reference", referenceTypes: ["User", "Group"] }],
    [group("members.type"), { mutability: "immutable", canonicalValues: ["User", "Group"] }],
    [group("members.display"), { mutability: "readOnly" }],
    ["common:id", { mutability: "readOnly", returned: "always", caseExact: true, uniqueness: "server" }],
    ["common:externalId", { mutability: "readWrite", caseExact: true }],
    ["common:meta", { type: "complex", mutability: "readOnly" }],
    ["common:meta.created", { type: "dateTime", mutability: "readOnly" }],
    ["common:meta.lastModified", { type: "dateTime", mutability: "readOnly" }],
    ["common:meta.location", { type: "reference", referenceTypes: ["uri"], mutability: "readOnly" }],
  ])("%s", (path, expected) => {
    expect(byPath.get(path)).toMatchObject(expected);
  });

  it("only userName, Group displayName and id are required or unique", () => {
    const required = everyAttribute.filter((located) => located.attribute.required).map((located) => located.path);
    expect(required).toEqual([user("userName"), group("displayName")]);
    const unique = everyAttribute
      .filter((located) => located.attribute.uniqueness !== "none")
      .map((located) => located.path);
    expect(unique).toEqual([user("userName"), group("displayName"), "common:id"]);
  });

  it("only password is hidden", () => {
    const hidden = everyAttribute.filter((located) => located.attribute.returned !== "default");
    expect(hidden.map((located) => [located.path, located.attribute.returned])).toEqual([
      [user("password"), "never"],
      ["common:id", "always"],
    ]);
  });
});

describe("resource types, RFC 7643 §6", () => {
  it.each([
    ["User", userResourceType, { id: "User", endpoint: "/Users", description: "User Account", schema: userSchema.id }],
    ["Group", groupResourceType, { id: "Group", endpoint: "/Groups", description: "Group", schema: groupSchema.id }],
  ])("%s", (name, resourceType, expected) => {
    expect(resourceType.name).toBe(name);
    expect(resourceType).toMatchObject(expected);
  });

  it("User is extended by Enterprise User and the server's own extensions, optionally; Group by its own", () => {
    expect(userResourceType.schemaExtensions).toEqual([
      { schema: enterpriseUserSchema.id, required: false },
      { schema: "urn:scim-server:params:scim:schemas:extension:bytebase:2.0:User", required: false },
      { schema: "urn:scim-server:params:scim:schemas:extension:vyte:2.0:User", required: false },
      { schema: "urn:scim-server:params:scim:schemas:extension:permgroups:2.0:User", required: false },
      { schema: "urn:scim-server:params:scim:schemas:extension:qase:2.0:User", required: false },
      { schema: "urn:scim-server:params:scim:schemas:extension:expressgateway:2.0:User", required: false },
    ]);
    expect(groupResourceType.schemaExtensions).toEqual([
      { schema: "urn:scim-server:params:scim:schemas:extension:bytebase:2.0:Group", required: false },
      { schema: "urn:scim-server:params:scim:schemas:extension:vyte:2.0:Group", required: false },
      { schema: "urn:scim-server:params:scim:schemas:extension:permgroups:2.0:Group", required: false },
    ]);
    expect(resourceTypes).toEqual([userResourceType, groupResourceType]);
  });
});
