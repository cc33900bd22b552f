import { ScimError } from "../scim/errors.ts";

// Translates database errors into protocol errors, in one place: a unique violation is a SCIM
// `uniqueness` conflict, a missing row a 404. Anything else is rethrown unchanged.
export function translateDatabaseError(error: unknown, resource: string): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "P2002") throw ScimError.uniqueness(`A ${resource} with the same unique attribute already exists`);
  if (code === "P2025") throw ScimError.notFound(`${resource} not found`);
  throw error;
}
