import { ScimError } from "../../scim/errors.ts";
import { listResponse, type ScimResource } from "../../scim/render.ts";
import {
  oauthBearerToken, resourceTypeResource, schemaResource, serviceProviderConfig, type Capabilities,
} from "../../scim/schema/discovery.ts";
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from "../../scim/schema/types.ts";
import { userSchema } from "../../scim/schema/user.ts";
import type { CompatSettings } from "../core.ts";
import { maxNameLength, qaseUserTypes } from "./contract.ts";

// docs/compat/qase.md §4.8: the discovery endpoints, describing the Qase profile rather than the
// whole server: Users only, the attributes of §3.2, PATCH and filters, no bulk.

const qaseAttributes: Record<string, readonly string[] | true> = {
  userName: true,
  name: ["givenName", "familyName"],
  displayName: true,
  userType: true,
  title: true,
  active: true,
  emails: ["value", "primary"],
};

function qaseAttribute(attribute: AttributeDefinition): AttributeDefinition | undefined {
  const kept = qaseAttributes[attribute.name];
  if (kept === undefined) return undefined;
  if (attribute.name === "userType") return { ...attribute, canonicalValues: qaseUserTypes };
  if (attribute.name === "emails") return { ...attribute, mutability: "readOnly", description: "A single primary email, equal to userName." };
  if (kept === true) return attribute;
  const subAttributes = attribute.subAttributes?.filter((sub) => kept.includes(sub.name)).map((sub) =>
    attribute.name === "name" ? { ...sub, description: `${sub.description} At most ${maxNameLength} characters.` } : sub,
  );
  return { ...attribute, ...(subAttributes ? { subAttributes } : {}) };
}

export const qaseUserSchemaView: SchemaDefinition = {
  ...userSchema,
  attributes: userSchema.attributes.flatMap((attribute) => qaseAttribute(attribute) ?? []),
};

export const qaseUserResourceType: ResourceTypeDefinition = {
  id: "User",
  name: "User",
  endpoint: "/Users",
  description: "User Account",
  schema: userSchema.id,
  schemaExtensions: [],
};

function capabilities(settings: CompatSettings): Capabilities {
  return {
    patch: true,
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: settings.maxPageSize },
    changePassword: false,
    sort: true,
    etag: false,
    authenticationSchemes: [oauthBearerToken],
  };
}

export function qaseServiceProviderConfig(baseUrl: string, settings: CompatSettings): ScimResource {
  return { ...serviceProviderConfig(baseUrl, capabilities(settings)) };
}

export function qaseResourceTypes(baseUrl: string): ScimResource {
  return listResponse([{ ...resourceTypeResource(qaseUserResourceType, baseUrl) }], 1, { startIndex: 1 });
}

export function qaseResourceType(baseUrl: string, name: string): ScimResource {
  if (name.toLowerCase() !== "user") throw ScimError.notFound(`No resource type ${name}`);
  return { ...resourceTypeResource(qaseUserResourceType, baseUrl) };
}

export function qaseSchemas(baseUrl: string): ScimResource {
  return listResponse([{ ...schemaResource(qaseUserSchemaView, baseUrl) }], 1, { startIndex: 1 });
}

export function qaseSchema(baseUrl: string, urn: string): ScimResource {
  if (urn.toLowerCase() !== userSchema.id.toLowerCase()) throw ScimError.notFound(`No schema ${urn}`);
  return { ...schemaResource(qaseUserSchemaView, baseUrl) };
}
