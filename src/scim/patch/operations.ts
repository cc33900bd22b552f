import { z } from "zod";
import { ScimError } from "../errors.ts";
import { patchOpUrn } from "../schema/urns.ts";

// RFC 7644 §3.5.2: a PatchOp request. Operation names are read in any case (Entra sends "Add",
// "Replace", "Remove"); properties an operation does not define ("name": "addMember") are ignored.

export type PatchOpName = "add" | "remove" | "replace";

export interface PatchOperation {
  readonly op: PatchOpName;
  readonly path?: string;
  readonly value?: unknown;
}

const operation = z.looseObject({
  op: z.string(),
  path: z.string().optional().nullable(),
  value: z.unknown().optional(),
});

const patchRequest = z.looseObject({
  schemas: z.array(z.string()).optional(),
  Operations: z.array(z.unknown()).min(1),
});

// RFC 7644 §3.5.2
export function readPatchRequest(body: unknown): PatchOperation[] {
  const request = patchRequest.safeParse(caseInsensitiveKeys(body, ["Operations", "schemas"]));
  if (!request.success) {
    throw ScimError.invalidSyntax('A PATCH body is {"schemas":["' + patchOpUrn + '"],"Operations":[...]} with at least one operation');
  }
  if (request.data.schemas && !request.data.schemas.some((urn) => urn.toLowerCase() === patchOpUrn.toLowerCase())) {
    throw ScimError.invalidSyntax(`A PATCH body's schemas must include ${patchOpUrn}`);
  }
  return request.data.Operations.map((raw, index) => {
    const parsed = operation.safeParse(caseInsensitiveKeys(raw, ["op", "path", "value"]));
    if (!parsed.success) throw ScimError.invalidSyntax(`Operation ${index + 1} must be an object with an "op"`);
    const op = parsed.data.op.toLowerCase();
    if (op !== "add" && op !== "remove" && op !== "replace") {
      throw ScimError.invalidSyntax(`Operation ${index + 1} has an unknown op "${parsed.data.op}"`);
    }
    const path = parsed.data.path?.trim();
    return {
      op,
      ...(path ? { path } : {}),
      ...(parsed.data.value === undefined ? {} : { value: parsed.data.value }),
    };
  });
}

function caseInsensitiveKeys(value: unknown, names: readonly string[]): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const name = names.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    result[name ?? key] = entry;
  }
  return result;
}
