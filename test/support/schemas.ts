import { RequestEvents } from "../../src/scim/change-events.ts";
import type { ChangeEvents } from "../../src/scim/ports.ts";
import { schemaViews } from "../../src/scim/schema/view.ts";
import { compatApis } from "../../src/compat/apis.ts";
import { serverSchemas } from "../../src/scim/schema/server-schemas.ts";
import type { ResourceTypeDefinition } from "../../src/scim/schema/types.ts";

// The schemas the server serves, composed as src/server.ts composes them: the RFC schemas and
// the extensions the compat APIs bring.
const served = serverSchemas(compatApis.flatMap((api) => api.extensions));

export const schemaRegistry = served.registry;
export const userSchemas = served.users;
export const groupSchemas = served.groups;
export const resourceTypes = schemaRegistry.resourceTypes();
export const userExtensionSchemas = compatApis.flatMap((api) => api.extensions).filter((schema) => schema.id.endsWith(":User"));
export const groupExtensionSchemas = compatApis.flatMap((api) => api.extensions).filter((schema) => schema.id.endsWith(":Group"));
// The server's resource types, each with every extension the server knows.
export const [userResourceType, groupResourceType] = resourceTypes as [ResourceTypeDefinition, ResourceTypeDefinition];

// The change events of writes made straight through a store (as a request of a tenant that has
// every extension would describe them), at https://scim.test/scim/v2.
export function storeEvents(tenantId = ""): ChangeEvents {
  return new RequestEvents({ tenantId, baseUrl: "https://scim.test/scim/v2" }, schemaViews(served)(() => true, []));
}
