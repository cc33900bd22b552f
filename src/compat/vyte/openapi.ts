import {
  errorsOf, fromZod, operationsOf, pathParameter, ref, reply, requestBody, type ApiDescription, type JsonSchema, type PathItem,
} from "../../http/openapi/spec.ts";
import {
  batchResult, maxBatchItems, teamCreate, teamUpdate, userRequest, userResult, vyteError, vyteOrganization, vyteTeam, vyteUser,
} from "./contract.ts";

// The Vyte API v2 routes (router.ts), their bodies from contract.ts. Every success is 200 JSON;
// errors are {status, message}.

const operation = operationsOf("vyte", [{ "vyte.apiKey": [] }]);

const errors = errorsOf(ref("vyte.Error"), "application/json", {
  400: "The body does not fit the contract, or a conflict.",
  401: "No API key, or one that is not valid.",
  403: "A read-only key writing, or another organisation named.",
  404: "No such user or team in the organisation.",
  413: "The body is over MAX_BODY_BYTES, or a batch over the item limit.",
});

const body = (schema: JsonSchema) => requestBody(schema, ["application/json"], "Read as JSON whatever the Content-Type.");
const id = pathParameter("id", "The user's or team's 24-hex-digit id.");
const list = (schema: JsonSchema): JsonSchema => ({ type: "array", items: schema });

// §2.5: the items are read one by one, so that a bad item fails alone.
const batch = list(ref("vyte.UserRequest"));
const batchBody: JsonSchema = {
  description: `At most ${maxBatchItems} items. A wrapper's organization applies to the items that name none.`,
  anyOf: [
    { ...batch, minItems: 1, maxItems: maxBatchItems },
    { type: "object", required: ["users"], properties: { organization: { type: "string" }, users: { ...batch, minItems: 1, maxItems: maxBatchItems } } },
  ],
};

function batchOperation(key: string, summary: string) {
  return operation(key, summary, {
    requestBody: body(batchBody),
    responses: { 200: reply("Each item's user, or its error, in order.", ref("vyte.BatchResult")), ...errors(400, 401, 403, 413) },
  });
}

// Teams answer at /v2/teams and at /v2/team.
function teamPaths(path: string, key: string): Record<string, PathItem> {
  return {
    [path]: {
      get: operation(`${key}.list`, "List teams", { responses: { 200: reply("Every team.", list(ref("vyte.Team"))), ...errors(401, 403) } }),
      post: operation(`${key}.create`, "Create a team", {
        requestBody: body(ref("vyte.TeamCreate")),
        responses: { 200: reply("The team created.", ref("vyte.Team")), ...errors(400, 401, 403, 413) },
      }),
    },
    [`${path}/{id}`]: {
      get: operation(`${key}.get`, "Read a team", { parameters: [id], responses: { 200: reply("The team.", ref("vyte.Team")), ...errors(401, 403, 404) } }),
      put: operation(`${key}.update`, "Update a team; members and admins are replaced", {
        parameters: [id],
        requestBody: body(ref("vyte.TeamUpdate")),
        responses: { 200: reply("The team updated.", ref("vyte.Team")), ...errors(400, 401, 403, 404, 413) },
      }),
      delete: operation(`${key}.delete`, "Delete a team", {
        parameters: [id],
        responses: {
          200: reply("Deleted.", { type: "object", properties: { n: { const: 1 }, ok: { const: 1 } } }),
          ...errors(401, 403, 404),
        },
      }),
    },
  };
}

export const vyteApi: ApiDescription = {
  tag: { name: "Vyte", description: "Vyte API v2 users, teams and batches." },
  securitySchemes: {
    "vyte.apiKey": {
      type: "apiKey",
      in: "header",
      name: "Authorization",
      description: "The organisation's key (`npm run token -- --api vyte`), with no scheme; `Bearer <key>` and `apiKey <key>` are read too.",
    },
  },
  schemas: {
    "vyte.UserRequest": fromZod(userRequest, "input"),
    "vyte.User": fromZod(vyteUser),
    "vyte.UserResult": fromZod(userResult),
    "vyte.BatchResult": fromZod(batchResult),
    "vyte.Organization": fromZod(vyteOrganization),
    "vyte.TeamCreate": fromZod(teamCreate, "input"),
    "vyte.TeamUpdate": fromZod(teamUpdate, "input"),
    "vyte.Team": fromZod(vyteTeam),
    "vyte.Error": fromZod(vyteError),
  },
  paths: {
    "/v2/auth/test": {
      get: operation("auth.test", "The key's organisation", {
        responses: { 200: reply("The organisation, with its members' and admins' ids.", ref("vyte.Organization")), ...errors(401) },
      }),
    },
    "/v2/users": {
      get: operation("users.list", "List the organisation's users", { responses: { 200: reply("Every user.", list(ref("vyte.User"))), ...errors(401, 403) } }),
      post: operation("users.upsert", "Create a user, or update the one it names", {
        requestBody: body(ref("vyte.UserRequest")),
        responses: { 200: reply("The user, with the sign-up link when one was asked for.", ref("vyte.UserResult")), ...errors(400, 401, 403, 413) },
      }),
      put: batchOperation("users.batchUpdateAlias", "Update several users (the batch update under its other name)"),
    },
    "/v2/users/batch": {
      post: batchOperation("users.batchUpsert", "Create or update several users"),
      put: batchOperation("users.batchUpdate", "Update several users"),
    },
    "/v2/users/{id}": {
      get: operation("users.get", "Read a user", { parameters: [id], responses: { 200: reply("The user.", ref("vyte.User")), ...errors(401, 403, 404) } }),
      put: operation("users.update", "Update a user (a merge)", {
        parameters: [id],
        requestBody: body(ref("vyte.UserRequest")),
        responses: { 200: reply("The user updated.", ref("vyte.UserResult")), ...errors(400, 401, 403, 404, 413) },
      }),
      delete: operation("users.unlink", "Remove a user from the organisation (deactivates it)", {
        parameters: [id],
        responses: { 200: reply("The organisation, its members abbreviated.", ref("vyte.Organization")), ...errors(401, 403, 404) },
      }),
    },
    ...teamPaths("/v2/teams", "teams"),
    ...teamPaths("/v2/team", "team"),
  },
};
