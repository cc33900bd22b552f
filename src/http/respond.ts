import type { Response } from "express";
import { etagOf, type ScimResource } from "../scim/render.ts";
import type { Versioned } from "../scim/ports.ts";

export const scimContentType = "application/scim+json; charset=utf-8";

// Every SCIM response goes out through here: content type, Location and ETag are set in one place.
export function sendScim(
  res: Response,
  status: number,
  body: ScimResource,
  resource?: Pick<Versioned, "version">,
  location?: string,
): void {
  if (resource) res.setHeader("ETag", etagOf(resource));
  if (location) res.setHeader("Location", location);
  res.status(status).type(scimContentType).send(JSON.stringify(body));
}

export function sendNoContent(res: Response, resource?: Pick<Versioned, "version">): void {
  if (resource) res.setHeader("ETag", etagOf(resource));
  res.status(204).end();
}

export function sendNotModified(res: Response, resource: Pick<Versioned, "version">): void {
  res.setHeader("ETag", etagOf(resource));
  res.status(304).end();
}
