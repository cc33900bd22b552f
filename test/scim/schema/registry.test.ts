import { describe, expect, it } from "vitest";
import { commonAttributes } from "../../../src/scim/schema/common.ts";
import { enterpriseUserSchema } from "../../../src/scim/schema/enterprise-user.ts";
import { groupSchema } from "../../../src/scim/schema/group.ts";
import { createSchemaRegistry } from "../../../src/scim/schema/registry.ts";
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from "../../../src/scim/schema/types.ts";
import { userSchema } from "../../../src/scim/schema/user.ts";
import { groupResourceType, schemaRegistry, userResourceType } from "../../support/schemas.ts";

const core = userSchema.id;
const enterprise = enterpriseUserSchema.id;

describe("schemaById and resourceTypeByName", () => {
  it.each([
    [core, userSchema],
    [core.toUpperCase(), userSchema],
    ["urn:ietf:params:scim:schemas:core:2.0:group", groupSchema],
    ["URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER", enterpriseUserSchema],
    ["urn:ietf:params:scim:schemas:core:2.0:Userx", undefined],
    ["urn:ietf:params:scim:schemas:core:2.0", undefined],
    ["User", undefined],
    ["", undefined],
  ])("schemaById(%j)", (urn, expected) => {
    expect(schemaRegistry.schemaById(urn)).toBe(expected);
  });

  it.each([
    ["User", userResourceType],
    ["user", userResourceType],
    ["GROUP", groupResourceType],
    ["Users", undefined],
    ["/Users", undefined],
    ["ServiceProviderConfig", undefined],
  ])("resourceTypeByName(%j)", (name, expected) => {
    expect(schemaRegistry.resourceTypeByName(name)).toBe(expected);
  });

  it("lists User, Group, Enterprise User, this server's own extensions and its ServiceProviderConfig's, and both resource types", () => {
    expect(schemaRegistry.allSchemas().map((schema) => schema.id)).toEqual([
      core,
      groupSchema.id,
      enterprise,
      "urn:scim-server:params:scim:schemas:extension:bytebase:2.0:User",
      "urn:scim-server:params:scim:schemas:extension:vyte:2.0:User",
      "urn:scim-server:params:scim:schemas:extension:permgroups:2.0:User",
      "urn:scim-server:params:scim:schemas:extension:qase:2.0:User",
      "urn:scim-server:params:scim:schemas:extension:expressgateway:2.0:User",
      "urn:scim-server:params:scim:schemas:extension:bytebase:2.0:Group",
      "urn:scim-server:params:scim:schemas:extension:vyte:2.0:Group",
      "urn:scim-server:params:scim:schemas:extension:permgroups:2.0:Group",
      "urn:scim-server:params:scim:schemas:extension:limits:2.0:ServiceProviderConfig",
    ]);
    expect(schemaRegistry.resourceTypes()).toEqual([userResourceType, groupResourceType]);
  });
});

describe("findAttribute resolves RFC 7644 §3.10 attribute paths", () => {
  it.each<[string, string, string, string, string, string | undefined]>([
    // resource type, path as sent, schema, canonical path, attribute, sub-attribute
    ["User", "userName", core, "userName", "userName", undefined],
    ["User", "USERNAME", core, "userName", "userName", undefined],
    ["User", "name.givenName", core, "name.givenName", "name", "givenName"],
    ["User", "Name.GivenName", core, "name.givenName", "name", "givenName"],
    ["User", "emails.value", core, "emails.value", "emails", "value"],
    ["User", "emails.Value", core, "emails.value", "emails", "value"],
    ["User", "emails.primary", core, "emails.primary", "emails", "primary"],
    ["User", "emails", core, "emails", "emails", undefined],
    ["User", "addresses.primary", core, "addresses.primary", "addresses", "primary"],
    ["User", "groups.$ref", core, "groups.$ref", "groups", "$ref"],
    ["User", "active", core, "active", "active", undefined],
    ["User", `${core}:name.givenName`, core, "name.givenName", "name", "givenName"],
    ["User", `${core.toLowerCase()}:NAME.givenname`, core, "name.givenName", "name", "givenName"],
    ["User", `${core}:userName`, core, "userName", "userName", undefined],
    ["User", `${enterprise}:manager.value`, enterprise, `${enterprise}:manager.value`, "manager", "value"],
    ["User", `${enterprise.toUpperCase()}:Manager.Value`, enterprise, `${enterprise}:manager.value`, "manager", "value"],
    ["User", `${enterprise}:department`, enterprise, `${enterprise}:department`, "department", undefined],
    ["User", `${enterprise}:Department`, enterprise, `${enterprise}:department`, "department", undefined],
    ["User", `${enterprise}:manager`, enterprise, `${enterprise}:manager`, "manager", undefined],
    ["User", "meta.lastModified", core, "meta.lastModified", "meta", "lastModified"],
    ["User", "meta.Created", core, "meta.created", "meta", "created"],
    ["User", "id", core, "id", "id", undefined],
    ["User", "ID", core, "id", "id", undefined],
    ["User", "externalId", core, "externalId", "externalId", undefined],
    ["User", "externalid", core, "externalId", "externalId", undefined],
    ["User", `${core}:id`, core, "id", "id", undefined],
    ["user", "userName", core, "userName", "userName", undefined],
    ["Group", "displayName", groupSchema.id, "displayName", "displayName", undefined],
    ["Group", "DisplayName", groupSchema.id, "displayName", "displayName", undefined],
    ["Group", "members", groupSchema.id, "members", "members", undefined],
    ["Group", "members.value", groupSchema.id, "members.value", "members", "value"],
    ["Group", "Members.Value", groupSchema.id, "members.value", "members", "value"],
    ["Group", "members.display", groupSchema.id, "members.display", "members", "display"],
    ["Group", `${groupSchema.id}:members.$ref`, groupSchema.id, "members.$ref", "members", "$ref"],
    ["Group", "meta.lastModified", groupSchema.id, "meta.lastModified", "meta", "lastModified"],
    ["Group", "id", groupSchema.id, "id", "id", undefined],
  ])("%s %s", (resourceType, path, schema, canonical, attribute, subAttribute) => {
    const resolved = schemaRegistry.findAttribute(resourceType, path);
    expect(resolved).toBeDefined();
    expect(resolved?.schema).toBe(schema);
    expect(resolved?.path).toBe(canonical);
    expect(resolved?.attribute.name).toBe(attribute);
    expect(resolved?.subAttribute?.name).toBe(subAttribute);
  });

  it("returns the definitions themselves", () => {
    const resolved = schemaRegistry.findAttribute(userResourceType, "name.givenName");
    const name = userSchema.attributes.find((attribute) => attribute.name === "name");
    expect(resolved?.attribute).toBe(name);
    expect(resolved?.subAttribute).toBe(name?.subAttributes?.find((sub) => sub.name === "givenName"));
    expect(schemaRegistry.findAttribute("User", "id")?.attribute).toBe(commonAttributes[0]);
  });

  it.each([
    ["User", "unknown"],
    ["User", "name.unknown"],
    ["User", "userName.value"],
    ["User", "active.value"],
    ["User", "name.givenName.more"],
    ["User", "name."],
    ["User", ".name"],
    ["User", ""],
    ["User", "emails[type eq \"work\"].value"],
    ["User", "department"],
    ["User", "manager.value"],
    ["User", core],
    ["User", `${core}:`],
    ["User", enterprise],
    ["User", `${enterprise}:`],
    ["User", `${enterprise}:userName`],
    ["User", `${core}:department`],
    ["User", `${groupSchema.id}:displayName`],
    ["User", "urn:ietf:params:scim:schemas:extension:other:2.0:User:department"],
    ["User", "urn:userName"],
    ["User", "members.value"],
    ["User", "schemas"],
    ["Group", "userName"],
    ["Group", `${enterprise}:manager.value`],
    ["Group", "members.unknown"],
    ["Group", "members.primary"],
    ["Unknown", "id"],
    ["Users", "userName"],
  ])("%s %j is unknown", (resourceType, path) => {
    expect(schemaRegistry.findAttribute(resourceType, path)).toBeUndefined();
  });
});

describe("createSchemaRegistry builds registries with other schemas", () => {
  const custom: SchemaDefinition = {
    id: "urn:example:params:scim:schemas:extension:badge:2.0:User",
    name: "Badge",
    description: "Badge",
    attributes: [
      {
        name: "badgeNumber",
        type: "string",
        multiValued: false,
        description: "Badge number.",
        required: false,
        caseExact: false,
        mutability: "readWrite",
        returned: "default",
        uniqueness: "none",
      },
    ],
  };
  const extended: ResourceTypeDefinition = {
    ...userResourceType,
    schemaExtensions: [{ schema: enterprise, required: false }, { schema: custom.id, required: false }],
  };

  it("resolves attributes of an added extension", () => {
    const registry = createSchemaRegistry({
      schemas: [userSchema, enterpriseUserSchema, custom],
      resourceTypes: [extended],
      commonAttributes,
    });
    expect(registry.findAttribute("User", `${custom.id}:BADGENUMBER`)?.path).toBe(`${custom.id}:badgeNumber`);
    expect(registry.findAttribute("User", `${enterprise}:department`)?.schema).toBe(enterprise);
    expect(schemaRegistry.findAttribute("User", `${custom.id}:badgeNumber`)).toBeUndefined();
  });

  it("rejects a resource type that names an unknown schema", () => {
    expect(() =>
      createSchemaRegistry({ schemas: [userSchema, enterpriseUserSchema], resourceTypes: [extended], commonAttributes }),
    ).toThrow(custom.id);
  });

  it("rejects a schema listed twice", () => {
    expect(() =>
      createSchemaRegistry({ schemas: [userSchema, userSchema], resourceTypes: [], commonAttributes }),
    ).toThrow("listed twice");
  });

  it("refuses a server-assigned attribute that is not readOnly", () => {
    const assigned: SchemaDefinition = {
      ...custom,
      attributes: [{ ...(custom.attributes[0] as AttributeDefinition), assigned: { kind: "objectId" } }],
    };
    expect(() => createSchemaRegistry({ schemas: [userSchema, assigned], resourceTypes: [], commonAttributes: [] }))
      .toThrow(/badgeNumber is assigned by the server but not readOnly/);
  });
});
