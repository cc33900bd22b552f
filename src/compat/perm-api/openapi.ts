import {
  errorsOf, fromZod, operationsOf, pathParameter, ref, reply, requestBody, type ApiDescription, type JsonSchema, type Operation, type Parameter,
} from "../../http/openapi/spec.ts";
import { detailError, role, user, userCreateRequest, userUpdateRequest, validationError } from "./contract.ts";

// The "/api/v2/user" + permission-groups routes (router.ts), their bodies from contract.ts, errors
// in Django REST Framework's shapes. Paths are served with or without a trailing slash.

const operation = operationsOf("permApi", [{ "permApi.bearer": [] }]);

const errors = errorsOf(ref("permApi.Detail"), "application/json", {
  401: "No token, or one that is not valid.",
  403: "A read-only token writing.",
  404: "No such user.",
  413: "The body is over MAX_BODY_BYTES.",
  415: "The body is not JSON.",
});
const invalid = {
  400: reply("The body does not fit: messages by field (non_field_errors for the body as a whole), or a detail.", {
    anyOf: [ref("permApi.ValidationError"), ref("permApi.Detail")],
  }),
};

// `groups` is read by a transform JSON Schema cannot see into; this is what it accepts.
const roleIds: JsonSchema = {
  type: "array",
  items: { anyOf: [{ type: "integer" }, { type: "string", pattern: "^\\s*-?\\d+\\s*$" }] },
  description: "Role ids (GET /api/v2/group); they replace the user's roles.",
};
const withRoleIds = (schema: JsonSchema): JsonSchema => ({ ...schema, properties: { ...(schema.properties as object), groups: roleIds } });

const body = (schema: JsonSchema) => requestBody(schema, ["application/json"], "Read as JSON whatever the Content-Type.");
const id = pathParameter("id", "The user's id.");

// DRF's answer to OPTIONS: the view's metadata; Allow lists the methods.
function options(key: string, name: string, parameters: Parameter[] = []): Operation {
  return operation(`${key}.options`, `Describe the ${name} view`, {
    parameters,
    responses: { 200: reply("The view's metadata.", ref("permApi.ViewMetadata")), ...errors(401) },
  });
}

export const permApi: ApiDescription = {
  tag: { name: "perm-api", description: "The /api/v2/user API with permission groups (docs/compat/perm-api.md)." },
  securitySchemes: {
    "permApi.bearer": { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "`npm run token -- --api perm-api`." },
  },
  schemas: {
    "permApi.UserCreate": withRoleIds(fromZod(userCreateRequest, "input")),
    "permApi.UserUpdate": withRoleIds(fromZod(userUpdateRequest, "input")),
    "permApi.User": fromZod(user),
    "permApi.Role": fromZod(role),
    "permApi.Detail": fromZod(detailError),
    "permApi.ValidationError": fromZod(validationError),
    "permApi.ViewMetadata": {
      type: "object",
      properties: { name: { type: "string" }, description: { type: "string" }, renders: { type: "array", items: { type: "string" } }, parses: { type: "array", items: { type: "string" } } },
    },
  },
  paths: {
    "/api/v2/user": {
      get: operation("users.list", "List users", { responses: { 200: reply("Every user.", { type: "array", items: ref("permApi.User") }), ...errors(401, 403) } }),
      post: operation("users.create", "Create a user with its roles", {
        requestBody: body(ref("permApi.UserCreate")),
        responses: { 201: reply("The user created.", ref("permApi.User")), ...invalid, ...errors(401, 403, 413, 415) },
      }),
      options: options("users", "User List"),
    },
    "/api/v2/user/{id}": {
      get: operation("users.get", "Read a user", { parameters: [id], responses: { 200: reply("The user.", ref("permApi.User")), ...errors(401, 403, 404) } }),
      patch: operation("users.update", "Update a user; groups replaces its roles", {
        parameters: [id],
        requestBody: body(ref("permApi.UserUpdate")),
        responses: { 200: reply("The user updated.", ref("permApi.User")), ...invalid, ...errors(401, 403, 404, 413, 415) },
      }),
      delete: operation("users.deactivate", "Deactivate a user (is_active=false)", {
        parameters: [id],
        responses: { 204: reply("Deactivated."), ...errors(401, 403, 404) },
      }),
      options: options("user", "User Instance", [id]),
    },
    "/api/v2/group": {
      get: operation("roles.list", "List roles (permission groups)", {
        responses: { 200: reply("Every role.", { type: "array", items: ref("permApi.Role") }), ...errors(401, 403) },
      }),
      options: options("roles", "Group List"),
    },
  },
};
