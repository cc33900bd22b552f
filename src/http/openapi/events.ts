import { eventTypes } from "../../events/catalogue.ts";
import { pollRequest } from "../../events/poll.ts";
import { pageLimits } from "../../events/pull.ts";
import { errorsOf, fromZod, operationsOf, queryParameter, ref, reply, requestBody, type ApiDescription } from "./spec.ts";

// The /events route table (http/events.ts, docs/events-api.md).

const operation = operationsOf("events", [{ "scim.bearer": [] }]);

const pageErrors = errorsOf(ref("scim.Error"), "application/scim+json", {
  400: "A parameter is not valid: scimType invalidCursor (a cursor this server did not give, or another tenant's) or invalidValue (limit, types).",
  401: "No bearer token, or one that is not valid; with WWW-Authenticate.",
  403: "The token has neither scim:read nor scim:write.",
});

const pollErrors = errorsOf(ref("events.SetError"), "application/json", {
  400: "The poll request is not valid, or the tenant has several poll subscriptions and the request names none.",
  401: "No bearer token, or one that is not valid; with WWW-Authenticate.",
  403: "The token has neither scim:read nor scim:write.",
  404: "No poll subscription of the token's tenant with that id (or none at all).",
});

export const eventsApi: ApiDescription = {
  tag: {
    name: "Events",
    description: "A tenant's change events: read in pages, or as RFC 9967 security event tokens polled as RFC 8936 says; and the keys that verify the tokens.",
  },
  securitySchemes: {},
  schemas: {
    "events.Event": {
      type: "object",
      required: ["id", "type", "tenant", "sequence", "occurredAt", "resource", "data"],
      properties: {
        id: { type: "string" },
        type: { type: "string", enum: [...eventTypes] },
        tenant: { type: "string" },
        sequence: { type: "integer", description: "Per tenant, increasing in the order changes were committed." },
        occurredAt: { type: "string", format: "date-time" },
        resource: {
          type: "object",
          required: ["type", "id", "externalId", "version"],
          properties: {
            type: { type: "string", enum: ["User", "Group"] },
            id: { type: "string" },
            externalId: { type: ["string", "null"] },
            version: { type: "integer", description: "The version after the change; its ETag is W/\"<version>\"." },
          },
        },
        data: { type: "object", description: "The resource as a GET returns it (a group without its members); for a deletion, as it last was." },
        changed: { type: "array", items: { type: "string" }, description: "Updates: the attribute paths that changed." },
        previous: { type: "object", description: "Updates: the former values of the paths that changed." },
        member: {
          type: "object",
          required: ["value", "type"],
          properties: { value: { type: "string" }, type: { type: "string", enum: ["User", "Group"] } },
        },
      },
    },
    "events.Page": {
      type: "object",
      required: ["data", "nextCursor"],
      properties: {
        data: { type: "array", items: ref("events.Event") },
        nextCursor: { type: "string", description: "Where to read on from; the request's own cursor when there was nothing new." },
      },
    },
    "events.PollRequest": fromZod(pollRequest, "input"),
    "events.PollResponse": {
      type: "object",
      required: ["sets", "moreAvailable"],
      properties: {
        sets: { type: "object", additionalProperties: { type: "string" }, description: "Each SET (a compact JWS) under its jti." },
        moreAvailable: { type: "boolean" },
      },
    },
    "events.SetError": {
      type: "object",
      required: ["err", "description"],
      properties: { err: { type: "string", examples: ["invalid_request", "authentication_failed", "access_denied"] }, description: { type: "string" } },
    },
    "events.JwkSet": {
      type: "object",
      required: ["keys"],
      properties: {
        keys: {
          type: "array",
          items: {
            type: "object",
            required: ["kty", "crv", "x", "y", "use", "alg", "kid"],
            properties: {
              kty: { type: "string", const: "EC" },
              crv: { type: "string", const: "P-256" },
              x: { type: "string" },
              y: { type: "string" },
              use: { type: "string", const: "sig" },
              alg: { type: "string", const: "ES256" },
              kid: { type: "string", description: "The key's RFC 7638 thumbprint, as the tokens' kid header names it." },
            },
          },
        },
      },
    },
  },
  paths: {
    "/events": {
      get: operation("list", "Read the tenant's change events in order, a page at a time", {
        description: "Events are kept for the retention period. Start without a cursor; keep the last nextCursor and read on from it.",
        parameters: [
          queryParameter("after", "The nextCursor of the previous page; without it, the page starts at the oldest event kept."),
          queryParameter("limit", `Events per page, 1 to ${pageLimits.max} (default ${pageLimits.default}).`, { type: "integer", minimum: 1, maximum: pageLimits.max }),
          queryParameter("types", "Comma-separated event types to read, the others being skipped.", { type: "string", examples: ["user.created,user.deleted"] }),
        ],
        responses: { 200: reply("A page of events.", ref("events.Page")), ...pageErrors(400, 401, 403) },
      }),
    },
    "/events/poll": {
      post: operation("poll", "Poll a subscription's security event tokens (RFC 8936)", {
        description:
          "Acknowledges (ack) and reports invalid (setErrs) SETs handed out before, then hands out those not yet acknowledged and new ones. Without returnImmediately, waits for an event up to EVENTS_POLL_WAIT_SECONDS.",
        parameters: [queryParameter("subscription", "The poll subscription's id; may be left out when the tenant has one poll subscription.")],
        requestBody: requestBody(ref("events.PollRequest"), ["application/json"]),
        responses: { 200: reply("The SETs handed out.", ref("events.PollResponse")), ...pollErrors(400, 401, 403, 404) },
      }),
    },
    "/events/jwks.json": {
      get: operation("jwks", "The public keys that verify security event tokens (RFC 7517 JWK Set)", {
        security: [],
        responses: { 200: reply("The JWK Set.", ref("events.JwkSet")) },
      }),
    },
  },
};
