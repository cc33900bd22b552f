import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AttributeDefinition } from "../../src/scim/schema/types.ts";
import { enterpriseUserUrn, groupUrn, listResponseUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError, scimBody } from "../support/responses.ts";
import { describeAuthentication } from "./auth.suite.ts";
import { baseUrl, publicBaseUrl, rawRequest } from "./resource.behaviour.ts";

// RFC 7644 §4, RFC 7643 §5 - §7: the discovery endpoints describe what the server really does.

// This server's own extensions (src/compat/<api>/extension.ts), carrying the compat APIs' fields.
const ownExtension = (product: string, type: "User" | "Group") => `urn:scim-server:params:scim:schemas:extension:${product}:2.0:${type}`;
const ownUserExtensions = ["bytebase", "vyte", "permgroups", "qase", "expressgateway"].map((product) => ownExtension(product, "User"));
const ownGroupExtensions = ["bytebase", "vyte", "permgroups"].map((product) => ownExtension(product, "Group"));

const resourceTypeUrn = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const schemaUrn = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const serviceProviderConfigUrn = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const limitsUrn = "urn:scim-server:params:scim:schemas:extension:limits:2.0:ServiceProviderConfig";

// As a tenant that has enabled every compat API sees them (its extensions listed)...
const userResourceType = {
  schemas: [resourceTypeUrn],
  id: "User",
  name: "User",
  endpoint: "/Users",
  description: "User Account",
  schema: userUrn,
  schemaExtensions: [enterpriseUserUrn, ...ownUserExtensions].map((schema) => ({ schema, required: false })),
  meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/User` },
};
const groupResourceType = {
  schemas: [resourceTypeUrn],
  id: "Group",
  name: "Group",
  endpoint: "/Groups",
  description: "Group",
  schema: groupUrn,
  schemaExtensions: ownGroupExtensions.map((schema) => ({ schema, required: false })),
  meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/Group` },
};
// ...and as a tenant that only Okta or Entra provisions sees them: RFC schemas alone.
const { schemaExtensions: _groupExtensions, ...plainGroupResourceType } = groupResourceType;
const plainUserResourceType = { ...userResourceType, schemaExtensions: [{ schema: enterpriseUserUrn, required: false }] };

let app: TestApp;
let scim: ScimClient;
let plain: ScimClient;
beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl, MAX_PAGE_SIZE: "250", FILTER_MAX_TERMS: "40" });
  scim = await app.client();
  const { id } = await app.server.tenants.ensure("acme");
  for (const api of ["bytebase", "vyte", "perm-api", "qase", "express-gateway"]) await app.server.tenants.enableApi(id, api);
  plain = await app.client("okta-only");
});
afterAll(() => app.close());

describe("/ServiceProviderConfig", () => {
  // patch, bulk, filter, sort and pagination belong to later issues: here only their shape and limits.
  it.each([["/ServiceProviderConfig"], ["/serviceproviderconfig"], ["/serviceConfiguration"]])("GET %s describes the server", async (path) => {
    const { patch, bulk, filter, sort, pagination, ...rest } = scimBody(await scim.get(path).expect(200));
    expect(rest).toStrictEqual({
      schemas: [serviceProviderConfigUrn, limitsUrn],
      [limitsUrn]: { filter: { maxLength: 4096, maxDepth: 16, maxTerms: 40 } },
      changePassword: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: "oauthbearertoken",
          name: "OAuth Bearer Token",
          description: "Authentication scheme using the OAuth Bearer Token Standard",
          specUri: "https://www.rfc-editor.org/info/rfc6750",
        },
      ],
      // RFC 9967 §4: the SETs the server issues, in full mode.
      securityEvents: {
        asyncRequest: "none",
        eventUris: [
          "urn:ietf:params:scim:event:prov:create:full",
          "urn:ietf:params:scim:event:prov:put:full",
          "urn:ietf:params:scim:event:prov:patch:full",
          "urn:ietf:params:scim:event:prov:patch:notice",
          "urn:ietf:params:scim:event:prov:delete",
          "urn:ietf:params:scim:event:prov:activate",
          "urn:ietf:params:scim:event:prov:deactivate",
        ],
      },
      meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
    });
    expect({ patch, sort }).toStrictEqual({ patch: { supported: expect.any(Boolean) }, sort: { supported: expect.any(Boolean) } });
    expect(bulk).toMatchObject({ supported: expect.any(Boolean), maxOperations: expect.any(Number), maxPayloadSize: expect.any(Number) });
    expect(filter).toStrictEqual({ supported: true, maxResults: 250 });
    if (pagination !== undefined) expect(pagination).toMatchObject({ maxPageSize: 250, defaultPageSize: 100 });
  });
});

describe("/ResourceTypes", () => {
  it("lists User and Group as a ListResponse", async () => {
    const response = await scim.get("/ResourceTypes").expect(200);
    expect(scimBody(response)).toStrictEqual({
      schemas: [listResponseUrn],
      totalResults: 2,
      startIndex: 1,
      itemsPerPage: 2,
      Resources: [userResourceType, groupResourceType],
    });
  });

  it.each([
    ["/ResourceTypes/User", userResourceType],
    ["/ResourceTypes/user", userResourceType],
    ["/resourcetypes/GROUP", groupResourceType],
  ])("GET %s answers the resource type", async (path, expected) => {
    expect(scimBody(await scim.get(path).expect(200))).toStrictEqual(expected);
  });

  it.each([["/ResourceTypes/Nope"], ["/ResourceTypes/Users"], ["/ResourceTypes/User/extra"]])("GET %s answers 404", async (path) => {
    expectScimError(await scim.get(path), 404);
  });
});

describe("a tenant sees the extensions of the compat APIs it enabled, and no others", () => {
  it("a tenant without compat APIs sees the RFC schemas, the Enterprise extension and the server's limits", async () => {
    const schemas = (await plain.get("/Schemas").expect(200)).body.Resources.map((schema: { id: string }) => schema.id);
    expect(schemas).toStrictEqual([userUrn, groupUrn, enterpriseUserUrn, limitsUrn]);
    expect((await plain.get("/ResourceTypes").expect(200)).body.Resources).toStrictEqual([plainUserResourceType, plainGroupResourceType]);
    expectScimError(await plain.get(`/Schemas/${ownExtension("vyte", "User")}`), 404);
  });

  it("issuing an API's credential enables its extensions for the tenant", async () => {
    const tenant = "vyte-only";
    const client = await app.client(tenant);
    await app.credential("vyte", tenant);
    const schemas = (await client.get("/Schemas").expect(200)).body.Resources.map((schema: { id: string }) => schema.id);
    expect(schemas).toStrictEqual([userUrn, groupUrn, enterpriseUserUrn, ownExtension("vyte", "User"), ownExtension("vyte", "Group"), limitsUrn]);
    expect((await client.get("/ResourceTypes/Group").expect(200)).body.schemaExtensions).toStrictEqual([{ schema: ownExtension("vyte", "Group"), required: false }]);
  });
});

describe("/Schemas", () => {
  it("lists the User, Group, Enterprise User and own extension schemas, each as GET /Schemas/{id} answers it", async () => {
    const response = await scim.get("/Schemas").expect(200);
    expect(scimBody(response)).toMatchObject({ schemas: [listResponseUrn], totalResults: 12, startIndex: 1, itemsPerPage: 12 });
    expect(response.body.Resources.map((schema: { id: string }) => schema.id)).toStrictEqual([
      userUrn, groupUrn, enterpriseUserUrn, ...ownUserExtensions, ...ownGroupExtensions, limitsUrn,
    ]);
    for (const schema of response.body.Resources) {
      expect(schema).toMatchObject({ schemas: [schemaUrn], meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` } });
      expect((await scim.get(`/Schemas/${schema.id}`).expect(200)).body).toStrictEqual(schema);
    }
  });

  it.each([
    [userUrn, "User", "User Account"],
    [groupUrn, "Group", "Group"],
    [enterpriseUserUrn, "EnterpriseUser", "Enterprise User"],
    [ownExtension("bytebase", "User"), "BytebaseUser", "Bytebase user fields"],
    [ownExtension("vyte", "Group"), "VyteTeam", "Vyte team fields"],
    [limitsUrn, "ServerLimits", "Limits this server applies to requests, beyond those RFC 7643 §5 describes"],
  ])("GET /Schemas/%s names the schema %s", async (urn, name, description) => {
    const schema = (await scim.get(`/Schemas/${urn}`).expect(200)).body;
    expect({ id: schema.id, name: schema.name, description: schema.description }).toStrictEqual({ id: urn, name, description });
  });

  it("schema ids match case-insensitively", async () => {
    expect((await scim.get(`/Schemas/${userUrn.toUpperCase()}`).expect(200)).body.id).toBe(userUrn);
  });

  it.each([["/Schemas/urn:ietf:params:scim:schemas:core:2.0:Nope"], ["/Schemas/User"], [`/Schemas/${userUrn}/extra`]])("GET %s answers 404", async (path) => {
    expectScimError(await scim.get(path), 404);
  });

  it("the User schema lists every RFC 7643 §4.1 attribute, without the common id, externalId and meta", async () => {
    const schema = (await scim.get(`/Schemas/${userUrn}`).expect(200)).body;
    expect(schema.attributes.map((attribute: AttributeDefinition) => attribute.name)).toStrictEqual([
      "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale",
      "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos", "addresses", "groups", "entitlements",
      "roles", "x509Certificates",
    ]);
  });

  it.each([
    [userUrn, "userName", { required: true, uniqueness: "server", caseExact: false, mutability: "readWrite" }],
    [userUrn, "password", { mutability: "writeOnly", returned: "never" }],
    [userUrn, "groups", { mutability: "readOnly", multiValued: true }],
    [userUrn, "active", { type: "boolean" }],
    [groupUrn, "displayName", { required: true, uniqueness: "server" }],
    [groupUrn, "members", { type: "complex", multiValued: true }],
    [enterpriseUserUrn, "manager", { type: "complex", multiValued: false }],
  ] as const)("%s %s is declared as the server treats it", async (urn, name, characteristics) => {
    const schema = (await scim.get(`/Schemas/${urn}`).expect(200)).body;
    expect(schema.attributes.find((attribute: AttributeDefinition) => attribute.name === name)).toMatchObject(characteristics);
  });
});

// scim2-tester builds its payloads from /Schemas: every attribute declared writable must be
// accepted and come back as sent (docs/idp-requests.md §1.13). The one reference whose target is
// checked, manager.value, names a real user, and comes back with the server's $ref and name.
describe("a user built from /Schemas", () => {
  const sample = (attribute: AttributeDefinition): unknown => {
    const single = (): unknown => {
      if (attribute.canonicalValues?.length) return attribute.canonicalValues[0];
      switch (attribute.type) {
        case "string":
          return `sample-${attribute.name}`;
        case "boolean":
          return true;
        case "decimal":
          return 1.5;
        case "integer":
          return 7;
        case "dateTime":
          return "2024-02-29T12:00:00Z";
        case "binary":
          return "AAECAwQ=";
        case "reference":
          return `https://example.com/${attribute.name}`;
        case "complex":
          return Object.fromEntries(
            (attribute.subAttributes ?? []).filter(writable).map((sub) => [sub.name, sample(sub)]),
          );
      }
    };
    return attribute.multiValued ? [single()] : single();
  };
  const writable = (attribute: AttributeDefinition) => attribute.mutability !== "readOnly";
  const returned = (attribute: AttributeDefinition) => attribute.returned !== "never" && attribute.returned !== "request";

  it("is accepted with every writable attribute, and returns every returnable one as sent", async () => {
    const core = (await scim.get(`/Schemas/${userUrn}`).expect(200)).body.attributes as AttributeDefinition[];
    const enterprise = (await scim.get(`/Schemas/${enterpriseUserUrn}`).expect(200)).body.attributes as AttributeDefinition[];
    const body = {
      schemas: [userUrn, enterpriseUserUrn],
      ...Object.fromEntries(core.filter(writable).map((attribute) => [attribute.name, sample(attribute)])),
      [enterpriseUserUrn]: Object.fromEntries(enterprise.filter(writable).map((attribute) => [attribute.name, sample(attribute)])),
    };
    // In a tenant without compat APIs, so that no product ids are added to what was sent.
    const manager = (await plain.post("/Users", { userName: "sample-manager" }).expect(201)).body.id as string;
    body[enterpriseUserUrn].manager = { value: manager };
    const created = await plain.post("/Users", body).expect(201);
    const expected = {
      schemas: [userUrn, enterpriseUserUrn],
      id: created.body.id,
      ...Object.fromEntries(core.filter(writable).filter(returned).map((attribute) => [attribute.name, sample(attribute)])),
      [enterpriseUserUrn]: {
        ...Object.fromEntries(enterprise.filter(writable).filter(returned).map((attribute) => [attribute.name, sample(attribute)])),
        manager: { value: manager, $ref: `${baseUrl}/Users/${manager}`, displayName: "sample-manager" },
      },
      meta: expect.objectContaining({ resourceType: "User" }),
    };
    expect(created.body).toStrictEqual(expected);
    expect((await plain.get(`/Users/${created.body.id}`).expect(200)).body).toStrictEqual(created.body);
  });
});

describe("writes to discovery endpoints", () => {
  const paths = ["/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/User", "/Schemas", `/Schemas/${userUrn}`];
  const cases = paths.flatMap((path) => (["post", "put", "patch", "delete"] as const).map((method) => [method.toUpperCase(), path, method] as const));

  it.each(cases)("%s %s answers 405 with Allow: GET", async (_name, path, method) => {
    const test = rawRequest(app, scim.token, method, path);
    const response = method === "delete" ? await test : await test.set("Content-Type", "application/scim+json").send("{}");
    expectScimError(response, 405);
    expect(response.headers.allow).toBe("GET");
  });

  it("left the discovery documents as they were", async () => {
    expect((await scim.get("/ResourceTypes").expect(200)).body.Resources).toStrictEqual([userResourceType, groupResourceType]);
  });
});

describe("unknown routes", () => {
  it.each([["/scim/v2/Nope"], ["/scim/v3/Users"], ["/nope"], ["/"], ["/scim"]])("GET %s answers a SCIM 404", async (path) => {
    const response = await app.http().get(path).set("Authorization", `Bearer ${scim.token}`);
    expectScimError(response, 404);
  });
});

describeAuthentication([
  { method: "GET", path: "/ServiceProviderConfig" },
  { method: "GET", path: "/ResourceTypes" },
  { method: "GET", path: "/ResourceTypes/User" },
  { method: "GET", path: "/Schemas" },
  { method: "GET", path: `/Schemas/${userUrn}` },
  { method: "GET", path: "/Nope" },
  { method: "DELETE", path: "/Schemas" },
]);
