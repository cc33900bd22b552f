import { defineAttribute } from "../../scim/schema/defaults.ts";
import type { SchemaDefinition } from "../../scim/schema/types.ts";
import { extensionUrn } from "../../scim/schema/extension-urn.ts";

// Express Gateway user fields (docs/compat/express-gateway.md §7.2).
export const expressGatewayUserSchema: SchemaDefinition = {
  id: extensionUrn("expressgateway", "User"),
  name: "ExpressGatewayUser",
  description: "Express Gateway user fields",
  attributes: [
    defineAttribute({
      name: "redirectUri",
      type: "reference",
      referenceTypes: ["external"],
      caseExact: true,
      description: "The OAuth2 redirect URI of the user's applications.",
    }),
  ],
};
