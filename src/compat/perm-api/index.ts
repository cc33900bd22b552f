import { permGroupsGroupSchema, permGroupsUserSchema } from "./extension.ts";
import { defineCompatApi } from "../api.ts";
import { permApi } from "./openapi.ts";
import { createPermApiRouter } from "./router.ts";

// A /api/v2/user API with permission-group roles (docs/compat/perm-api.md): bearer JWTs.
export const api = defineCompatApi({
  name: "perm-api",
  credential: { kind: "jwt" },
  extensions: [permGroupsUserSchema, permGroupsGroupSchema],
  router: createPermApiRouter,
  openapi: permApi,
});
