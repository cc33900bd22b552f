import type { Request, RequestHandler } from "express";
import { ScimError } from "../scim/errors.ts";
import { isStorable, unstorableAt } from "../scim/storable.ts";

// Requests carrying text no database stores as sent (scim/storable.ts) are refused here, before
// any database sees them, with the same answer on both: 400 invalidValue (invalidFilter in a
// filter), 404 for a path.

// A JSON text can only carry U+0000 or a lone surrogate as a \u escape (raw control characters
// are not JSON, and bytes that are not UTF-8 decode to U+FFFD): without "\u0000" or a "\uD8xx"-
// "\uDFxx" escape in it, a body needs no walk. This keeps the check off the cost of ordinary bodies.
const suspectEscape = /\\u(?:0000|[dD][89abcdefABCDEF])/;

export function mayCarryUnstorable(jsonText: string): boolean {
  return suspectEscape.test(jsonText);
}

// The error a body holding such text answers, else undefined.
export function unstorableBodyError(body: unknown): ScimError | undefined {
  const at = unstorableAt(body);
  return at === undefined ? undefined : unstorableValue(at);
}

export function assertStorableBody(body: unknown): void {
  const error = unstorableBodyError(body);
  if (error) throw error;
}

const unstorableValue = (at: string) =>
  ScimError.invalidValue(`${at} holds U+0000 or an unpaired surrogate, which cannot be stored`);

// The request's path and query, checked before authentication (which may look up a key) and before
// any handler: a path is answered 404 (no resource has such an id), a query 400.
export function storableRequest(): RequestHandler {
  return (req, _res, next) => {
    if (!isStorable(decodedPath(req))) throw ScimError.notFound("No resource has such a path");
    for (const [name, value] of Object.entries(req.query)) {
      const at = unstorableAt(value, name);
      if (at === undefined) continue;
      if (name.toLowerCase() === "filter") throw ScimError.invalidFilter("The filter holds U+0000 or an unpaired surrogate");
      throw unstorableValue(at);
    }
    next();
  };
}

// The path with its %-escapes decoded segment by segment; one that does not decode (a lone
// surrogate's bytes are not UTF-8) decodes to U+FFFD, which is storable, and is left to the router.
function decodedPath(req: Request): string {
  if (!req.path.includes("%")) return req.path;
  return req.path.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }).join("/");
}
