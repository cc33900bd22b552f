import { scimTypeStatus } from "../../scim/errors.ts";
import { searchRequest } from "../../scim/search.ts";
import { serverLimitsUrn } from "../../scim/schema/server-limits.ts";
import { bulkRequestUrn, bulkResponseUrn, errorUrn, listResponseUrn, patchOpUrn } from "../../scim/schema/urns.ts";
import { fromZod, ref, type JsonSchema } from "./spec.ts";

// The messages of RFC 7644 §3 and the discovery resources of RFC 7643 §5-§7, which are the same
// whatever the registry holds.

const urnList = (urn: string): JsonSchema => ({ type: "array", items: { type: "string" }, examples: [[urn]] });

// RFC 7644 §3.4.2: a page of resources.
export function listResponse(resources: JsonSchema): JsonSchema {
  return {
    type: "object",
    required: ["schemas", "totalResults", "Resources"],
    properties: {
      schemas: urnList(listResponseUrn),
      totalResults: { type: "integer", minimum: 0 },
      startIndex: { type: "integer", minimum: 1, description: "Absent with cursor pagination." },
      itemsPerPage: { type: "integer", minimum: 0 },
      nextCursor: { type: "string", description: "RFC 9865: the next page's cursor; absent on the last page." },
      Resources: { type: "array", items: resources },
    },
  };
}

// RFC 7644 §3.12
const errorSchema: JsonSchema = {
  type: "object",
  required: ["schemas", "status", "detail"],
  properties: {
    schemas: urnList(errorUrn),
    status: { type: "string", pattern: "^[0-9]{3}$", description: "The HTTP status, as a string." },
    scimType: { type: "string", enum: Object.keys(scimTypeStatus) },
    detail: { type: "string" },
  },
};

// RFC 7644 §3.5.2
const patchOpSchema: JsonSchema = {
  type: "object",
  required: ["Operations"],
  properties: {
    schemas: urnList(patchOpUrn),
    Operations: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["op"],
        properties: {
          op: { type: "string", description: "add, remove or replace, in any letter case.", examples: ["add", "remove", "replace"] },
          path: { type: ["string", "null"], description: "An attribute path, possibly with a value filter: emails[type eq \"work\"].value." },
          value: { description: "The value to add or replace with; without a path, an object of attributes." },
        },
      },
    },
  },
};

// RFC 7644 §3.7
const bulkRequestSchema: JsonSchema = {
  type: "object",
  required: ["Operations"],
  properties: {
    schemas: urnList(bulkRequestUrn),
    failOnErrors: { type: "integer", minimum: 1, description: "Stop after this many failed operations." },
    Operations: {
      type: "array",
      items: {
        type: "object",
        required: ["method", "path"],
        properties: {
          method: { type: "string", enum: ["POST", "PUT", "PATCH", "DELETE"] },
          bulkId: { type: "string", description: "Names the resource a POST creates; other operations refer to it as bulkId:<id>." },
          version: { type: "string", description: "The version the operation expects (as If-Match)." },
          path: { type: "string", examples: ["/Users", "/Groups/bulkId:qwerty"] },
          data: { description: "The operation's body: a resource, or a PatchOp for PATCH." },
        },
      },
    },
  },
};

const bulkResponseSchema: JsonSchema = {
  type: "object",
  required: ["schemas", "Operations"],
  properties: {
    schemas: urnList(bulkResponseUrn),
    Operations: {
      type: "array",
      items: {
        type: "object",
        required: ["method", "status"],
        properties: {
          method: { type: "string", enum: ["POST", "PUT", "PATCH", "DELETE"] },
          bulkId: { type: "string" },
          version: { type: "string" },
          location: { type: "string", format: "uri" },
          status: { type: "string", pattern: "^[0-9]{3}$" },
          response: { description: "An Error for a failed operation." },
        },
      },
    },
  },
};

const meta = (resourceType: string): JsonSchema => ({
  type: "object",
  properties: { resourceType: { const: resourceType }, location: { type: "string", format: "uri" } },
});

// RFC 7643 §5
const serviceProviderConfigSchema: JsonSchema = {
  type: "object",
  properties: {
    schemas: urnList("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"),
    documentationUri: { type: "string", format: "uri" },
    patch: { type: "object", properties: { supported: { type: "boolean" } } },
    bulk: {
      type: "object",
      properties: { supported: { type: "boolean" }, maxOperations: { type: "integer" }, maxPayloadSize: { type: "integer" } },
    },
    filter: { type: "object", properties: { supported: { type: "boolean" }, maxResults: { type: "integer" } } },
    pagination: {
      type: "object",
      description: "RFC 9865 §4.",
      properties: {
        cursor: { type: "boolean" }, index: { type: "boolean" }, defaultPaginationMethod: { type: "string", enum: ["cursor", "index"] },
        defaultPageSize: { type: "integer" }, maxPageSize: { type: "integer" },
      },
    },
    changePassword: { type: "object", properties: { supported: { type: "boolean" } } },
    sort: { type: "object", properties: { supported: { type: "boolean" } } },
    etag: { type: "object", properties: { supported: { type: "boolean" } } },
    authenticationSchemes: {
      type: "array",
      items: {
        type: "object",
        properties: {
          type: { type: "string" }, name: { type: "string" }, description: { type: "string" },
          specUri: { type: "string", format: "uri" }, documentationUri: { type: "string", format: "uri" },
        },
      },
    },
    securityEvents: {
      type: "object",
      description: "RFC 9967 §4: asynchronous requests, and the event URIs of the security event tokens the server issues.",
      properties: {
        asyncRequest: { type: "string", enum: ["none", "long", "request"] },
        eventUris: { type: "array", items: { type: "string" } },
      },
    },
    [serverLimitsUrn]: {
      type: "object",
      description: "This server's own extension (listed under /Schemas): the limits it applies to a filter.",
      properties: {
        filter: {
          type: "object",
          properties: { maxLength: { type: "integer" }, maxDepth: { type: "integer" }, maxTerms: { type: "integer" } },
        },
      },
    },
    meta: meta("ServiceProviderConfig"),
  },
};

// RFC 7643 §6
const resourceTypeSchema: JsonSchema = {
  type: "object",
  properties: {
    schemas: urnList("urn:ietf:params:scim:schemas:core:2.0:ResourceType"),
    id: { type: "string" },
    name: { type: "string" },
    endpoint: { type: "string" },
    description: { type: "string" },
    schema: { type: "string" },
    schemaExtensions: {
      type: "array",
      items: { type: "object", properties: { schema: { type: "string" }, required: { type: "boolean" } } },
    },
    meta: meta("ResourceType"),
  },
};

// RFC 7643 §7
const schemaAttributeSchema: JsonSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    type: { type: "string", enum: ["string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex"] },
    multiValued: { type: "boolean" },
    description: { type: "string" },
    required: { type: "boolean" },
    canonicalValues: { type: "array", items: { type: "string" } },
    caseExact: { type: "boolean" },
    mutability: { type: "string", enum: ["readOnly", "readWrite", "immutable", "writeOnly"] },
    returned: { type: "string", enum: ["always", "never", "default", "request"] },
    uniqueness: { type: "string", enum: ["none", "server", "global"] },
    referenceTypes: { type: "array", items: { type: "string" } },
    subAttributes: { type: "array", items: ref("scim.SchemaAttribute") },
  },
};

const schemaResourceSchema: JsonSchema = {
  type: "object",
  properties: {
    schemas: urnList("urn:ietf:params:scim:schemas:core:2.0:Schema"),
    id: { type: "string" },
    name: { type: "string" },
    description: { type: "string" },
    attributes: { type: "array", items: ref("scim.SchemaAttribute") },
    meta: meta("Schema"),
  },
};

// By component name.
export const scimMessages: Readonly<Record<string, JsonSchema>> = {
  "scim.SearchRequest": fromZod(searchRequest, "input"),
  "scim.PatchOp": patchOpSchema,
  "scim.BulkRequest": bulkRequestSchema,
  "scim.BulkResponse": bulkResponseSchema,
  "scim.Error": errorSchema,
  "scim.ServiceProviderConfig": serviceProviderConfigSchema,
  "scim.ResourceType": resourceTypeSchema,
  "scim.Schema": schemaResourceSchema,
  "scim.SchemaAttribute": schemaAttributeSchema,
};
