import type { IncomingMessage } from "node:http";
import express, { type NextFunction, type Request, type RequestHandler } from "express";
import { ScimError } from "../scim/errors.ts";
import { mayCarryUnstorable, unstorableBodyError } from "./storable-text.ts";

const scimMediaTypes = ["application/scim+json", "application/json"];

// RFC 7644 §3.1: bodies are application/scim+json; application/json is accepted too. An empty
// body is left unparsed (req.body undefined), not read as {}.
//
// A body as IdPs send it, UTF-8 without a Content-Encoding, is read here; any other (compressed,
// another charset) goes through express.json (body-parser), which inflates and decodes. Both keep
// to the same limit and end in the same errors. Reading directly skips body-parser's charset
// decoder and stream plumbing (docs/benchmarks.md, "The body reader").
export function scimJsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, type: () => true, strict: false });
  return (req, res, next) => {
    const length = Number(req.headers["content-length"] ?? 0);
    const hasBody = length > 0 || req.headers["transfer-encoding"] !== undefined;
    if (!hasBody) return next();
    const [type = "", ...parameters] = (req.headers["content-type"] ?? "").split(";");
    if (!scimMediaTypes.includes(type.trim().toLowerCase())) {
      throw ScimError.unsupportedMediaType("Send the body as application/scim+json or application/json");
    }
    if (isIdentityEncoded(req) && isUtf8(parameters)) return readUtf8Json(req, limitBytes, next);
    parse(req, res, (error?: unknown) => next(error ?? unstorableBodyError(req.body)));
  };
}

function isIdentityEncoded(req: IncomingMessage): boolean {
  const encoding = req.headers["content-encoding"];
  return encoding === undefined || encoding.trim().toLowerCase() === "identity";
}

// RFC 8259 §8.1: JSON is UTF-8; a charset parameter, if any, must say so.
function isUtf8(parameters: readonly string[]): boolean {
  for (const parameter of parameters) {
    const [name = "", value = ""] = parameter.split("=");
    if (name.trim().toLowerCase() !== "charset") continue;
    const charset = value.trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return false;
  }
  return true;
}

const tooLarge = () => ScimError.payloadTooLarge("The request body is too large");

// The body, up to `limit` bytes, parsed as JSON into req.body; a declared length it does not match,
// or a connection closed before its end, is a body that could not be read.
function readUtf8Json(req: Request, limit: number, next: NextFunction): void {
  const header = req.headers["content-length"];
  const declared = header === undefined ? undefined : Number(header);
  // As body-parser does, the stream is left unread: Node discards the rest once the answer is sent.
  if (declared !== undefined && declared > limit) return next(tooLarge());
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (error: ScimError | undefined) => {
    req.removeListener("data", onData);
    req.removeListener("end", onEnd);
    req.removeListener("error", onError);
    req.removeListener("aborted", onAborted);
    if (error) {
      req.unpipe();
      req.pause();
      return next(error);
    }
    let body: unknown;
    const text = Buffer.concat(chunks, received).toString("utf8");
    try {
      body = parseJson(text);
    } catch {
      return next(ScimError.invalidSyntax("The request body is not valid JSON"));
    }
    req.body = body;
    // Text no database stores as sent (storable-text.ts) is refused with the body.
    if (mayCarryUnstorable(text)) return next(unstorableBodyError(body));
    next();
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) return finish(tooLarge());
    chunks.push(chunk);
  };
  const unreadable = () => ScimError.invalidSyntax("The request could not be read");
  const onEnd = () => finish(declared !== undefined && received !== declared ? unreadable() : undefined);
  const onError = () => finish(unreadable());
  const onAborted = () => finish(unreadable());
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("error", onError);
  req.on("aborted", onAborted);
}

// As body-parser reads JSON: a byte order mark is dropped, and an empty body is {}.
function parseJson(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.length === 0 ? {} : JSON.parse(body);
}
