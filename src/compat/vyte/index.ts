import type { IssuedKey } from "../../auth/api-keys.ts";
import { vyteGroupSchema, vyteUserSchema } from "./extension.ts";
import { defineCompatApi } from "../api.ts";
import { vyteApi } from "./openapi.ts";
import { createVyteRouter } from "./router.ts";

// Vyte API v2 (docs/compat/vyte.md): a bare API key, its id then its secret.
export const api = defineCompatApi({
  name: "vyte",
  credential: { kind: "key", format: (key: IssuedKey) => `${key.id}${key.secret}` },
  extensions: [vyteUserSchema, vyteGroupSchema],
  router: createVyteRouter,
  openapi: vyteApi,
});
