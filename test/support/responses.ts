import type { Response } from "supertest";
import { expect } from "vitest";
import type { ScimType } from "../../src/scim/errors.ts";
import { errorUrn } from "../../src/scim/schema/urns.ts";

// What every SCIM response is checked against: the media type, and the RFC 7644 §3.12 error body.

export const scimContentType = "application/scim+json; charset=utf-8";

// RFC 7644 §3.12: exactly schemas, status (a string), detail and, when given, scimType; no stack trace.
export function expectScimError(response: Response, status: number, scimType?: ScimType): void {
  expect({ status: response.status, body: response.body }).toStrictEqual({
    status,
    body: {
      schemas: [errorUrn],
      status: String(status),
      ...(scimType === undefined ? {} : { scimType }),
      detail: expect.any(String),
    },
  });
  expect(response.headers["content-type"]).toBe(scimContentType);
  expect(response.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|prisma/i);
}

// The resource a response carries, with its content type checked.
export function scimBody(response: Response): Record<string, any> {
  expect(response.headers["content-type"]).toBe(scimContentType);
  return response.body as Record<string, any>;
}
