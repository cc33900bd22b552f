import type { SchemaRegistry } from "../../scim/schema/registry.ts";
import type { ResourceTypeDefinition, SchemaDefinition } from "../../scim/schema/types.ts";
import { listResponse, scimMessages } from "./scim-messages.ts";
import { jsonSchemaOf, resourceSchemaOf } from "./scim-schema.ts";
import {
  errorsOf, headerParameter, operationsOf, pathParameter, queryParameter, ref, reply, requestBody,
  type ApiDescription, type Header, type JsonSchema, type Parameter, type PathItem,
} from "./spec.ts";

// The /scim/v2 route table (RFC 7644), its resource bodies derived from the schema registry.

const responseType = "application/scim+json";
const requestTypes = ["application/scim+json", "application/json"];
const operation = operationsOf("scim", [{ "scim.bearer": [] }]);

const errors = errorsOf(ref("scim.Error"), responseType, {
  400: "The request is not valid; scimType names the problem (invalidFilter, invalidSyntax, invalidValue, invalidPath, noTarget, mutability, invalidCursor, ...).",
  401: "No bearer token, or one that is not valid; with WWW-Authenticate.",
  403: "The token's scope does not allow the request (writes need scim:write).",
  404: "No such resource in the token's tenant.",
  409: "A uniqueness conflict (userName, group displayName), or an unresolvable bulkId.",
  412: "If-Match names a version the resource no longer has.",
  413: "The body is larger than the server accepts.",
  415: "The body is not JSON.",
  501: "The token acts for no user (issue it with --subject).",
});

// RFC 7644 §3.4.2 (with RFC 9865 cursors); §3.9 projection.
const projection: Parameter[] = [
  queryParameter("attributes", "Comma-separated attribute paths to return (RFC 7644 §3.9)."),
  queryParameter("excludedAttributes", "Comma-separated attribute paths to leave out (RFC 7644 §3.9)."),
];
const listParameters: Parameter[] = [
  queryParameter("filter", "RFC 7644 §3.4.2.2 filter, e.g. userName eq \"bjensen\"."),
  queryParameter("sortBy", "Attribute path to sort by (RFC 7644 §3.4.2.3)."),
  queryParameter("sortOrder", "ascending (default) or descending.", { type: "string", enum: ["ascending", "descending"] }),
  queryParameter("startIndex", "1-based index of the first result (RFC 7644 §3.4.2.4).", { type: "integer" }),
  queryParameter("count", "Results per page, at most MAX_PAGE_SIZE; 0 gives only totalResults.", { type: "integer", minimum: 0 }),
  queryParameter("cursor", "RFC 9865 cursor: empty for the first page, then the previous page's nextCursor."),
  ...projection,
];
const ifMatch = headerParameter("If-Match", "The version (ETag) the write expects; 412 when the resource has another (RFC 7644 §3.14).");
const ifNoneMatch = headerParameter("If-None-Match", "A version (ETag); 304 when the resource still has it.");
const prefer = headerParameter("Prefer", "return=minimal answers 204, return=representation 200 with the resource (RFC 7240).");

const etag = { ETag: { description: "The resource's version, a weak entity tag (RFC 7644 §3.14).", schema: { type: "string" } } };
const location = { Location: { description: "The URL of the resource created.", schema: { type: "string", format: "uri" } } };
const preferenceApplied = { "Preference-Applied": { description: "return=minimal or return=representation.", schema: { type: "string" } } };

const scimBody = (schema: JsonSchema) => requestBody(schema, requestTypes);
const scimReply = (description: string, schema?: JsonSchema, headers?: Readonly<Record<string, Header>>) => reply(description, schema, responseType, headers);

// GET (one), PUT, PATCH, DELETE of a resource: at /{endpoint}/{id}, and for Users at /Me, where
// the token names the User.
function resourceOperations(name: string, key: string, resource: JsonSchema, me: boolean): PathItem {
  const id = me ? [] : [pathParameter("id", `The ${name}'s id.`)];
  const forMe = me ? errors(501) : {};
  return {
    get: operation(`${key}.get`, me ? "The User the token acts for (RFC 7644 §3.11)" : `Read a ${name} (RFC 7644 §3.4.1)`, {
      parameters: [...id, ...projection, ifNoneMatch],
      responses: {
        200: scimReply(`The ${name}.`, resource, etag),
        304: reply("Not modified: If-None-Match names the current version."),
        ...errors(400, 401, 403, 404),
        ...forMe,
      },
    }),
    put: operation(`${key}.replace`, `Replace a ${name} (RFC 7644 §3.5.1)`, {
      parameters: [...id, ...projection, ifMatch],
      requestBody: scimBody(resource),
      responses: { 200: scimReply(`The ${name} as replaced.`, resource, etag), ...errors(400, 401, 403, 404, 409, 412, 413, 415), ...forMe },
    }),
    patch: operation(`${key}.patch`, `Modify a ${name} (RFC 7644 §3.5.2)`, {
      description: "The operations apply all or nothing. Without Prefer, the tenant's default answer applies.",
      parameters: [...id, ...projection, ifMatch, prefer],
      requestBody: scimBody(ref("scim.PatchOp")),
      responses: {
        200: scimReply(`The ${name} as modified.`, resource, { ...etag, ...preferenceApplied }),
        204: reply("Modified (Prefer: return=minimal).", undefined, undefined, { ...etag, ...preferenceApplied }),
        ...errors(400, 401, 403, 404, 409, 412, 413, 415),
        ...forMe,
      },
    }),
    delete: operation(`${key}.delete`, `Delete a ${name} (RFC 7644 §3.6)`, {
      parameters: [...id, ifMatch],
      responses: { 204: reply("Deleted."), ...errors(401, 403, 404, 412), ...forMe },
    }),
  };
}

// One resource type's endpoints: list and create, .search, and the resource itself.
function resourcePaths({ name, endpoint }: ResourceTypeDefinition): Record<string, PathItem> {
  const key = endpoint.slice(1);
  const resource = ref(`scim.${name}`);
  const list = ref(`scim.${name}ListResponse`);
  return {
    [endpoint]: {
      get: operation(`${key}.list`, `List ${key} (RFC 7644 §3.4.2)`, {
        parameters: listParameters,
        responses: { 200: scimReply(`A page of ${key}.`, list), ...errors(400, 401, 403) },
      }),
      post: operation(`${key}.create`, `Create a ${name} (RFC 7644 §3.3)`, {
        parameters: projection,
        requestBody: scimBody(resource),
        responses: { 201: scimReply(`The ${name} created.`, resource, { ...etag, ...location }), ...errors(400, 401, 403, 409, 413, 415) },
      }),
    },
    [`${endpoint}/.search`]: {
      post: operation(`${key}.search`, `Search ${key} (RFC 7644 §3.4.3)`, {
        description: "Needs only scim:read.",
        requestBody: scimBody(ref("scim.SearchRequest")),
        responses: { 200: scimReply(`A page of ${key}.`, list), ...errors(400, 401, 403, 413, 415) },
      }),
    },
    [`${endpoint}/{id}`]: resourceOperations(name, key, resource, false),
  };
}

// RFC 7644 §4: read-only, the same for every tenant.
function discovery(key: string, summary: string, schema: JsonSchema, parameter?: Parameter): PathItem {
  return {
    get: operation(key, summary, {
      ...(parameter ? { parameters: [parameter] } : {}),
      responses: { 200: scimReply("Found.", schema), ...errors(401, 403, ...(parameter ? ([404] as const) : [])) },
    }),
  };
}

function schemaOf(registry: SchemaRegistry, urn: string): SchemaDefinition {
  const schema = registry.schemaById(urn);
  if (!schema) throw new Error(`the registry has no schema ${urn}`);
  return schema;
}

// RFC 7644 §3-§4: every /scim/v2 route. Resource bodies come from the registry's schemas.
export function scimApi(registry: SchemaRegistry): ApiDescription {
  const resourceTypes = registry.resourceTypes();
  const extensionUrns = new Set(resourceTypes.flatMap((type) => type.schemaExtensions.map(({ schema }) => schema)));
  const extensions = [...extensionUrns].map((urn) => schemaOf(registry, urn));
  const extensionRef = (urn: string) => ref(`scim.${schemaOf(registry, urn).name}`);

  return {
    tag: { name: "SCIM", description: "SCIM 2.0 (RFC 7643, RFC 7644) at /scim/v2, tenant-scoped by the bearer token." },
    securitySchemes: {
      "scim.bearer": {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description: "A token from `npm run token -- --tenant <name>`; scim:read reads, scim:write writes. It names the tenant.",
      },
    },
    schemas: {
      ...Object.fromEntries(
        resourceTypes.flatMap((type) => [
          [`scim.${type.name}`, resourceSchemaOf(type, schemaOf(registry, type.schema), extensionRef)],
          [`scim.${type.name}ListResponse`, listResponse(ref(`scim.${type.name}`))],
        ]),
      ),
      ...Object.fromEntries(extensions.map((schema) => [`scim.${schema.name}`, jsonSchemaOf(schema)])),
      "scim.ListResponse": listResponse({ anyOf: resourceTypes.map((type) => ref(`scim.${type.name}`)) }),
      ...scimMessages,
    },
    paths: {
      ...Object.fromEntries(resourceTypes.flatMap((type) => Object.entries(resourcePaths(type)))),
      "/Me": resourceOperations("User", "Me", ref("scim.User"), true),
      "/.search": {
        post: operation("search", "Search every resource type (RFC 7644 §3.4.3)", {
          description: "Users first, then Groups; cursors are not offered here.",
          requestBody: scimBody(ref("scim.SearchRequest")),
          responses: { 200: scimReply("A page of resources.", ref("scim.ListResponse")), ...errors(400, 401, 403, 413, 415) },
        }),
      },
      "/Bulk": {
        post: operation("bulk", "Run several operations (RFC 7644 §3.7)", {
          description: "Answers 200 whatever the operations' outcomes; each has its own status. BULK_MAX_OPERATIONS and BULK_MAX_PAYLOAD_BYTES apply.",
          requestBody: scimBody(ref("scim.BulkRequest")),
          responses: { 200: scimReply("The outcome of each operation.", ref("scim.BulkResponse")), ...errors(400, 401, 403, 413, 415) },
        }),
      },
      "/ServiceProviderConfig": discovery("serviceProviderConfig", "The server's capabilities (RFC 7644 §4)", ref("scim.ServiceProviderConfig")),
      "/serviceConfiguration": discovery("serviceConfiguration", "The server's capabilities, at the path Microsoft's reference clients ask", ref("scim.ServiceProviderConfig")),
      "/ResourceTypes": discovery("resourceTypes", "Every resource type (RFC 7644 §4)", listResponse(ref("scim.ResourceType"))),
      "/ResourceTypes/{name}": discovery("resourceType", "One resource type", ref("scim.ResourceType"), pathParameter("name", "User or Group.")),
      "/Schemas": discovery("schemas", "Every schema (RFC 7644 §4)", listResponse(ref("scim.Schema"))),
      "/Schemas/{urn}": discovery("schema", "One schema", ref("scim.Schema"), pathParameter("urn", "The schema's URN.")),
    },
  };
}
