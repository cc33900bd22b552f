import { describe, expect, it } from "vitest";
import { ScimError } from "../../../src/scim/errors.js";
import { assertImmutableUnchanged, immutableScope } from "../../../src/scim/resource/immutability.js";
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

describe("immutableScope", () => {
  it("keeps the immutable attributes and the single-valued complex ones with an immutable sub-attribute", () => {
    const scope = immutableScope(accountSchemas.schema.attributes);
    expect(scope.map((definition) => definition.name)).toStrictEqual(["badge", "serial", "aliases", "hiredAt", "device"]);
    const device = scope.find((definition) => definition.name === "device");
    expect(immutableScope(device?.subAttributes ?? []).map((definition) => definition.name)).toStrictEqual(["serialNumber"]);
  });

  it("is built once per list of definitions", () => {
    expect(immutableScope(accountSchemas.schema.attributes)).toBe(immutableScope(accountSchemas.schema.attributes));
  });
});
