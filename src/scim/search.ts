import { z } from "zod";
import { ScimError } from "./errors.ts";
import type { QueryParameters } from "./query.ts";

// RFC 7644 §3.4.3: the body of POST /.search. attributes and excludedAttributes are lists of
// attribute paths (a comma-separated string is accepted too).

const attributeList = z
  .union([z.array(z.string()), z.string()])
  .transform((value) => (Array.isArray(value) ? value.join(",") : value));

export const searchRequest = z.looseObject({
  schemas: z.array(z.string()).optional(),
  attributes: attributeList.optional(),
  excludedAttributes: attributeList.optional(),
  filter: z.string().optional(),
  sortBy: z.string().optional(),
  sortOrder: z.string().optional(),
  startIndex: z.number().int().optional(),
  count: z.number().int().optional(),
  cursor: z.string().optional(),
});

export interface SearchRequest extends QueryParameters {
  readonly attributes?: string | undefined;
  readonly excludedAttributes?: string | undefined;
}

export function readSearchRequest(body: unknown): SearchRequest {
  const parsed = searchRequest.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ScimError.invalidValue(`Invalid SearchRequest: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
