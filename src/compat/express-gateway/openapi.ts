import {
  errorsOf, fromZod, operationsOf, pathParameter, ref, reply, requestBody, type ApiDescription, type JsonSchema, type Parameter,
} from "../../http/openapi/spec.ts";
import {
  defaultRequiredProperties, egErrorBodySchema, egStatusSchema, egUserListSchema, egUserSchema, listQuerySchema, userModel,
} from "./contract.ts";

// The Express Gateway Admin API's /users routes (router.ts), their bodies from contract.ts (the
// user model's table and the response schemas). Error bodies are plain text.

const operation = operationsOf("expressGateway", [{ "expressGateway.apiKey": [] }, { "expressGateway.apiKeyQuery": [] }]);

const errors = errorsOf(ref("expressGateway.Error"), "text/plain", {
  400: "Validation, query or JSON errors when the tenant sets express-gateway.strictUpstreamStatus=false.",
  401: "Unauthorized: no valid key.",
  403: "Forbidden: a read-only key writing.",
  404: "User not found: <param>.",
  409: "username already exists.",
  413: "The body is too large, when the tenant sets express-gateway.strictUpstreamStatus=false.",
  500: "Validation, query and JSON errors as upstream answers them (ajv's message), and unexpected errors.",
});

// The user model: every property a string (numbers, booleans and null are coerced, as ajv 6's
// coerceTypes does), two with a format.
const modelProperties = Object.fromEntries(
  Object.entries(userModel).map(([name, rule]): [string, JsonSchema] => [name, { type: "string", ...("format" in rule ? { format: rule.format } : {}) }]),
);

const listQueryWords: Record<string, string> = {
  start: "Users to skip: 0, then the previous page's nextKey.",
  count: "At most this many users (default 100).",
};
const listParameters: Parameter[] = Object.entries((fromZod(listQuerySchema, "input").properties ?? {}) as Record<string, JsonSchema>).map(
  ([name, schema]) => ({ name, in: "query", description: listQueryWords[name] ?? name, schema }),
);

const body = (schema: JsonSchema) => requestBody(schema, ["application/json"], "Read as JSON whatever the Content-Type.");
const user = pathParameter("idOrUsername", "The user's id or username.");
const status = operation("users.status", "Activate or deactivate a user", {
  description: "status true activates; anything else deactivates. PUT and DELETE do the same.",
  parameters: [user],
  requestBody: body({ type: "object", properties: { status: { type: "boolean" } } }),
  responses: { 200: reply("Activated or Deactivated; Active or Inactive when nothing changed.", ref("expressGateway.Status")), ...errors(401, 403, 404) },
});

export const expressGatewayApi: ApiDescription = {
  tag: { name: "Express Gateway", description: "The Express Gateway Admin API's /users (docs/compat/express-gateway.md)." },
  securitySchemes: {
    "expressGateway.apiKey": {
      type: "apiKey",
      in: "header",
      name: "Authorization",
      description: "`apiKey <keyId>:<keySecret>` (`npm run token -- --api express-gateway`).",
    },
    "expressGateway.apiKeyQuery": { type: "apiKey", in: "query", name: "apiKey", description: "The same key as `<keyId>:<keySecret>`." },
  },
  schemas: {
    "expressGateway.UserCreate": {
      type: "object",
      properties: modelProperties,
      required: [...defaultRequiredProperties],
      description: "Other keys are ignored. The tenant option express-gateway.requiredProperties changes which properties are required.",
    },
    "expressGateway.UserUpdate": {
      type: "object",
      properties: modelProperties,
      additionalProperties: false,
      description: "Any subset of the model; username is ignored, formats are not checked.",
    },
    "expressGateway.User": fromZod(egUserSchema),
    "expressGateway.UserList": fromZod(egUserListSchema),
    "expressGateway.Status": fromZod(egStatusSchema),
    "expressGateway.Error": fromZod(egErrorBodySchema),
  },
  paths: {
    "/users": {
      get: operation("users.list", "List users", {
        parameters: listParameters,
        responses: { 200: reply("A page of users; nextKey is 0 on the last page.", ref("expressGateway.UserList")), ...errors(400, 401, 403, 500) },
      }),
      post: operation("users.create", "Create a user", {
        requestBody: body(ref("expressGateway.UserCreate")),
        responses: { 200: reply("The user created.", ref("expressGateway.User")), ...errors(400, 401, 403, 409, 413, 500) },
      }),
    },
    "/users/{idOrUsername}": {
      get: operation("users.get", "Read a user", {
        parameters: [user],
        responses: { 200: reply("The user.", ref("expressGateway.User")), ...errors(401, 403, 404) },
      }),
      put: operation("users.update", "Update a user (a merge)", {
        parameters: [user],
        requestBody: body(ref("expressGateway.UserUpdate")),
        responses: { 200: reply("The user updated.", ref("expressGateway.User")), ...errors(400, 401, 403, 404, 413, 500) },
      }),
      delete: operation("users.delete", "Delete a user", {
        parameters: [user],
        responses: { 204: reply("Deleted."), ...errors(401, 403, 404) },
      }),
    },
    "/users/{idOrUsername}/status": {
      put: status,
      delete: { ...status, operationId: "expressGateway.users.statusByDelete" },
    },
  },
};
