import type { RequestHandler } from "express";
import type { BulkService } from "../scim/bulk.ts";
import { contextOf } from "./request.ts";
import { sendScim } from "./respond.ts";

// RFC 7644 §3.7: POST /Bulk answers 200 with a BulkResponse whatever its operations' outcomes.
export function bulkHandler(bulk: BulkService, publicBaseUrl: string | undefined): RequestHandler {
  return async (req, res) => {
    const context = contextOf(req, res, publicBaseUrl);
    const size = Number(req.headers["content-length"] ?? JSON.stringify(req.body ?? null).length);
    sendScim(res, 200, await bulk.run(context, req.body, size));
  };
}
