import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import type { Logger } from "pino";
import { asScimError } from "../../http/errors.ts";
import { ScimError, toScimErrorBody } from "../../scim/errors.ts";
import { requestedUserName } from "./translate.ts";
import { sendQase } from "./contract.ts";

// docs/compat/qase.md §5: the Qase surface's one error renderer. The SCIM Error schema with a
// string status, except where Qase answers differently from RFC 7644: a duplicate userName is
// 400 invalidValue "User name '<x>' is invalid: 'not unique'" (§5.3), and a user changed while
// it was being deleted is a 409 conflict (Qase has no 412, §4.7).
export function qaseErrorRenderer(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const scimError = qaseErrorOf(asScimError(error), req);
    if (scimError.status === 500) logger.error({ err: error }, "unhandled error in the qase router");
    if (scimError.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="qase"');
    sendQase(res, scimError.status, toScimErrorBody(scimError));
  };
}

function qaseErrorOf(error: ScimError, req: Request): ScimError {
  if (error.scimType === "uniqueness") {
    const userName = requestedUserName(req.body);
    return ScimError.invalidValue(userName === undefined ? "User name is invalid: 'not unique'" : `User name '${userName}' is invalid: 'not unique'`);
  }
  if (error.status === 412) return ScimError.conflict("The user changed while it was being deleted; try again");
  return error;
}

// Unknown routes under /compat/qase, Groups included (§4.9: not served).
export const qaseRouteNotFound: RequestHandler = (req) => {
  throw ScimError.notFound(`No resource at ${req.method} ${req.originalUrl.split("?")[0]}`);
};

// §4.9: an unsupported method is 405, with the methods the path does support.
export function qaseMethodNotAllowed(allowed: string): RequestHandler {
  return (req, res) => {
    res.setHeader("Allow", allowed);
    throw ScimError.methodNotAllowed(`${req.method} is not supported on this endpoint`);
  };
}
