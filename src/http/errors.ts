import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { ScimError, toScimErrorBody } from "../scim/errors.ts";
import { scimContentType } from "./respond.ts";

// The SCIM surface's one error renderer (RFC 7644 §3.12). Errors from body parsing become their
// SCIM equivalents; anything unexpected is logged and answered as a bare 500, never a stack trace.
// A 401 names the realm of the credential asked for (RFC 6750 §3).
export function scimErrorRenderer(logger: Logger, realm = "scim"): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const scimError = asScimError(error);
    if (scimError.status === 500) logger.error({ err: error }, "unhandled error");
    if (scimError.status === 401) res.setHeader("WWW-Authenticate", `Bearer realm="${realm}"`);
    res.status(scimError.status).type(scimContentType).send(JSON.stringify(toScimErrorBody(scimError)));
  };
}

export const scimRouteNotFound: RequestHandler = (req) => {
  throw ScimError.notFound(`No resource at ${req.method} ${req.originalUrl.split("?")[0]}`);
};

export function methodNotAllowed(allowed: string): RequestHandler {
  return (req, res) => {
    res.setHeader("Allow", allowed);
    throw ScimError.methodNotAllowed(`${req.method} is not supported on this endpoint`);
  };
}

// Any error thrown while serving a request, as the ScimError it amounts to (body-parser errors
// included); compat routers render the same errors in their own envelopes.
export function asScimError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  if (type === "entity.too.large") return ScimError.payloadTooLarge("The request body is too large");
  if (type === "entity.parse.failed") return ScimError.invalidSyntax("The request body is not valid JSON");
  if (type === "encoding.unsupported" || type === "charset.unsupported") {
    return ScimError.unsupportedMediaType("The request body's encoding is not supported");
  }
  if (status === 400) return ScimError.invalidSyntax("The request could not be read");
  return ScimError.internal("An unexpected error occurred");
}
