import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type request from "supertest";
import { startTestApp, type TestApp } from "../support/app.ts";
import {
  conformsTo, listResponseModel, resourceTypeModel, schemaModel, serviceProviderConfigCore, type SchemaModel,
} from "../support/strict-scim.ts";
import { publicBaseUrl } from "./resource.behaviour.ts";

// Every discovery response held against models written from RFC 7643 §5 - §7 and RFC 9865 §4 with
// unknown keys forbidden, as a strict client library holds it. Our own settings may appear only
// in an extension the response names in "schemas" and /Schemas defines.

const serviceProviderConfigUrn = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
});
afterAll(() => app.close());

// The SCIM API, and the SCIM API Qase's clients speak (docs/compat/qase.md).
type Get = (path: string) => request.Test;
const surfaces: Array<[string, () => Promise<Get>]> = [
  ["/scim/v2", async () => {
    const scim = await app.client();
    return (path) => scim.get(path);
  }],
  ["/scim/v2 for a tenant with every compat API", async () => {
    const scim = await app.client("every-api");
    const { id } = await app.server.tenants.ensure("every-api");
    for (const api of ["bytebase", "vyte", "perm-api", "qase", "express-gateway"]) await app.server.tenants.enableApi(id, api);
    return (path) => scim.get(path);
  }],
  ["/compat/qase/scim/v2", async () => {
    const token = await app.credential("qase");
    return (path) => app.http().get(`/compat/qase/scim/v2${path}`).set("Authorization", `Bearer ${token}`);
  }],
];

describe.each(surfaces)("discovery of %s", (_surface, connect) => {
  let scim: { get: Get };
  let schemas: SchemaModel[];
  beforeAll(async () => {
    scim = { get: await connect() };
    schemas = listResponseModel(schemaModel).parse((await scim.get("/Schemas").expect(200)).body).Resources;
  });

  const schemaNamed = (urn: string) => schemas.find((schema) => schema.id.toLowerCase() === urn.toLowerCase());

  // RFC 7643 §3.3: a message's extension data sits under a URN it lists in "schemas", defined in /Schemas.
  function strictWithExtensions(core: Record<string, z.ZodType>, body: Record<string, unknown>, coreUrn: string): void {
    const listed = body.schemas as string[];
    expect(listed[0]).toBe(coreUrn);
    const extensions = listed.slice(1);
    const model = z.strictObject({
      ...core,
      ...Object.fromEntries(extensions.map((urn) => [urn, z.record(z.string(), z.unknown())])),
    });
    expect(model.safeParse(body).error?.issues ?? []).toStrictEqual([]);
    for (const urn of extensions) {
      const definition = schemaNamed(urn);
      expect(definition, `${urn} is defined in /Schemas`).toBeDefined();
      expect(conformsTo(definition?.attributes ?? [], body[urn], urn)).toStrictEqual([]);
    }
  }

  describe("/ServiceProviderConfig against RFC 7643 §5, RFC 9865 §4 and RFC 9967 §4", () => {
    it("has only the RFC's attributes, and its own settings in an extension /Schemas defines", async () => {
      const body = (await scim.get("/ServiceProviderConfig").expect(200)).body;
      strictWithExtensions(serviceProviderConfigCore, body, serviceProviderConfigUrn);
    });

  });

  describe("/ResourceTypes against RFC 7643 §6", () => {
    it("lists resource types that each parse strictly and name only schemas /Schemas defines", async () => {
      const list = listResponseModel(resourceTypeModel).parse((await scim.get("/ResourceTypes").expect(200)).body);
      expect(list.Resources.length).toBeGreaterThan(0);
      for (const resourceType of list.Resources) {
        const one = resourceTypeModel.parse((await scim.get(`/ResourceTypes/${resourceType.name}`).expect(200)).body);
        expect(one).toStrictEqual(resourceType);
        for (const urn of [resourceType.schema, ...(resourceType.schemaExtensions ?? []).map((extension) => extension.schema)]) {
          expect(schemaNamed(urn), `${urn} is defined in /Schemas`).toBeDefined();
        }
      }
    });
  });

  describe("/Schemas against RFC 7643 §7", () => {
    it("each schema parses strictly, alone as in the list", async () => {
      expect(schemas.length).toBeGreaterThan(0);
      for (const schema of schemas) {
        expect(schemaModel.parse((await scim.get(`/Schemas/${schema.id}`).expect(200)).body)).toStrictEqual(schema);
      }
    });

    it("every schema is used: by a resource type, or named by the ServiceProviderConfig", async () => {
      const resourceTypes = listResponseModel(resourceTypeModel).parse((await scim.get("/ResourceTypes").expect(200)).body).Resources;
      const config = (await scim.get("/ServiceProviderConfig").expect(200)).body;
      const used = new Set([
        ...resourceTypes.flatMap((type) => [type.schema, ...(type.schemaExtensions ?? []).map((extension) => extension.schema)]),
        ...(config.schemas as string[]),
      ].map((urn) => urn.toLowerCase()));
      expect(schemas.map((schema) => schema.id).filter((id) => !used.has(id.toLowerCase()))).toStrictEqual([]);
    });
  });
});

describe("the strict models", () => {
  it("refuse in a ServiceProviderConfig what a strict client refuses", () => {
    const valid = {
      schemas: [serviceProviderConfigUrn],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1, maxPayloadSize: 1 },
      filter: { supported: true, maxResults: 1 },
      changePassword: { supported: true },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [{ type: "oauthbearertoken", name: "n", description: "d" }],
    };
    const model = z.strictObject(serviceProviderConfigCore);
    expect(model.safeParse(valid).success).toBe(true);
    expect(model.safeParse({ ...valid, filter: { ...valid.filter, maxTerms: 64 } }).success).toBe(false);
    expect(model.safeParse({ ...valid, authenticationSchemes: [{ ...valid.authenticationSchemes[0], primary: true }] }).success).toBe(false);
    expect(model.safeParse({ ...valid, pagination: { cursor: true, index: true, maxCursor: 1 } }).success).toBe(false);
    const securityEvents = { asyncRequest: "none", eventUris: ["urn:ietf:params:scim:event:prov:delete"] };
    expect(model.safeParse({ ...valid, securityEvents }).success).toBe(true);
    expect(model.safeParse({ ...valid, securityEvents: { ...securityEvents, asyncRequest: "never" } }).success).toBe(false);
    expect(model.safeParse({ ...valid, securityEvents: { ...securityEvents, eventUris: ["urn:example:event:created"] } }).success).toBe(false);
    expect(model.safeParse({ ...valid, securityEvents: { ...securityEvents, pollEndpoint: "/events/poll" } }).success).toBe(false);
  });

  it("refuse in a Schema what a strict client refuses", () => {
    const attribute = {
      name: "a", type: "string", multiValued: false, description: "", required: false, caseExact: false,
      mutability: "readWrite", returned: "default", uniqueness: "none",
    };
    const schema = (attributes: unknown[]) => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"], id: "urn:x", attributes });
    expect(schemaModel.safeParse(schema([attribute])).success).toBe(true);
    expect(schemaModel.safeParse(schema([{ ...attribute, assigned: { kind: "objectId" } }])).success).toBe(false);
    expect(schemaModel.safeParse(schema([{ ...attribute, mutability: "readwrite" }])).success).toBe(false);
    expect(schemaModel.safeParse(schema([{ ...attribute, type: "reference" }])).success).toBe(false);
    expect(schemaModel.safeParse(schema([{ ...attribute, type: "complex", subAttributes: [{ ...attribute, type: "complex" }] }])).success).toBe(false);
  });
});
