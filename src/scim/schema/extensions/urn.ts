// The URN namespace of this server's own extension schemas (RFC 7643 §10.3 leaves it to the
// service provider).
export function extensionUrn(product: string, resourceType: "User" | "Group"): string {
  return `urn:scim-server:params:scim:schemas:extension:${product}:2.0:${resourceType}`;
}
