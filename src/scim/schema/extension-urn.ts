// The URN namespace of this server's own extension schemas (RFC 7643 §10.3 leaves it to the
// service provider).
export function extensionUrn<Product extends string, Extended extends "User" | "Group" | "ServiceProviderConfig">(
  product: Product,
  extended: Extended,
): `urn:scim-server:params:scim:schemas:extension:${Product}:2.0:${Extended}` {
  return `urn:scim-server:params:scim:schemas:extension:${product}:2.0:${extended}`;
}
