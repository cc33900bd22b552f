import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { asScimError } from "../../http/errors.ts";
import { ScimError, type ScimErrorStatus } from "../../scim/errors.ts";
import type { VyteError } from "./contract.ts";

// docs/compat/vyte.md §3: Vyte documents its errors by status only (400, 401, 403, 404, 500,
// 503); the body is {"status": <int>, "message": "<text>"}. Statuses Vyte does not
// send become the nearest one it does: a uniqueness conflict or a failed precondition is a bad
// request, an unknown method or route not found. 413 is kept for oversized bodies and batches.
const vyteStatus = {
  400: 400,
  401: 401,
  403: 403,
  404: 404,
  405: 404,
  409: 400,
  412: 400,
  413: 413,
  415: 400,
  500: 500,
  501: 404,
} as const satisfies Record<ScimErrorStatus, number>;

// The one translation of an error into Vyte's body; also a failed batch item's `error`.
export function vyteErrorOf(error: unknown): VyteError {
  const scimError = asScimError(error);
  return { status: vyteStatus[scimError.status], message: scimError.detail };
}

// §6.5 batches: an item's outcome, its failure translated here like any other error.
export async function settled<T>(logger: Logger, work: () => Promise<T>): Promise<T | { error: VyteError }> {
  try {
    return await work();
  } catch (error) {
    const body = vyteErrorOf(error);
    if (body.status === 500) logger.error({ err: error }, "vyte: batch item failed unexpectedly");
    return { error: body };
  }
}

export function vyteErrorRenderer(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const body = vyteErrorOf(error);
    if (body.status === 500) logger.error({ err: error }, "vyte: unhandled error");
    res.status(body.status).json(body);
  };
}

// Unknown paths and methods inside /compat/vyte, in Vyte's envelope.
export const vyteRouteNotFound: RequestHandler = (req) => {
  throw ScimError.notFound(`Cannot ${req.method} ${req.originalUrl.split("?")[0]}`);
};
