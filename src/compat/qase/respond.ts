import type { Response } from "express";

// docs/compat/qase.md §1.3: every Qase response body is application/scim+json; Location is set here too.
export const qaseContentType = "application/scim+json; charset=utf-8";

export function sendQase(res: Response, status: number, body: object, location?: string): void {
  if (location) res.setHeader("Location", location);
  res.status(status).type(qaseContentType).send(JSON.stringify(body));
}
