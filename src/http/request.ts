import type { Request, Response } from "express";
import type { PatchReturn } from "../auth/ports.ts";
import type { RequestContext } from "../scim/context.ts";
import { ScimError } from "../scim/errors.ts";
import type { WriteCondition } from "../scim/ports.ts";
import type { QueryParameters } from "../scim/query.ts";
import { principalOf } from "./auth.ts";

// Request parsing shared by the SCIM handlers.

export function contextOf(req: Request, res: Response, publicBaseUrl: string | undefined): RequestContext {
  return { tenantId: principalOf(res).tenantId, baseUrl: baseUrlOf(req, publicBaseUrl) };
}

export function baseUrlOf(req: Request, publicBaseUrl: string | undefined): string {
  const root = publicBaseUrl ? publicBaseUrl.replace(/\/$/, "") : `${req.protocol}://${req.get("host")}`;
  return `${root}${req.baseUrl}`;
}

// RFC 7644 §3.4.2: the list parameters of a query string (names in any case).
export function queryParameters(query: Request["query"]): QueryParameters {
  return {
    filter: stringParam(query, "filter"),
    sortBy: stringParam(query, "sortBy"),
    sortOrder: stringParam(query, "sortOrder"),
    startIndex: integerParam(query, "startIndex"),
    count: integerParam(query, "count"),
    cursor: stringParam(query, "cursor"),
  };
}

export function stringParam(query: Request["query"], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(query)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === "string") return value;
    if (Array.isArray(value) && typeof value[0] === "string") return value.join(",");
    throw ScimError.invalidValue(`Query parameter ${name} must be a string`);
  }
  return undefined;
}

function integerParam(query: Request["query"], name: string): number | undefined {
  const raw = stringParam(query, name);
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw ScimError.invalidValue(`Query parameter ${name} must be an integer between -(2^53 - 1) and 2^53 - 1`);
  return value;
}

// RFC 7644 §3.14: If-Match names the version a write expects; "*" matches any.
export function writeCondition(req: Request): WriteCondition {
  const header = req.headers["if-match"];
  if (header === undefined || header.trim() === "*") return {};
  const version = versionOfTag(header);
  if (version === undefined) throw ScimError.preconditionFailed("If-Match does not name a version of this resource");
  return { ifVersion: version };
}

// RFC 7644 §3.14: whether If-None-Match names the current version (then GET answers 304).
export function isNotModified(req: Request, version: number): boolean {
  const header = req.headers["if-none-match"];
  if (header === undefined) return false;
  return header.split(",").some((tag) => tag.trim() === "*" || versionOfTag(tag) === version);
}

function versionOfTag(tag: string): number | undefined {
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(tag);
  return match ? Number(match[1]) : undefined;
}

// RFC 7240 §4.2: Prefer: return=minimal | return=representation.
export function preferredReturn(req: Request): PatchReturn | undefined {
  const raw = req.headers.prefer;
  if (!raw) return undefined;
  const header = Array.isArray(raw) ? raw.join(",") : raw;
  const match = /(?:^|[,;\s])return\s*=\s*"?(minimal|representation)"?/i.exec(header);
  return match ? (match[1]?.toLowerCase() as PatchReturn) : undefined;
}
