import { timingSafeEqual, createHash } from "node:crypto";
import type { Express, RequestHandler } from "express";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Principal } from "../auth/tokens.ts";
import { principalOf } from "./principal.ts";
import { routeMatcher, routesOf } from "./routes.ts";

// Prometheus metrics (prom-client), served at /metrics in the text exposition format: requests
// and their durations by surface, method, route template and status; the time requests wait on
// the database; the process's own metrics (CPU, memory, event loop, GC). Labels take values
// from bounded sets: route templates, not paths; a tenant label only when enabled.

export interface MetricsSettings {
  // The compat APIs mounted at /compat/<name>, each a surface of its own.
  readonly compatSurfaces: readonly string[];
  // Adds the tenant's name as a label of the request counter.
  readonly tenantLabel: boolean;
  // When set, /metrics answers only requests bearing it as a bearer token.
  readonly token?: string | undefined;
}


const methods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export class Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter;
  readonly #durations: Histogram;
  readonly #database: Histogram;
  #route: (path: string) => string | undefined = () => undefined;

  constructor(private readonly settings: MetricsSettings) {
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: "scim_http_requests_total",
      help: "HTTP requests answered, by surface, method, route template and status",
      labelNames: settings.tenantLabel ? ["surface", "method", "route", "status", "tenant"] : ["surface", "method", "route", "status"],
      registers: [this.registry],
    });
    this.#durations = new Histogram({
      name: "scim_http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its response, by surface, method and route template",
      labelNames: ["surface", "method", "route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.#database = new Histogram({
      name: "scim_database_wait_seconds",
      help: "Time a request waited for one database call (a statement, a batch or a transaction), queueing included",
      labelNames: ["operation"],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [this.registry],
    });
  }

  // The route templates come from the app's route tables, read once it is built.
  learnRoutes(app: Express): void {
    this.#route = routeMatcher(routesOf(app));
  }

  observeDatabase(operation: string, seconds: number): void {
    this.#database.observe({ operation }, seconds);
  }

  // Counts every request once its response is finished (or its connection closed).
  middleware(): RequestHandler {
    return (req, res, next) => {
      const started = process.hrtime.bigint();
      res.once("close", () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const path = req.originalUrl.split("?", 1)[0] as string;
        const labels = {
          surface: this.#surfaceOf(path),
          method: methods.has(req.method) ? req.method : "OTHER",
          route: this.#route(path) ?? "unmatched",
        };
        const status = String(res.statusCode);
        if (this.settings.tenantLabel) {
          const principal: Principal | undefined = principalOf(res);
          this.#requests.inc({ ...labels, status, tenant: principal?.tenantName ?? "" });
        } else {
          this.#requests.inc({ ...labels, status });
        }
        this.#durations.observe(labels, seconds);
      });
      next();
    };
  }

  // GET /metrics.
  handler(): RequestHandler {
    const expected = this.settings.token === undefined ? undefined : digest(this.settings.token);
    return async (req, res) => {
      if (expected !== undefined) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
        if (!match || !timingSafeEqual(digest(match[1] as string), expected)) {
          res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').json({ status: 401, error: "A valid metrics bearer token is required" });
          return;
        }
      }
      res.set("Content-Type", this.registry.contentType).send(await this.registry.metrics());
    };
  }

  // scim, a compat API's name, events, admin, ops (health, metrics, the API description) or other.
  #surfaceOf(path: string): string {
    const [, first = "", second = ""] = path.toLowerCase().split("/", 3);
    if (first === "scim") return "scim";
    if (first === "events") return "events";
    if (first === "compat") return this.settings.compatSurfaces.includes(second) ? second : "other";
    if (first === "admin") return "admin";
    return opsPaths.has(first) ? "ops" : "other";
  }
}

const opsPaths = new Set(["healthz", "readyz", "metrics", "openapi.json", "docs"]);

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
