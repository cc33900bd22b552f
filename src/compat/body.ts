import express, { type RequestHandler } from "express";
import { assertStorableBody } from "../http/storable-text.ts";

// Compat request bodies are JSON whatever the Content-Type says: curl --data sends
// application/x-www-form-urlencoded, and the products parse it as JSON anyway
// (docs/compat/README.md §2). An empty body is {}. A body that is not JSON or too large is
// forwarded as body-parser's error, which each router renders in its envelope (asScimError); so is
// one holding text no database stores (http/storable-text.ts).
export function lenientJsonBody(limitBytes: number): RequestHandler[] {
  const parse = express.json({ limit: limitBytes, type: () => true, strict: false });
  const emptyAsObject: RequestHandler = (req, _res, next) => {
    if (req.body === undefined) req.body = {};
    assertStorableBody(req.body);
    next();
  };
  return [parse, emptyAsObject];
}
