import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { asScimError } from "../../http/errors.ts";
import { ScimError, type ScimErrorStatus } from "../../scim/errors.ts";
import type { ErrorBody } from "./contract.ts";

// The Bytebase surface's one error renderer (docs/compat/bytebase.md §3): grpc-gateway's
// google.rpc.Status body {"code","message","details":[]}, the HTTP status its HTTPStatusFromCode
// gives for the gRPC code, and for UNAUTHENTICATED a WWW-Authenticate header with the message.

// gRPC codes (google.golang.org/grpc/codes).
const grpc = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAUTHENTICATED: 16,
} as const;

type GrpcCode = (typeof grpc)[keyof typeof grpc];

// grpc-gateway runtime.HTTPStatusFromCode
const httpStatus: Record<GrpcCode, number> = {
  3: 400,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  12: 501,
  13: 500,
  16: 401,
};

// The gRPC code a Bytebase server answers each core error with. A uniqueness conflict is
// ALREADY_EXISTS; a body over the size limit is what gRPC's message size limit gives.
const codeOfStatus: Record<ScimErrorStatus, GrpcCode> = {
  400: grpc.INVALID_ARGUMENT,
  401: grpc.UNAUTHENTICATED,
  403: grpc.PERMISSION_DENIED,
  404: grpc.NOT_FOUND,
  405: grpc.UNIMPLEMENTED,
  409: grpc.ABORTED,
  412: grpc.FAILED_PRECONDITION,
  413: grpc.RESOURCE_EXHAUSTED,
  415: grpc.INVALID_ARGUMENT,
  500: grpc.INTERNAL,
  501: grpc.UNIMPLEMENTED,
};

function codeOf(error: ScimError): GrpcCode {
  return error.scimType === "uniqueness" ? grpc.ALREADY_EXISTS : codeOfStatus[error.status];
}

export function bytebaseErrorRenderer(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const scimError = asScimError(error);
    if (scimError.status === 500) logger.error({ err: error }, "unhandled error");
    const code = codeOf(scimError);
    const body: ErrorBody = { code, message: scimError.detail, details: [] };
    if (code === grpc.UNAUTHENTICATED) res.setHeader("WWW-Authenticate", scimError.detail.replace(/[^\x20-\x7e]/g, "?"));
    res.status(httpStatus[code]).json(body);
  };
}

// Bytebase's routing error handler for a path no route matches.
export const bytebaseRouteNotFound: RequestHandler = (req) => {
  throw ScimError.notFound(`Routing error. Please check the request URI ${req.originalUrl}`);
};

// A known path with another method: grpc-gateway turns its 405 into UNIMPLEMENTED (HTTP 501).
export const bytebaseMethodNotAllowed: RequestHandler = () => {
  throw ScimError.methodNotAllowed("Method Not Allowed");
};

// The product's words for a conflict the core reports as `uniqueness`: use as
// `.catch(onUniqueness("email x is already existed"))` on the core call that may conflict.
export function onUniqueness(message: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof ScimError && error.scimType === "uniqueness") throw ScimError.uniqueness(message);
    throw error;
  };
}
