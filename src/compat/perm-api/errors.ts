import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { asScimError } from "../../http/errors.ts";
import { ScimError } from "../../scim/errors.ts";
import { detailMessages, fieldMessages, type ValidationErrorBody } from "./contract.ts";

// The one error renderer of this API, in Django REST Framework's shapes (docs/compat/perm-api.md
// §5): a request validated against the contract fails with `{"<field>": ["..."]}`; every other
// error is a ScimError (body-parser's included, through asScimError) answered as `{"detail": "..."}`.

// 401 details this API gives itself; any other token failure reads as DRF's "Invalid token.".
const authenticationDetails = new Set<string>([detailMessages.notAuthenticated, detailMessages.noCredentials, detailMessages.tokenWithSpaces]);

interface DrfError {
  readonly status: number;
  readonly body: ValidationErrorBody | { detail: string };
}

// The status and body DRF would send for the error.
export function drfErrorOf(error: unknown): DrfError {
  if (error instanceof z.ZodError) return { status: 400, body: fieldErrorsOf(error) };
  const scimError = asScimError(error);
  if (scimError.scimType === "uniqueness") return { status: 400, body: { email: [fieldMessages.emailTaken] } };
  switch (scimError.status) {
    case 400:
      return isJsonSyntaxError(error)
        ? { status: 400, body: { detail: detailMessages.parseError(error.message) } }
        : { status: 400, body: { non_field_errors: [scimError.detail] } };
    case 401:
      return { status: 401, body: { detail: authenticationDetails.has(scimError.detail) ? scimError.detail : detailMessages.invalidToken } };
    case 403:
      return { status: 403, body: { detail: detailMessages.permissionDenied } };
    case 404:
      return { status: 404, body: { detail: detailMessages.notFound } };
    case 413:
      return { status: 413, body: { detail: detailMessages.tooLarge } };
    case 415:
      return { status: 415, body: { detail: detailMessages.unsupportedMediaType } };
    case 500:
      return { status: 500, body: { detail: detailMessages.serverError } };
    default:
      return { status: scimError.status, body: { detail: scimError.detail } };
  }
}

// DRF's ValidationError detail: messages by field, in the order the fields are declared; errors
// about the body as a whole under "non_field_errors".
function fieldErrorsOf(error: z.ZodError): ValidationErrorBody {
  const fields: ValidationErrorBody = {};
  for (const issue of error.issues) {
    const field = typeof issue.path[0] === "string" ? issue.path[0] : "non_field_errors";
    (fields[field] ??= []).push(issue.message);
  }
  return fields;
}

function isJsonSyntaxError(error: unknown): error is Error {
  return error instanceof Error && (error as { type?: unknown }).type === "entity.parse.failed";
}

export function permApiErrorRenderer(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const { status, body } = drfErrorOf(error);
    if (status === 500) logger.error({ err: error }, "perm-api: unhandled error");
    if (status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="api"');
    res.status(status).json(body);
  };
}

// A path below the prefix that is no endpoint of the API.
export const routeNotFound: RequestHandler = () => {
  throw ScimError.notFound(detailMessages.notFound);
};

// A method the endpoint does not serve.
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req, res) => {
    res.setHeader("Allow", [...allowed, "OPTIONS"].join(", "));
    throw ScimError.methodNotAllowed(detailMessages.methodNotAllowed(req.method));
  };
}
