import { bytebaseGroupSchema, bytebaseUserSchema } from "./bytebase.ts";
import { expressGatewayUserSchema } from "./expressgateway.ts";
import { permGroupsGroupSchema, permGroupsUserSchema } from "./permgroups.ts";
import { qaseUserSchema } from "./qase.ts";
import { vyteGroupSchema, vyteUserSchema } from "./vyte.ts";

// This server's own extension schemas (RFC 7643 §3.3), by the resource type they extend. They
// carry what the compat APIs know that SCIM lacks, so that one store serves every API.
export const userExtensionSchemas = [bytebaseUserSchema, vyteUserSchema, permGroupsUserSchema, qaseUserSchema, expressGatewayUserSchema];
export const groupExtensionSchemas = [bytebaseGroupSchema, vyteGroupSchema, permGroupsGroupSchema];

export {
  bytebaseGroupSchema, bytebaseUserSchema, expressGatewayUserSchema, permGroupsGroupSchema, permGroupsUserSchema,
  qaseUserSchema, vyteGroupSchema, vyteUserSchema,
};
