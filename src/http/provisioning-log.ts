import type { Request, RequestHandler, Response } from "express";
import { capped, clientOf, redactedJson, type LoggedRequest } from "../provisioning-log/entry.ts";
import type { ProvisioningLogRecorder } from "../provisioning-log/recorder.ts";
import { principalOf } from "./principal.ts";

// Records each request to /scim/v2 and /compat/* in the provisioning log once it is answered
// (docs/provisioning-log.md): only requests whose credential was accepted, as the tenant is
// known from it; a request refused for its credential is in the server's log only. Nothing here
// runs before the answer is sent but a hook on res.end that keeps a failure's body.
export function provisioningLog(recorder: ProvisioningLogRecorder, bodyBytes: number): RequestHandler {
  return (req, res, next) => {
    if (recorder.mode === "off") return next();
    const started = process.hrtime.bigint();
    const at = new Date();
    let failureBody: unknown;
    const end = res.end;
    res.end = function (this: Response, ...args: unknown[]) {
      if (res.statusCode >= 400 && typeof args[0] !== "function") failureBody = args[0];
      return (end as (...values: unknown[]) => Response).apply(this, args);
    } as Response["end"];
    res.once("finish", () => {
      const principal = principalOf(res);
      if (principal === undefined || !recorder.records(res.statusCode)) return;
      recorder.record(
        entryOf(req, res, {
          tenantId: principal.tenantId,
          at,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          failureBody,
          bodyBytes,
        }),
      );
    });
    next();
  };
}

interface Answered {
  readonly tenantId: string;
  readonly at: Date;
  readonly durationMs: number;
  readonly failureBody: unknown;
  readonly bodyBytes: number;
}

function entryOf(req: Request, res: Response, answered: Answered): LoggedRequest {
  const path = req.originalUrl;
  const userAgent = req.headers["user-agent"];
  const failure = textOf(answered.failureBody);
  const error = failure === undefined ? undefined : errorOf(failure);
  const resource = resourceOf(path, res.getHeader("location"));
  return {
    tenantId: answered.tenantId,
    at: answered.at,
    surface: surfaceOf(path),
    client: clientOf(userAgent, path),
    userAgent: userAgent === undefined ? null : userAgent.slice(0, 300),
    method: req.method,
    path: capped(path, 2048),
    status: res.statusCode,
    scimType: error?.scimType ?? null,
    detail: error?.detail ?? null,
    durationMs: Math.round(answered.durationMs * 100) / 100,
    resourceType: resource?.type ?? null,
    resourceId: resource?.id ?? null,
    requestBody: req.body === undefined ? null : capped(redactedJson(req.body), answered.bodyBytes),
    responseBody: failure === undefined ? null : capped(failure, answered.bodyBytes),
  };
}

// "scim", or the compat API's name from /compat/<name>/...
function surfaceOf(path: string): string {
  const compat = /^\/compat\/([^/?]+)/i.exec(path);
  return compat ? (compat[1] as string).toLowerCase() : "scim";
}

function textOf(body: unknown): string | undefined {
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  return undefined;
}

// scimType and detail of a SCIM error body; the message of a compat API's envelope.
function errorOf(text: string): { scimType: string | null; detail: string | null } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== "object") return undefined;
  const fields = body as Record<string, unknown>;
  const nested = typeof fields.error === "object" && fields.error !== null ? (fields.error as Record<string, unknown>) : {};
  const detail = [fields.detail, fields.message, nested.message, fields.error, fields.errorMessage].find((value) => typeof value === "string");
  return {
    scimType: typeof fields.scimType === "string" ? fields.scimType : null,
    detail: typeof detail === "string" ? capped(detail, 1024) : null,
  };
}

const resourceSegments: Record<string, string> = { users: "User", user: "User", groups: "Group", group: "Group" };

// The resource a request named in its path (/Users/{id}) or created (its Location).
function resourceOf(path: string, location: unknown): { type: string; id: string | undefined } | undefined {
  const from = (url: string) => {
    const segments = url.split("?", 1)[0]!.split("/").filter((segment) => segment !== "");
    for (let index = segments.length - 1; index >= 0; index -= 1) {
      const type = resourceSegments[segments[index]!.toLowerCase()];
      if (type === undefined) continue;
      const id = segments[index + 1];
      return { type, id: id === undefined || id.startsWith(".") ? undefined : decoded(id) };
    }
    return undefined;
  };
  const created = typeof location === "string" ? from(location) : undefined;
  if (created?.id !== undefined) return created;
  return from(path);
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
