import type { FilterLimits } from "../filter/limits.ts";
import { serverLimitsUrn } from "./server-limits.ts";
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition, SchemaExtensionRef } from "./types.ts";

const serviceProviderConfigUrn = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const resourceTypeUrn = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const schemaUrn = "urn:ietf:params:scim:schemas:core:2.0:Schema";

// RFC 7643 §5 "authenticationSchemes". The §8.5 example also shows "primary", which §5 does not
// define; with one scheme it says nothing, so it is left out for clients that allow only §5's keys.
export interface AuthenticationScheme {
  readonly type: "oauth" | "oauth2" | "oauthbearertoken" | "httpbasic" | "httpdigest";
  readonly name: string;
  readonly description: string;
  readonly specUri?: string;
  readonly documentationUri?: string;
}

// RFC 7643 §5 and RFC 6750: bearer tokens, the scheme this server authenticates with.
export const oauthBearerToken: AuthenticationScheme = {
  type: "oauthbearertoken",
  name: "OAuth Bearer Token",
  description: "Authentication scheme using the OAuth Bearer Token Standard",
  specUri: "https://www.rfc-editor.org/info/rfc6750",
};

// RFC 7643 §5: what the running server actually supports; the caller passes real values.
export interface Capabilities {
  readonly documentationUri?: string;
  readonly patch: boolean;
  readonly bulk: { readonly supported: boolean; readonly maxOperations: number; readonly maxPayloadSize: number };
  readonly filter: { readonly supported: boolean; readonly maxResults: number };
  // This server's limits on a filter's text, nesting and number of terms: served in its own
  // extension (server-limits.ts), since RFC 7643 §5's "filter" has no room for them.
  readonly filterLimits?: FilterLimits;
  // RFC 9865 §4: which pagination methods the server offers.
  readonly pagination?: {
    readonly cursor: boolean;
    readonly index: boolean;
    readonly defaultPaginationMethod: "cursor" | "index";
    readonly defaultPageSize: number;
    readonly maxPageSize: number;
  };
  readonly changePassword: boolean;
  readonly sort: boolean;
  readonly etag: boolean;
  readonly authenticationSchemes: readonly AuthenticationScheme[];
  readonly securityEvents?: SecurityEvents;
}

// RFC 9967 §4 (which adds it to RFC 7643 §5): asynchronous requests, and the event URIs of the
// security event tokens the server issues.
export interface SecurityEvents {
  readonly asyncRequest: "none" | "long" | "request";
  readonly eventUris: readonly string[];
}

export interface Meta {
  readonly resourceType: "ServiceProviderConfig" | "ResourceType" | "Schema";
  readonly location: string;
}

export interface ServiceProviderConfigResource {
  readonly schemas: readonly string[];
  readonly documentationUri?: string;
  readonly patch: { readonly supported: boolean };
  readonly bulk: Capabilities["bulk"];
  readonly filter: Capabilities["filter"];
  readonly pagination?: Capabilities["pagination"];
  readonly changePassword: { readonly supported: boolean };
  readonly sort: { readonly supported: boolean };
  readonly etag: { readonly supported: boolean };
  readonly authenticationSchemes: readonly AuthenticationScheme[];
  readonly securityEvents?: SecurityEvents;
  readonly [serverLimitsUrn]?: { readonly filter: FilterLimits };
  readonly meta: Meta;
}

export interface SchemaResource {
  readonly schemas: readonly [typeof schemaUrn];
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
  readonly meta: Meta;
}

export interface ResourceTypeResource {
  readonly schemas: readonly [typeof resourceTypeUrn];
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: string;
  readonly schemaExtensions?: readonly SchemaExtensionRef[];
  readonly meta: Meta;
}

function location(baseUrl: string, ...segments: string[]): string {
  return [baseUrl.replace(/\/+$/, ""), ...segments].join("/");
}

function renderAuthenticationScheme(scheme: AuthenticationScheme): AuthenticationScheme {
  return {
    type: scheme.type,
    name: scheme.name,
    description: scheme.description,
    ...(scheme.specUri !== undefined && { specUri: scheme.specUri }),
    ...(scheme.documentationUri !== undefined && { documentationUri: scheme.documentationUri }),
  };
}

function renderAttribute(attribute: AttributeDefinition): AttributeDefinition {
  return {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
    ...(attribute.canonicalValues !== undefined && { canonicalValues: [...attribute.canonicalValues] }),
    caseExact: attribute.caseExact,
    mutability: attribute.mutability,
    returned: attribute.returned,
    uniqueness: attribute.uniqueness,
    ...(attribute.referenceTypes !== undefined && { referenceTypes: [...attribute.referenceTypes] }),
    ...(attribute.subAttributes !== undefined && { subAttributes: attribute.subAttributes.map(renderAttribute) }),
  };
}

// RFC 7643 §5 and §8.5: GET /ServiceProviderConfig.
export function serviceProviderConfig(baseUrl: string, capabilities: Capabilities): ServiceProviderConfigResource {
  return {
    schemas: capabilities.filterLimits === undefined ? [serviceProviderConfigUrn] : [serviceProviderConfigUrn, serverLimitsUrn],
    ...(capabilities.documentationUri !== undefined && { documentationUri: capabilities.documentationUri }),
    patch: { supported: capabilities.patch },
    bulk: {
      supported: capabilities.bulk.supported,
      maxOperations: capabilities.bulk.maxOperations,
      maxPayloadSize: capabilities.bulk.maxPayloadSize,
    },
    filter: { supported: capabilities.filter.supported, maxResults: capabilities.filter.maxResults },
    ...(capabilities.pagination !== undefined && { pagination: { ...capabilities.pagination } }),
    changePassword: { supported: capabilities.changePassword },
    sort: { supported: capabilities.sort },
    etag: { supported: capabilities.etag },
    authenticationSchemes: capabilities.authenticationSchemes.map(renderAuthenticationScheme),
    ...(capabilities.securityEvents !== undefined && {
      securityEvents: { asyncRequest: capabilities.securityEvents.asyncRequest, eventUris: [...capabilities.securityEvents.eventUris] },
    }),
    ...(capabilities.filterLimits !== undefined && {
      [serverLimitsUrn]: {
        filter: {
          maxLength: capabilities.filterLimits.maxLength,
          maxDepth: capabilities.filterLimits.maxDepth,
          maxTerms: capabilities.filterLimits.maxTerms,
        },
      },
    }),
    meta: { resourceType: "ServiceProviderConfig", location: location(baseUrl, "ServiceProviderConfig") },
  };
}

// RFC 7643 §7 and §8.7.1: GET /Schemas/{id}; common attributes (§3.1) are not listed.
export function schemaResource(schema: SchemaDefinition, baseUrl: string): SchemaResource {
  return {
    schemas: [schemaUrn],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(renderAttribute),
    meta: { resourceType: "Schema", location: location(baseUrl, "Schemas", schema.id) },
  };
}

// RFC 7643 §6 and §8.6: GET /ResourceTypes/{name}; "schemaExtensions" is left out when there are none.
export function resourceTypeResource(resourceType: ResourceTypeDefinition, baseUrl: string): ResourceTypeResource {
  return {
    schemas: [resourceTypeUrn],
    id: resourceType.id,
    name: resourceType.name,
    endpoint: resourceType.endpoint,
    description: resourceType.description,
    schema: resourceType.schema,
    ...(resourceType.schemaExtensions.length > 0 && {
      schemaExtensions: resourceType.schemaExtensions.map((extension) => ({
        schema: extension.schema,
        required: extension.required,
      })),
    }),
    meta: { resourceType: "ResourceType", location: location(baseUrl, "ResourceTypes", resourceType.id) },
  };
}
