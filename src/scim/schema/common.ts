import { defineAttribute } from "./defaults.ts";
import type { AttributeDefinition } from "./types.ts";

// RFC 7643 §3.1: attributes every resource carries. They are not part of any schema's "attributes" list
// (so /Schemas does not show them), but filtering, sorting and projection resolve them like any attribute.
export const commonAttributes: readonly AttributeDefinition[] = [
  defineAttribute({
    name: "id",
    description:
      "A unique identifier for a SCIM resource as defined by the service provider. Each representation of the resource MUST include a non-empty \"id\" value. This identifier MUST be unique across the SCIM service provider's entire set of resources.",
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  defineAttribute({
    name: "externalId",
    description: "A String that is an identifier for the resource as defined by the provisioning client.",
    caseExact: true,
  }),
  defineAttribute({
    name: "meta",
    type: "complex",
    description: "A complex attribute containing resource metadata.",
    mutability: "readOnly",
    subAttributes: [
      defineAttribute({
        name: "resourceType",
        description: "The name of the resource type of the resource.",
        caseExact: true,
        mutability: "readOnly",
      }),
      defineAttribute({
        name: "created",
        type: "dateTime",
        description: "The \"DateTime\" that the resource was added to the service provider.",
        mutability: "readOnly",
      }),
      defineAttribute({
        name: "lastModified",
        type: "dateTime",
        description: "The most recent DateTime that the details of this resource were updated at the service provider.",
        mutability: "readOnly",
      }),
      defineAttribute({
        name: "location",
        type: "reference",
        referenceTypes: ["uri"],
        description: "The URI of the resource being returned.",
        caseExact: true,
        mutability: "readOnly",
      }),
      defineAttribute({
        name: "version",
        description: "The version of the resource being returned.",
        caseExact: true,
        mutability: "readOnly",
      }),
    ],
  }),
];
