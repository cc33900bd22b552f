import { z } from "zod";
import { subscriptionFormats } from "../events/ports.ts";

// The bodies the admin API reads (docs/admin-api.md), as api.ts parses them and /openapi.json
// describes them.

export const tenantName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "a tenant name is 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");

export const tenantCreation = z.object({ name: tenantName }).strict();

export const tenantChange = z
  .object({
    patchReturn: z.enum(["representation", "minimal"]).optional(),
    options: z.record(z.string(), z.string().nullable()).optional(),
    enableApis: z.array(z.string()).optional(),
  })
  .strict();

export const tokenRequest = z
  .object({
    api: z.string().default("scim"),
    scope: z.enum(["read", "write"]).default("write"),
    ttl: z.string().optional(),
  })
  .strict();

export const subscriptionRequest = z
  .object({
    url: z.string().optional(),
    format: z.enum(subscriptionFormats).default("webhook"),
    types: z.array(z.string()).default([]),
    audience: z.string().min(1).optional(),
    retryFor: z.string().optional(),
  })
  .strict();

export const subscriptionChange = z.object({ paused: z.boolean() }).strict();

export const replayRequest = z.object({ from: z.union([z.number().int().min(1), z.string()]).optional() }).strict();
