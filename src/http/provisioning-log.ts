import type { RequestHandler, Response } from "express";
import { capped, redactedJson } from "../provisioning-log/entry.ts";
import type { ProvisioningLogRecorder } from "../provisioning-log/recorder.ts";
import { principalOf } from "./principal.ts";

// Records each request to /scim/v2 and /compat/* in the provisioning log as it is answered
// (docs/provisioning-log.md): only requests whose credential was accepted, as the tenant is
// known from it; a request refused for its credential is in the server's log only. One hook on
// res.end does it all, the failure's body included; the rest of the entry is worked out where
// the entries are written (provisioning-log/request.ts).
export function provisioningLog(recorder: ProvisioningLogRecorder, bodyBytes: number): RequestHandler {
  return (req, res, next) => {
    if (recorder.mode === "off") return next();
    const at = Date.now();
    const started = performance.now();
    const end = res.end;
    let answered = false;
    res.end = function (this: Response, ...args: unknown[]) {
      const result = (end as (...values: unknown[]) => Response).apply(this, args);
      if (answered) return result;
      answered = true;
      const principal = principalOf(res);
      if (principal === undefined || !recorder.records(res.statusCode)) return result;
      const location = res.getHeader("location");
      const userAgent = req.headers["user-agent"];
      const failure = res.statusCode >= 400 ? textOf(args[0]) : undefined;
      recorder.record({
        tenantId: principal.tenantId,
        at,
        durationMs: performance.now() - started,
        status: res.statusCode,
        method: req.method,
        path: req.originalUrl,
        userAgent: userAgent ?? null,
        location: typeof location === "string" ? location : null,
        requestBody: req.body === undefined ? null : capped(redactedJson(req.body), bodyBytes),
        failureBody: failure === undefined ? null : capped(failure, bodyBytes),
      });
      return result;
    } as Response["end"];
    next();
  };
}

function textOf(body: unknown): string | undefined {
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  return undefined;
}
