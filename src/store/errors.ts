import { ScimError } from "../scim/errors.ts";

// Translates database errors into protocol errors, in one place: a unique violation is a SCIM
// `uniqueness` conflict. Anything else is rethrown unchanged. The codes are the drivers':
// better-sqlite3's SQLITE_CONSTRAINT_* and PostgreSQL's SQLSTATE 23505 (unique_violation).
const uniqueViolations = new Set(["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "23505"]);

export function translateDatabaseError(error: unknown, resource: string): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && uniqueViolations.has(code)) {
    throw ScimError.uniqueness(`A ${resource} with the same unique attribute already exists`);
  }
  throw error;
}
