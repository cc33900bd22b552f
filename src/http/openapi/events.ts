import { operationsOf, ref, reply, type ApiDescription } from "./spec.ts";

// The /events route table (http/events.ts, docs/events-api.md).

const operation = operationsOf("events", []);

export const eventsApi: ApiDescription = {
  tag: {
    name: "Events",
    description: "Change events as RFC 9967 security event tokens: the keys that verify the tokens.",
  },
  securitySchemes: {},
  schemas: {
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
    "/events/jwks.json": {
      get: operation("jwks", "The public keys that verify security event tokens (RFC 7517 JWK Set)", {
        responses: { 200: reply("The JWK Set.", ref("events.JwkSet")) },
      }),
    },
  },
};
