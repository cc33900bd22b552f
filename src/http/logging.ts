import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { principalOf } from "./principal.ts";

// One structured line per request: the tenant's name and id (on every surface whose
// authentication accepted the caller), method, path (no query string), status, duration.
// Headers and bodies are never logged, so tokens, secrets and passwords never reach the log.
// Probes of health, readiness and metrics are logged at debug level, so that a load balancer
// polling them does not fill the log.
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once("close", () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const path = req.originalUrl.split("?", 1)[0] as string;
      const principal = principalOf(res);
      const line = {
        tenant: principal?.tenantName,
        tenantId: principal?.tenantId,
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 100) / 100,
      };
      if (probes.has(path)) logger.debug(line);
      else logger.info(line);
    });
    next();
  };
}

const probes = new Set(["/healthz", "/readyz", "/metrics"]);
