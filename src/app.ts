import express, { type Express, type Router } from "express";
import type { Logger } from "pino";
import { adminRouter, type AdminDeps } from "./admin/api.ts";
import { consoleRouter } from "./admin/console.ts";
import { scimErrorRenderer, scimRouteNotFound } from "./http/errors.ts";
import { eventsRouter, type EventsRouterDeps } from "./http/events.ts";
import { requestLog } from "./http/logging.ts";
import { provisioningLog } from "./http/provisioning-log.ts";
import type { Metrics } from "./http/metrics.ts";
import { openApiDocument } from "./http/openapi/document.ts";
import { openApiRouter } from "./http/openapi/router.ts";
import type { ApiDescription } from "./http/openapi/spec.ts";
import { scimRouter, type ScimRouterDeps } from "./http/scim-router.ts";
import type { ProvisioningLogRecorder } from "./provisioning-log/recorder.ts";

export interface MountedCompatApi {
  readonly name: string;
  readonly router: Router;
  readonly openapi: ApiDescription;
}

export interface AppDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly scim: ScimRouterDeps;
  readonly events: EventsRouterDeps;
  // The compat APIs, each mounted at /compat/<name> with its router (which renders its own errors
  // and unknown routes) and described in the API description by its own piece.
  readonly compat: readonly MountedCompatApi[];
  // The provisioning log of /scim/v2 and /compat/* (docs/provisioning-log.md).
  readonly provisioningLog: { readonly recorder: ProvisioningLogRecorder; readonly bodyBytes: number };
  readonly admin: AdminDeps;
  // Called after a request that may have changed something (a write answered with success), so
  // that its change events go out without waiting for delivery's next look (events/delivery.ts).
  readonly changed?: () => void;
  // Whether the database answers, and which committed migrations it lacks.
  readonly readiness: () => Promise<{ readonly reachable: boolean; readonly pendingMigrations?: readonly string[] }>;
}

// The mount table.
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("case sensitive routing", false);
  app.use(deps.metrics.middleware());
  app.use(requestLog(deps.logger));
  const changed = deps.changed;
  if (changed) {
    app.use((req, res, next) => {
      if (req.method !== "GET" && req.method !== "HEAD") res.once("finish", () => res.statusCode < 400 && changed());
      next();
    });
  }

  // Liveness: the process serves HTTP. Readiness: it can serve requests (database and schema).
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const readiness = await deps.readiness();
    if (!readiness.reachable) {
      res.status(503).json({ status: "unavailable", database: "unreachable" });
      return;
    }
    const pending = readiness.pendingMigrations ?? [];
    res.status(pending.length === 0 ? 200 : 503).json({
      status: pending.length === 0 ? "ready" : "unavailable",
      database: "reachable",
      migrations: pending.length === 0 ? "applied" : { pending },
    });
  });
  app.get("/metrics", deps.metrics.handler());
  // GET /openapi.json and the /docs page rendering it; the document is built here, once.
  app.use(openApiRouter(openApiDocument(deps.scim.registry, deps.compat)));

  app.use(["/scim/v2", "/compat"], provisioningLog(deps.provisioningLog.recorder, deps.provisioningLog.bodyBytes));
  app.use("/scim/v2", scimRouter(deps.scim));
  app.use("/events", eventsRouter(deps.events));
  for (const api of deps.compat) app.use(`/compat/${api.name}`, api.router);
  app.use("/admin/v1", adminRouter(deps.admin));
  // The web console at /admin: its page, script and stylesheet; it reads only /admin/v1.
  app.use(consoleRouter());

  app.use(scimRouteNotFound);
  app.use(scimErrorRenderer(deps.logger));
  deps.metrics.learnRoutes(app);
  return app;
}
