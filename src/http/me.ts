import type { RequestHandler } from "express";
import { ScimError } from "../scim/errors.ts";
import { principalOf } from "./auth.ts";

// RFC 7644 §3.11: /Me is the User the bearer token acts for (issued with --subject). A token that
// acts for no user has no /Me: 501, as the RFC answers where the alias is not available.
export function meAlias(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const subject = principalOf(res).subject;
    if (!subject) throw ScimError.notImplemented("/Me is available to tokens that act for a user (issued with --subject)");
    (req.params as Record<string, string>).id = subject;
    return handler(req, res, next);
  };
}
