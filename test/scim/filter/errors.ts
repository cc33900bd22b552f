import { ScimError } from "../../../src/scim/errors.ts";

/** The ScimError `run` throws; fails the test when it throws nothing or something else. */
export function errorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error("expected a ScimError, but the filter was accepted");
}
