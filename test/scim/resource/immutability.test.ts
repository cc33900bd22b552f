import { describe, expect, it } from "vitest";
import { ScimError } from "../../../src/scim/errors.js";
import { assertImmutableUnchanged } from "../../../src/scim/resource/immutability.js";
import { immutabilityCases } from "./immutability.cases.js";
import { accountSchemas } from "./test-schemas.js";

describe("assertImmutableUnchanged", () => {
  it.each(immutabilityCases)("$name", ({ previous, next, rejects }) => {
    const check = () => assertImmutableUnchanged(previous, next, accountSchemas);
    if (rejects === undefined) {
      expect(check).not.toThrow();
      return;
    }
    const error = (() => {
      try {
        check();
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({ status: 400, scimType: "mutability" });
    expect((error as ScimError).detail).toContain(`"${rejects}"`);
  });
});
