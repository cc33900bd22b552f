// Who a core operation acts for. Every storage call is scoped by this tenant.
export interface RequestContext {
  readonly tenantId: string;
  // The base URL resources are located under, e.g. "https://host/scim/v2" (RFC 7643 §3.1 meta.location).
  readonly baseUrl: string;
}
