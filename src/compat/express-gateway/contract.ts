import { z } from "zod";
import { ScimError } from "../../scim/errors.ts";

// The wire contract of the Express Gateway Admin API's /users (docs/compat/express-gateway.md), as
// express-gateway 1.16.x serves it: lib/rest/routes/users.js, lib/services/consumers/user.service.js,
// lib/config/models/users.json validated by ajv 6 (coerceTypes), error bodies in plain text.

// ajv 6's "fast" formats (ajv/lib/compile/formats.js), the ones the user model names.
const formats = {
  email: /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
  uri: /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/)?[^\s]*$/i,
} as const;

type Format = keyof typeof formats;

// The user model's properties in the model's order: every one a string, two with a format.
// Upstream's model has no `username` property (the service checks it apart); here it is one, so
// that it is coerced and typed like the others.
export const userModel = {
  username: {},
  firstname: {},
  lastname: {},
  email: { format: "email" },
  redirectUri: { format: "uri" },
} as const satisfies Record<string, { format?: Format }>;

export type UserProperty = keyof typeof userModel;

// §4.3, §8: the properties a create must carry unless the tenant's model says otherwise.
export const defaultRequiredProperties: readonly string[] = ["username", "firstname", "lastname"];

export type UserFields = { -readonly [name in UserProperty]?: string };

// §4.3 body: the model's properties; anything else (id, isActive, extra keys) is ignored.
export type CreateUserRequest = UserFields;

// §4.5 body: any subset of the model's mutable properties (username is dropped first).
export type UpdateUserRequest = Omit<UserFields, "username">;

// ajv 6 with coerceTypes: a number, boolean or null given for a string becomes one.
function coerceToString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "";
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// An ajv 6 validation failure, worded as ajv.errorsText words it ("data.email should match format \"email\"").
function modelError(message: string): ScimError {
  return ScimError.invalidValue(message);
}

// §4.3: validates a create body against the user model in ajv 6's order (the body's type, then the
// required properties in order, then each property's type and format) and reports the first
// failure as ajv does. Returns the model's properties, coerced.
export function readCreateUser(body: unknown, required: readonly string[]): CreateUserRequest {
  if (!isObject(body)) throw modelError("data should be object");
  const missing = required.find((name) => body[name] === undefined);
  if (missing !== undefined) throw modelError(`data should have required property '${missing}'`);
  const fields: CreateUserRequest = {};
  for (const [name, rule] of Object.entries(userModel) as [UserProperty, { format?: Format }][]) {
    if (body[name] === undefined) continue;
    const value = coerceToString(body[name]);
    if (value === undefined) throw modelError(`data.${name} should be string`);
    if (rule.format !== undefined && !formats[rule.format].test(value)) {
      throw modelError(`data.${name} should match format "${rule.format}"`);
    }
    fields[name] = value;
  }
  return fields;
}

// §4.5: upstream drops `username`, then rejects any key outside the model; formats are not
// checked on update (upstream does not), types are coerced as on create.
export function readUpdateUser(body: unknown): UpdateUserRequest {
  if (!isObject(body)) throw ScimError.invalidValue("one or more properties is invalid");
  const { username: _dropped, ...rest } = body;
  const fields: UpdateUserRequest = {};
  for (const [name, raw] of Object.entries(rest)) {
    if (!Object.hasOwn(userModel, name)) throw ScimError.invalidValue("one or more properties is invalid");
    const value = coerceToString(raw);
    if (value === undefined) throw ScimError.invalidValue(`data.${name} should be string`);
    fields[name as keyof UpdateUserRequest] = value;
  }
  return fields;
}

// §4.7 body: `status` is compared strictly with the user's current boolean; anything but `true`
// deactivates (upstream quirk, kept).
export function readStatusRequest(body: unknown): { status: unknown } {
  return { status: isObject(body) ? body.status : undefined };
}

// §4.2 query: `start` is the offset the previous page's nextKey gave (0 first), `count` the most
// users to return. Upstream hands both to Redis SCAN, whose errors come back as 500s.
const nonNegativeInteger = z.string().regex(/^\d{1,15}$/).transform(Number);
export const listQuerySchema = z.object({
  start: nonNegativeInteger.optional(),
  count: nonNegativeInteger.refine((count) => count > 0).optional(),
});

export interface ListUsersRequest {
  readonly start: number;
  readonly count: number;
}

export function readListQuery(query: unknown): ListUsersRequest {
  const parsed = listQuerySchema.safeParse(query);
  if (parsed.success) return { start: parsed.data.start ?? 0, count: parsed.data.count ?? 100 };
  const startFailed = parsed.error.issues.some((issue) => issue.path[0] === "start");
  throw ScimError.invalidValue(startFailed ? "ERR invalid cursor" : "ERR value is not an integer or out of range");
}

// §3.1: the user as every endpoint returns it; email and redirectUri only when set.
export const egUserSchema = z.strictObject({
  username: z.string(),
  id: z.string(),
  email: z.string().optional(),
  firstname: z.string().optional(),
  lastname: z.string().optional(),
  isActive: z.boolean(),
  redirectUri: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type EgUser = z.infer<typeof egUserSchema>;

// §4.2 response.
export const egUserListSchema = z.strictObject({
  users: z.array(egUserSchema),
  nextKey: z.number().int().nonnegative(),
});

export type EgUserList = z.infer<typeof egUserListSchema>;

// §4.7 response: a change says Activated/Deactivated, no change says Active/Inactive.
export const egStatusSchema = z.strictObject({
  status: z.enum(["Activated", "Deactivated", "Active", "Inactive"]),
});

export type EgStatus = z.infer<typeof egStatusSchema>;

// §5.1: error bodies are plain text: the message upstream sends with res.send(message).
export const egErrorBodySchema = z.string();
