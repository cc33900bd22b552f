import express, { type Express } from "express";
import type { Logger } from "pino";
import { scimErrorRenderer, scimRouteNotFound } from "./http/errors.ts";
import { requestLog } from "./http/logging.ts";
import { scimRouter, type ScimRouterDeps } from "./http/scim-router.ts";

export interface AppDeps {
  readonly logger: Logger;
  readonly scim: ScimRouterDeps;
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

  app.use(scimRouteNotFound);
  app.use(scimErrorRenderer(deps.logger));
  return app;
}
