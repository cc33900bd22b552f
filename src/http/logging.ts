import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { tenantOf } from "./auth.ts";

// One structured line per request: tenant, method, path (no query string), status, duration.
// Headers and bodies are never logged, so tokens, secrets and passwords never reach the log.
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({
        tenant: tenantOf(req, res),
        method: req.method,
        path: req.originalUrl.split("?")[0],
        status: res.statusCode,
        durationMs: Math.round(durationMs * 100) / 100,
      });
    });
    next();
  };
}
