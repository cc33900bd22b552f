import { bytebaseGroupSchema, bytebaseUserSchema } from "./extension.ts";
import { defineCompatApi } from "../api.ts";
import { bytebaseApi } from "./openapi.ts";
import { createBytebaseRouter } from "./router.ts";

// Bytebase v1 REST (docs/compat/bytebase.md): bearer JWTs.
export const api = defineCompatApi({
  name: "bytebase",
  credential: { kind: "jwt" },
  extensions: [bytebaseUserSchema, bytebaseGroupSchema],
  router: createBytebaseRouter,
  openapi: bytebaseApi,
});
