import type { IssuedKey } from "../../auth/api-keys.ts";
import { expressGatewayUserSchema } from "./extension.ts";
import { defineCompatApi } from "../api.ts";
import { expressGatewayApi } from "./openapi.ts";
import { createExpressGatewayRouter } from "./router.ts";

// Express Gateway's admin API (docs/compat/express-gateway.md): an API key as <id>:<secret>.
export const api = defineCompatApi({
  name: "express-gateway",
  credential: { kind: "key", format: (key: IssuedKey) => `${key.id}:${key.secret}` },
  extensions: [expressGatewayUserSchema],
  router: createExpressGatewayRouter,
  openapi: expressGatewayApi,
});
