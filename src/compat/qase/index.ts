import { qaseUserSchema } from "./extension.ts";
import { defineCompatApi } from "../api.ts";
import { qaseApi } from "./openapi.ts";
import { createQaseRouter } from "./router.ts";

// Qase's SCIM 2.0 profile (docs/compat/qase.md): bearer JWTs.
export const api = defineCompatApi({
  name: "qase",
  credential: { kind: "jwt" },
  extensions: [qaseUserSchema],
  router: createQaseRouter,
  openapi: qaseApi,
});
