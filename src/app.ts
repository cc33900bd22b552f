import express, { type Express, type Router } from "express";
import type { CompatSurface } from "./compat/surfaces.ts";
import type { Logger } from "pino";
import { scimErrorRenderer, scimRouteNotFound } from "./http/errors.ts";
import { requestLog } from "./http/logging.ts";
import { scimRouter, type ScimRouterDeps } from "./http/scim-router.ts";

export interface AppDeps {
  readonly logger: Logger;
  readonly scim: ScimRouterDeps;
  // One router per compat API; each renders its own errors and unknown routes.
  readonly compat: Readonly<Record<CompatSurface, Router>>;
  // Reports whether the database answers.
  readonly databaseReachable: () => Promise<boolean>;
}

// The mount table.
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("case sensitive routing", false);
  app.use(requestLog(deps.logger));

  app.get("/healthz", async (_req, res) => {
    const database = await deps.databaseReachable();
    res.status(database ? 200 : 503).json({ status: database ? "ok" : "unavailable", database: database ? "reachable" : "unreachable" });
  });
  app.use("/scim/v2", scimRouter(deps.scim));
  app.use("/compat/bytebase", deps.compat.bytebase);
  app.use("/compat/vyte", deps.compat.vyte);
  app.use("/compat/perm-api", deps.compat["perm-api"]);
  app.use("/compat/qase", deps.compat.qase);
  app.use("/compat/express-gateway", deps.compat["express-gateway"]);

  app.use(scimRouteNotFound);
  app.use(scimErrorRenderer(deps.logger));
  return app;
}
