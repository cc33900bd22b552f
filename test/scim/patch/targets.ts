import { patchOpUrn } from "../../../src/scim/schema/urns.ts";
import type { PatchTarget } from "../../../src/scim/patch/target.ts";
import { readPatchRequest, type PatchOperation } from "../../../src/scim/patch/operations.ts";
import { clientOperations } from "../../../src/scim/patch/quirks/index.ts";
import { createSchemaRegistry } from "../../../src/scim/schema/registry.ts";
import { groupResourceType, userResourceType } from "../../../src/scim/schema/resource-types.ts";
import { accountSchemas, coreUrn } from "../resource/test-schemas.ts";
import { groupSchemas, schemaRegistry, userSchemas } from "../../support/schemas.ts";

// What the PATCH tests apply operations to: the server's own User and Group, and the test Account of
// test/scim/resource/test-schemas.ts, whose immutable attributes the RFC User and Group do not have.

const accountRegistry = createSchemaRegistry({
  schemas: [accountSchemas.schema, ...accountSchemas.extensions],
  resourceTypes: [
    {
      id: "Account",
      name: "Account",
      endpoint: "/Accounts",
      description: "test account",
      schema: coreUrn,
      schemaExtensions: accountSchemas.extensions.map((extension) => ({ schema: extension.id, required: false })),
    },
  ],
  commonAttributes: accountSchemas.common,
});

export const patchTargets = {
  User: { resourceType: userResourceType, schemas: userSchemas, registry: schemaRegistry },
  Group: { resourceType: groupResourceType, schemas: groupSchemas, registry: schemaRegistry },
  Account: {
    resourceType: accountRegistry.resourceTypeByName("Account")!,
    schemas: accountSchemas,
    registry: accountRegistry,
  },
} as const satisfies Record<string, PatchTarget>;

export type PatchTargetName = keyof typeof patchTargets;

// A client's operations as the services hand them to applyPatch: read as a PatchOp request, then
// rewritten by the named client quirks.
export function clientPatch(operations: readonly unknown[]): PatchOperation[] {
  return clientOperations(readPatchRequest({ schemas: [patchOpUrn], Operations: operations }));
}
