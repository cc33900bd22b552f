import { describe, expect, it } from "vitest";
import {
  type Capabilities,
  oauthBearerToken,
  resourceTypeResource,
  schemaResource,
  serviceProviderConfig,
} from "../../../src/scim/schema/discovery.ts";
import { enterpriseUserSchema } from "../../../src/scim/schema/enterprise-user.ts";
import { groupSchema } from "../../../src/scim/schema/group.ts";
import type { AttributeDefinition } from "../../../src/scim/schema/types.ts";
import { userSchema } from "../../../src/scim/schema/user.ts";
import { groupResourceType, userResourceType } from "../../support/schemas.ts";

const baseUrl = "http://host/scim/v2";

const capabilities: Capabilities = {
  patch: true,
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: 200 },
  changePassword: false,
  sort: true,
  etag: false,
  authenticationSchemes: [oauthBearerToken],
};

function nullPaths(value: unknown, path = "$"): string[] {
  if (value === null || value === undefined) return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => nullPaths(item, `${path}[${index}]`));
  if (typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => nullPaths(item, `${path}.${key}`));
  }
  return [];
}

const documents: [string, unknown][] = [
  ["ServiceProviderConfig", serviceProviderConfig(baseUrl, capabilities)],
  ["ServiceProviderConfig with documentationUri", serviceProviderConfig(baseUrl, { ...capabilities, documentationUri: "https://example.com/help" })],
  ["Schema User", schemaResource(userSchema, baseUrl)],
  ["Schema Group", schemaResource(groupSchema, baseUrl)],
  ["Schema EnterpriseUser", schemaResource(enterpriseUserSchema, baseUrl)],
  ["ResourceType User", resourceTypeResource(userResourceType, baseUrl)],
  ["ResourceType Group", resourceTypeResource(groupResourceType, baseUrl)],
];

describe("discovery documents are plain JSON", () => {
  it.each(documents)("%s has no null or undefined anywhere", (_name, document) => {
    expect(nullPaths(document)).toEqual([]);
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it("the null finder finds nulls", () => {
    expect(nullPaths({ a: [{ b: null }], c: undefined, d: 0 })).toEqual(["$.a[0].b", "$.c"]);
  });
});

describe("serviceProviderConfig, RFC 7643 §5", () => {
  it("reports the capabilities it is given", () => {
    expect(serviceProviderConfig(baseUrl, capabilities)).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: "oauthbearertoken",
          name: "OAuth Bearer Token",
          description: "Authentication scheme using the OAuth Bearer Token Standard",
          specUri: "https://www.rfc-editor.org/info/rfc6750",
        },
      ],
      meta: { resourceType: "ServiceProviderConfig", location: "http://host/scim/v2/ServiceProviderConfig" },
    });
  });

  it("flips with the capabilities", () => {
    const document = serviceProviderConfig(baseUrl, {
      ...capabilities,
      patch: false,
      bulk: { supported: true, maxOperations: 10, maxPayloadSize: 1048576 },
      changePassword: true,
      etag: true,
      documentationUri: "https://example.com/help",
    });
    expect(document).toMatchObject({
      documentationUri: "https://example.com/help",
      patch: { supported: false },
      bulk: { supported: true, maxOperations: 10, maxPayloadSize: 1048576 },
      changePassword: { supported: true },
      etag: { supported: true },
    });
  });

  // RFC 7643 §3.3: this server's own settings in its own extension, never inside §5's attributes.
  it("puts filter limits in the server's extension, named in schemas", () => {
    const document = serviceProviderConfig(baseUrl, { ...capabilities, filterLimits: { maxLength: 100, maxDepth: 3, maxTerms: 9 } });
    const urn = "urn:scim-server:params:scim:schemas:extension:limits:2.0:ServiceProviderConfig";
    expect(document.schemas).toStrictEqual(["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig", urn]);
    expect(document[urn]).toStrictEqual({ filter: { maxLength: 100, maxDepth: 3, maxTerms: 9 } });
    expect(document.filter).toStrictEqual({ supported: true, maxResults: 200 });
  });

  it.each(["http://host/scim/v2", "http://host/scim/v2/", "http://host/scim/v2//"])(
    "builds the location from %j",
    (base) => {
      expect(serviceProviderConfig(base, capabilities).meta.location).toBe("http://host/scim/v2/ServiceProviderConfig");
    },
  );
});

describe("schemaResource, RFC 7643 §7 and §8.7.1", () => {
  const user = schemaResource(userSchema, baseUrl);

  it("describes the User schema as a User Account", () => {
    expect(user).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
      id: "urn:ietf:params:scim:schemas:core:2.0:User",
      name: "User",
      description: "User Account",
      meta: {
        resourceType: "Schema",
        location: "http://host/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
      },
    });
    expect(JSON.stringify(user)).toContain("\"User Account\"");
  });

  it("renders every characteristic of userName, in the RFC's order", () => {
    const userName = user.attributes[0];
    expect(Object.keys(userName ?? {})).toEqual([
      "name", "type", "multiValued", "description", "required", "caseExact", "mutability", "returned", "uniqueness",
    ]);
    expect(userName).toMatchObject({ name: "userName", required: true, caseExact: false, uniqueness: "server" });
  });

  it("renders canonicalValues, referenceTypes and subAttributes where defined", () => {
    const emails = user.attributes.find((attribute) => attribute.name === "emails");
    expect(emails?.subAttributes?.find((sub) => sub.name === "type")?.canonicalValues).toEqual(["work", "home", "other"]);
    const groups = user.attributes.find((attribute) => attribute.name === "groups");
    expect(groups?.subAttributes?.find((sub) => sub.name === "$ref")?.referenceTypes).toEqual(["User", "Group"]);
    const userNameKeys = Object.keys(user.attributes[0] ?? {});
    expect(userNameKeys).not.toContain("subAttributes");
    expect(userNameKeys).not.toContain("canonicalValues");
    expect(userNameKeys).not.toContain("referenceTypes");
  });

  it("renders the schema's attributes unchanged and nothing more", () => {
    expect(user.attributes).toEqual(userSchema.attributes);
    const names = user.attributes.map((attribute: AttributeDefinition) => attribute.name);
    expect(names).not.toContain("id");
    expect(names).not.toContain("meta");
  });

  it.each([
    ["Group", groupSchema, "Group"],
    ["EnterpriseUser", enterpriseUserSchema, "Enterprise User"],
  ])("describes %s", (name, schema, description) => {
    expect(schemaResource(schema, `${baseUrl}/`)).toMatchObject({
      id: schema.id,
      name,
      description,
      meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
    });
  });
});

describe("resourceTypeResource, RFC 7643 §6 and §8.6", () => {
  it("describes User as a User Account with the Enterprise User extension", () => {
    expect(resourceTypeResource(userResourceType, baseUrl)).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "User Account",
      schema: "urn:ietf:params:scim:schemas:core:2.0:User",
      schemaExtensions: [
        { schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", required: false },
        { schema: "urn:scim-server:params:scim:schemas:extension:bytebase:2.0:User", required: false },
        { schema: "urn:scim-server:params:scim:schemas:extension:vyte:2.0:User", required: false },
        { schema: "urn:scim-server:params:scim:schemas:extension:permgroups:2.0:User", required: false },
        { schema: "urn:scim-server:params:scim:schemas:extension:qase:2.0:User", required: false },
        { schema: "urn:scim-server:params:scim:schemas:extension:expressgateway:2.0:User", required: false },
      ],
      meta: { resourceType: "ResourceType", location: "http://host/scim/v2/ResourceTypes/User" },
    });
  });

  it("describes Group with the server's own extensions", () => {
    expect(resourceTypeResource(groupResourceType, baseUrl)).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "Group",
      schema: "urn:ietf:params:scim:schemas:core:2.0:Group",
      schemaExtensions: [
        { schema: "urn:scim-server:params:scim:schemas:extension:bytebase:2.0:Group", required: false },
        { schema: "urn:scim-server:params:scim:schemas:extension:vyte:2.0:Group", required: false },
        { schema: "urn:scim-server:params:scim:schemas:extension:permgroups:2.0:Group", required: false },
      ],
      meta: { resourceType: "ResourceType", location: "http://host/scim/v2/ResourceTypes/Group" },
    });
  });
});
