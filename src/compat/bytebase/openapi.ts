import {
  errorsOf, fromZod, operationsOf, pathParameter, queryParameter, ref, reply, requestBody, type ApiDescription, type JsonSchema,
} from "../../http/openapi/spec.ts";
import {
  bytebaseGroupSchema, bytebaseUserSchema, errorBodySchema, groupInput, listGroupsResponseSchema, listUsersResponseSchema,
  loginInput, loginResponseSchema, userInput,
} from "./contract.ts";

// The Bytebase v1 API's routes (docs/compat/bytebase.md §1.2), its bodies from contract.ts.
// Every success is 200; errors are google.rpc.Status bodies (§3).

const operation = operationsOf("bytebase", [{ "bytebase.bearer": [] }, { "bytebase.cookie": [] }]);

const errors = errorsOf(ref("bytebase.Status"), "application/json", {
  400: "INVALID_ARGUMENT (code 3), or FAILED_PRECONDITION (9).",
  401: "UNAUTHENTICATED (code 16); the message is repeated in WWW-Authenticate.",
  403: "PERMISSION_DENIED (code 7): the token lacks the permission.",
  404: "NOT_FOUND (code 5).",
  409: "ALREADY_EXISTS (code 6): the email or title is taken; ABORTED (10) for other conflicts.",
  429: "RESOURCE_EXHAUSTED (code 8): the body is over MAX_BODY_BYTES.",
});

const json = (schema: JsonSchema) => requestBody(schema, ["application/json"], "Read as JSON whatever the Content-Type; fields by JSON or proto name.");

const user = pathParameter("name", "A uid (users/{uid} without the prefix) or an email.");
const group = pathParameter("name", "The group's email.");
const pages = [
  queryParameter("page_size", "At most this many (also pageSize).", { type: "integer" }),
  queryParameter("page_token", "The previous page's nextPageToken (also pageToken)."),
];
const update = [
  queryParameter("update_mask", "Comma-separated field paths to change (also updateMask); inferred from the body when absent."),
  queryParameter("allow_missing", "true creates the resource when it does not exist (also allowMissing).", { type: "boolean" }),
];

export const bytebaseApi: ApiDescription = {
  tag: { name: "Bytebase", description: "Bytebase v1 users, groups and login (docs/compat/bytebase.md)." },
  securitySchemes: {
    "bytebase.bearer": { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "`npm run token -- --api bytebase`, or the token of POST /v1/auth/login." },
    "bytebase.cookie": { type: "apiKey", in: "cookie", name: "access-token", description: "The same token as the console's cookie." },
  },
  schemas: {
    "bytebase.User": fromZod(bytebaseUserSchema),
    "bytebase.UserInput": fromZod(userInput, "input"),
    "bytebase.Group": fromZod(bytebaseGroupSchema),
    "bytebase.GroupInput": fromZod(groupInput, "input"),
    "bytebase.LoginRequest": fromZod(loginInput, "input"),
    "bytebase.LoginResponse": fromZod(loginResponseSchema),
    "bytebase.ListUsersResponse": fromZod(listUsersResponseSchema),
    "bytebase.ListGroupsResponse": fromZod(listGroupsResponseSchema),
    "bytebase.Status": fromZod(errorBodySchema),
  },
  paths: {
    "/v1/auth/login": {
      post: operation("login", "Sign in with email and password", {
        description: "Needs no token. With web: true, also sets the access-token and user cookies.",
        security: [],
        requestBody: json(ref("bytebase.LoginRequest")),
        responses: { 200: reply("Signed in.", ref("bytebase.LoginResponse")), ...errors(400, 401, 429) },
      }),
    },
    "/v1/users": {
      get: operation("users.list", "List users", {
        parameters: [queryParameter("show_deleted", "Include deactivated users (also showDeleted).", { type: "boolean" }), ...pages],
        responses: { 200: reply("A page of users.", ref("bytebase.ListUsersResponse")), ...errors(400, 401, 403) },
      }),
      post: operation("users.create", "Create a user", {
        description: "email, title and userType (USER or SERVICE_ACCOUNT) are required; a service account's key is in this answer only.",
        requestBody: json(ref("bytebase.UserInput")),
        responses: { 200: reply("The user created.", ref("bytebase.User")), ...errors(400, 401, 403, 409, 429) },
      }),
    },
    "/v1/users/{name}": {
      get: operation("users.get", "Read a user", {
        parameters: [user],
        responses: { 200: reply("The user.", ref("bytebase.User")), ...errors(401, 403, 404) },
      }),
      patch: operation("users.update", "Update a user", {
        parameters: [user, ...update],
        requestBody: json(ref("bytebase.UserInput")),
        responses: { 200: reply("The user updated.", ref("bytebase.User")), ...errors(400, 401, 403, 404, 409, 429) },
      }),
      delete: operation("users.delete", "Deactivate a user", {
        parameters: [user],
        responses: { 200: reply("Deactivated.", { type: "object", maxProperties: 0 }), ...errors(401, 403, 404) },
      }),
    },
    // AIP-136 custom method: the route is /v1/users/{name}, its last segment ending in :undelete.
    "/v1/users/{name}:undelete": {
      post: operation("users.undelete", "Activate a deactivated user", {
        parameters: [user],
        responses: { 200: reply("The user, active.", ref("bytebase.User")), ...errors(400, 401, 403, 404) },
      }),
    },
    "/v1/groups": {
      get: operation("groups.list", "List groups", {
        parameters: pages,
        responses: { 200: reply("A page of groups.", ref("bytebase.ListGroupsResponse")), ...errors(400, 401, 403) },
      }),
      post: operation("groups.create", "Create a group", {
        parameters: [{ ...queryParameter("group_email", "The new group's email (also groupEmail)."), required: true }],
        requestBody: json(ref("bytebase.GroupInput")),
        responses: { 200: reply("The group created.", ref("bytebase.Group")), ...errors(400, 401, 403, 409, 429) },
      }),
    },
    "/v1/groups/{name}": {
      get: operation("groups.get", "Read a group", {
        parameters: [group],
        responses: { 200: reply("The group.", ref("bytebase.Group")), ...errors(401, 403, 404) },
      }),
      patch: operation("groups.update", "Update a group", {
        parameters: [group, ...update],
        requestBody: json(ref("bytebase.GroupInput")),
        responses: { 200: reply("The group updated.", ref("bytebase.Group")), ...errors(400, 401, 403, 404, 409, 429) },
      }),
      delete: operation("groups.delete", "Delete a group", {
        parameters: [group],
        responses: { 200: reply("Deleted.", { type: "object", maxProperties: 0 }), ...errors(401, 403, 404) },
      }),
    },
  },
};
