// RFC 7643 §8.7 / RFC 7644 §3: the URNs of schemas and messages this server speaks.
export const userUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
export const groupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const enterpriseUserUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const listResponseUrn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const errorUrn = "urn:ietf:params:scim:api:messages:2.0:Error";
export const patchOpUrn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const bulkRequestUrn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
export const bulkResponseUrn = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
export const searchRequestUrn = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
