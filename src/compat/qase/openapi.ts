import {
  errorsOf, fromZod, operationsOf, pathParameter, queryParameter, ref, reply, requestBody,
  type ApiDescription, type JsonSchema, type Parameter, type PathItem,
} from "../../http/openapi/spec.ts";
import { qaseError, qaseListResponse, qasePatchValues, qaseUser, qaseUserCreate, qaseUserReplace } from "./contract.ts";

// The Qase SCIM profile's routes (router.ts), their bodies from contract.ts. The same routes
// answer under /scim/v2 and under /scim, the base of Qase's documented DELETE URL.

const responseType = "application/scim+json";
const requestTypes = ["application/scim+json", "application/json"];

const errors = errorsOf(ref("qase.Error"), responseType, {
  400: "The body does not fit the profile; a duplicate userName is 400 invalidValue \"... 'not unique'\".",
  401: "No token, or one that is not valid.",
  403: "SCIM is disabled for the workspace, or the token's scope does not allow the request.",
  404: "No user with that Qase id.",
  409: "The workspace owner cannot be deleted, or the user changed while being deleted.",
  413: "The body is over 800000 bytes.",
  415: "The body is not JSON.",
});

const projection: Parameter[] = [
  queryParameter("attributes", "Comma-separated attributes to return."),
  queryParameter("excludedAttributes", "Comma-separated attributes to leave out."),
];
const listParameters: Parameter[] = [
  queryParameter("filter", "RFC 7644 §3.4.2.2 filter; id is the Qase id."),
  queryParameter("sortBy", "Attribute to sort by."),
  queryParameter("sortOrder", "ascending or descending.", { type: "string", enum: ["ascending", "descending"] }),
  queryParameter("startIndex", "1-based index of the first result.", { type: "integer" }),
  queryParameter("count", "Results per page.", { type: "integer", minimum: 0 }),
  ...projection,
];
const id = pathParameter("id", "The user's Qase id (digits).", { type: "string", pattern: "^[0-9]+$" });
const body = (schema: JsonSchema) => requestBody(schema, requestTypes);
const scimReply = (description: string, schema: JsonSchema) => reply(description, schema, responseType);
const location = { Location: { description: "The user's URL.", schema: { type: "string", format: "uri" } } };

// RFC 7644 §3.5.2 restricted to the attributes Qase supports, each path with the value it takes.
// Paths match in any letter case; without a path, the value is an object of those attributes.
const op: JsonSchema = { type: "string", description: "add, replace or remove, in any letter case." };
const patchOp: JsonSchema = {
  type: "object",
  required: ["Operations"],
  properties: {
    schemas: { type: "array", items: { type: "string" } },
    Operations: {
      type: "array",
      minItems: 1,
      items: {
        anyOf: [
          ...Object.entries(qasePatchValues).map(([path, value]) => ({
            type: "object",
            required: ["op", "path"],
            properties: { op, path: { const: path }, value: fromZod(value, "input") },
          })),
          { type: "object", required: ["op"], properties: { op, value: { type: "object" } }, not: { required: ["path"] } },
        ],
      },
    },
  },
};

const discoveryObject = (description: string): JsonSchema => ({ type: "object", description });

function paths(base: string, prefix: string): Record<string, PathItem> {
  const operation = operationsOf(prefix, [{ "qase.bearer": [] }]);
  const discovery = (key: string, summary: string, schema: JsonSchema, parameter?: Parameter): PathItem => ({
    get: operation(key, summary, {
      ...(parameter ? { parameters: [parameter] } : {}),
      responses: { 200: scimReply("Found.", schema), ...errors(401, 403, ...(parameter ? ([404] as const) : [])) },
    }),
  });
  return {
    [`${base}/Users`]: {
      get: operation("users.list", "List users", {
        parameters: listParameters,
        responses: { 200: scimReply("A page of users.", ref("qase.ListResponse")), ...errors(400, 401, 403) },
      }),
      post: operation("users.create", "Create a user", {
        parameters: projection,
        requestBody: body(ref("qase.UserCreate")),
        responses: { 201: reply("The user created.", ref("qase.User"), responseType, location), ...errors(400, 401, 403, 413, 415) },
      }),
    },
    [`${base}/Users/{id}`]: {
      get: operation("users.get", "Read a user", {
        parameters: [id, ...projection],
        responses: { 200: scimReply("The user.", ref("qase.User")), ...errors(401, 403, 404) },
      }),
      put: operation("users.replace", "Replace a user's Qase attributes", {
        parameters: [id, ...projection],
        requestBody: body(ref("qase.UserReplace")),
        responses: { 200: scimReply("The user replaced.", ref("qase.User")), ...errors(400, 401, 403, 404, 413, 415) },
      }),
      patch: operation("users.patch", "Modify a user", {
        parameters: [id, ...projection],
        requestBody: body(ref("qase.PatchOp")),
        responses: { 200: scimReply("The user modified.", ref("qase.User")), ...errors(400, 401, 403, 404, 413, 415) },
      }),
      delete: operation("users.delete", "Delete a user (not the workspace owner)", {
        parameters: [id],
        responses: { 204: reply("Deleted."), ...errors(401, 403, 404, 409) },
      }),
    },
    [`${base}/ServiceProviderConfig`]: discovery("serviceProviderConfig", "The profile's capabilities", discoveryObject("RFC 7643 §5: PATCH and filters, no bulk.")),
    [`${base}/ResourceTypes`]: discovery("resourceTypes", "The profile's resource types (User)", ref("qase.ListResponse")),
    [`${base}/ResourceTypes/{name}`]: discovery("resourceType", "One resource type", discoveryObject("RFC 7643 §6."), pathParameter("name", "User.")),
    [`${base}/Schemas`]: discovery("schemas", "The profile's schemas (User)", ref("qase.ListResponse")),
    [`${base}/Schemas/{urn}`]: discovery("schema", "One schema", discoveryObject("RFC 7643 §7: the User attributes Qase supports."), pathParameter("urn", "The User schema's URN.")),
  };
}

export const qaseApi: ApiDescription = {
  tag: { name: "Qase", description: "Qase's SCIM 2.0 profile: Users only (docs/compat/qase.md)." },
  securitySchemes: {
    "qase.bearer": { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "`npm run token -- --api qase`." },
  },
  schemas: {
    "qase.UserCreate": fromZod(qaseUserCreate, "input"),
    "qase.UserReplace": fromZod(qaseUserReplace, "input"),
    "qase.PatchOp": patchOp,
    "qase.User": fromZod(qaseUser),
    "qase.ListResponse": fromZod(qaseListResponse),
    "qase.Error": fromZod(qaseError),
  },
  paths: { ...paths("/scim/v2", "qase"), ...paths("/scim", "qase.unversioned") },
};
