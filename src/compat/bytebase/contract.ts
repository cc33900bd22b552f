import { z } from "zod";
import { ScimError } from "../../scim/errors.ts";

// Bytebase v1 (AuthService / GroupService, Nov 2024) as grpc-gateway serves it
// (docs/compat/bytebase.md §1.3): protojson with lowerCamelCase names on output, enums as strings,
// zero values written out; on input both the JSON and the proto field names, enum names or
// numbers, unknown fields dropped.

// ---------------------------------------------------------------------------------------------
// Messages, as field tables: decoding renames proto names to JSON names and drops unknown fields;
// update_mask inference (translate.ts) walks the same tables.

export type FieldKind = "scalar" | "list" | "message";

export interface FieldDescriptor {
  readonly json: string;
  readonly proto: string;
  readonly kind: FieldKind;
  // For "message" fields, and for "list" fields whose elements are messages.
  readonly message?: MessageDescriptor;
}

export interface MessageDescriptor {
  readonly fullName: string;
  readonly fields: readonly FieldDescriptor[];
}

const scalar = (json: string, proto = json): FieldDescriptor => ({ json, proto, kind: "scalar" });

const profileMessage: MessageDescriptor = {
  fullName: "bytebase.v1.User.Profile",
  fields: [scalar("lastLoginTime", "last_login_time"), scalar("lastChangePasswordTime", "last_change_password_time"), scalar("source")],
};

// bytebase.v1.User (proto/v1/auth_service.proto)
export const userMessage: MessageDescriptor = {
  fullName: "bytebase.v1.User",
  fields: [
    scalar("name"),
    scalar("state"),
    scalar("email"),
    scalar("title"),
    scalar("userType", "user_type"),
    scalar("password"),
    scalar("serviceKey", "service_key"),
    scalar("mfaEnabled", "mfa_enabled"),
    scalar("mfaSecret", "mfa_secret"),
    { json: "recoveryCodes", proto: "recovery_codes", kind: "list" },
    scalar("phone"),
    { json: "profile", proto: "profile", kind: "message", message: profileMessage },
  ],
};

const groupMemberMessage: MessageDescriptor = {
  fullName: "bytebase.v1.GroupMember",
  fields: [scalar("member"), scalar("role")],
};

// bytebase.v1.Group (proto/v1/group_service.proto)
export const groupMessage: MessageDescriptor = {
  fullName: "bytebase.v1.Group",
  fields: [
    scalar("name"),
    scalar("title"),
    scalar("description"),
    scalar("creator"),
    { json: "members", proto: "members", kind: "list", message: groupMemberMessage },
    scalar("createTime", "create_time"),
    scalar("source"),
  ],
};

// bytebase.v1.LoginRequest: only the fields this server reads; the others are dropped.
const loginMessage: MessageDescriptor = {
  fullName: "bytebase.v1.LoginRequest",
  fields: [scalar("email"), scalar("password"), scalar("web")],
};

// protojson looks a field up by its proto name, then by its JSON name.
export function fieldByName(message: MessageDescriptor, name: string): FieldDescriptor | undefined {
  return message.fields.find((field) => field.proto === name) ?? message.fields.find((field) => field.json === name);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Known fields under their JSON names; unknown ones dropped (DiscardUnknown). A field given
// under both names is an error, as in protojson.
function withJsonNames(value: unknown, message: MessageDescriptor): unknown {
  if (!isObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const field = fieldByName(message, key);
    if (!field) continue;
    if (Object.hasOwn(result, field.json)) throw ScimError.invalidValue(`proto: duplicate field "${key}"`);
    const nested = field.message;
    result[field.json] =
      nested === undefined ? entry : field.kind === "list" && Array.isArray(entry) ? entry.map((item) => withJsonNames(item, nested)) : withJsonNames(entry, nested);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Field types. null is the zero value, as protojson reads it.

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? "");
const flag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? false);
// google.protobuf.Timestamp: RFC 3339 text.
const timestamp = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value))
  .nullish();
// Proto3 enums: the value's name or its number; an unknown number stays (as its digits).
function enumOf<const Names extends readonly [string, ...string[]]>(names: Names) {
  return z
    .union([z.enum(names), z.number().int()])
    .nullish()
    .transform((value): string => (value === undefined || value === null ? names[0] : typeof value === "number" ? (names[value] ?? String(value)) : value));
}

export const userTypes = ["USER_TYPE_UNSPECIFIED", "USER", "SYSTEM_BOT", "SERVICE_ACCOUNT"] as const;
export const userStates = ["STATE_UNSPECIFIED", "ACTIVE", "DELETED"] as const;
export const memberRoles = ["ROLE_UNSPECIFIED", "OWNER", "MEMBER"] as const;

export type UserType = (typeof userTypes)[number];

// ---------------------------------------------------------------------------------------------
// Requests

export const userInput = z.object({
  name: text,
  state: enumOf(userStates),
  email: text,
  title: text,
  userType: enumOf(userTypes),
  password: text,
  serviceKey: text,
  mfaEnabled: flag,
  mfaSecret: text,
  recoveryCodes: z
    .array(z.string())
    .nullish()
    .transform((value) => value ?? []),
  phone: text,
  profile: z.object({ lastLoginTime: timestamp, lastChangePasswordTime: timestamp, source: text }).nullish(),
});

export const groupInput = z.object({
  name: text,
  title: text,
  description: text,
  creator: text,
  members: z
    .array(z.object({ member: text, role: enumOf(memberRoles) }))
    .nullish()
    .transform((value) => value ?? []),
  createTime: timestamp,
  source: text,
});

export const loginInput = z.object({ email: text, password: text, web: flag });

export type UserInput = z.output<typeof userInput>;
export type GroupInput = z.output<typeof groupInput>;
export type LoginInput = z.output<typeof loginInput>;

function decode<T extends z.ZodType>(body: unknown, message: MessageDescriptor, schema: T): z.output<T> {
  if (!isObject(body)) throw ScimError.invalidValue(`proto: syntax error: unexpected token ${JSON.stringify(body)}, want a ${message.fullName} object`);
  const named = withJsonNames(body, message);
  const parsed = schema.safeParse(named);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).map(String);
  const value = path.reduce<unknown>((node, key) => (isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), named);
  throw ScimError.invalidValue(`proto: invalid value for field ${path.join(".") || message.fullName}: ${JSON.stringify(value)}`);
}

// The request body of POST /v1/users and PATCH /v1/users/{user}: the User message itself.
export function decodeUser(body: unknown): UserInput {
  return decode(body, userMessage, userInput);
}

// The request body of POST /v1/groups and PATCH /v1/groups/{group}: the Group message itself.
export function decodeGroup(body: unknown): GroupInput {
  return decode(body, groupMessage, groupInput);
}

// POST /v1/auth/login
export function decodeLogin(body: unknown): LoginInput {
  return decode(body, loginMessage, loginInput);
}

// Query parameters, as grpc-gateway reads them: by proto or JSON name, one value each, Go syntax
// for booleans and integers.
type Query = Record<string, unknown>;

function queryValue(query: Query, proto: string, json: string): string | undefined {
  const value = query[proto] ?? query[json];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw ScimError.invalidValue(`too many values for field "${proto}"`);
  return value;
}

function queryBoolean(query: Query, proto: string, json: string): boolean {
  const value = queryValue(query, proto, json);
  if (value === undefined) return false;
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  throw ScimError.invalidValue(`type mismatch, parameter: ${proto}, error: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
}

function queryInteger(query: Query, proto: string, json: string): number {
  const value = queryValue(query, proto, json);
  if (value === undefined) return 0;
  const number = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || Math.abs(number) > 2 ** 31 - 1) {
    throw ScimError.invalidValue(`type mismatch, parameter: ${proto}, error: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  return number;
}

export interface ListQuery {
  readonly showDeleted: boolean;
  readonly pageSize: number;
  readonly pageToken: string;
  readonly filter: string;
}

// GET /v1/users, GET /v1/groups
export function decodeListQuery(query: Query): ListQuery {
  return {
    showDeleted: queryBoolean(query, "show_deleted", "showDeleted"),
    pageSize: queryInteger(query, "page_size", "pageSize"),
    pageToken: queryValue(query, "page_token", "pageToken") ?? "",
    filter: queryValue(query, "filter", "filter") ?? "",
  };
}

export interface UpdateQuery {
  // The update_mask paths given in the query, if any (verbatim, split on ",").
  readonly updateMask?: readonly string[];
  readonly allowMissing: boolean;
}

// PATCH /v1/users/{user}, PATCH /v1/groups/{group}
export function decodeUpdateQuery(query: Query): UpdateQuery {
  const mask = queryValue(query, "update_mask", "updateMask");
  return {
    ...(mask === undefined ? {} : { updateMask: mask === "" ? [] : mask.split(",") }),
    allowMissing: queryBoolean(query, "allow_missing", "allowMissing"),
  };
}

// POST /v1/groups
export function decodeGroupEmail(query: Query): string {
  return queryValue(query, "group_email", "groupEmail") ?? "";
}

// ---------------------------------------------------------------------------------------------
// Input rules of the product

// backend/api/v1/auth_service.go validateEmail: lowercase, and an address mail.ParseAddress reads.
export function emailProblem(email: string): string | undefined {
  if (email !== email.toLowerCase()) return "email should be lowercase";
  if (email === "") return "mail: no address";
  if (!email.includes("@")) return "mail: missing '@' or angle-addr";
  const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  if (!new RegExp(`^${atom}(\\.${atom})*@${atom}(\\.${atom})*$`).test(email)) return "mail: invalid address";
  return undefined;
}

export function assertUserEmail(email: string): void {
  const problem = emailProblem(email);
  if (problem) throw ScimError.invalidValue(`invalid email ${JSON.stringify(email)} format: ${problem}`);
}

// Phone numbers are E.164 (Bytebase checks them with libphonenumber); empty is allowed.
export function assertPhone(phone: string): void {
  if (phone !== "" && !/^\+[1-9]\d{1,14}$/.test(phone)) {
    throw ScimError.invalidValue(`invalid phone ${JSON.stringify(phone)}, error: the phone number is not in E.164 format`);
  }
}

// CreateUser: email and title set, a user type that can be created, a valid email and phone.
export function assertCreatableUser(user: UserInput): void {
  if (user.email === "") throw ScimError.invalidValue("email must be set");
  if (user.title === "") throw ScimError.invalidValue("user title must be set");
  if (!userTypes.includes(user.userType as UserType) || user.userType === "USER_TYPE_UNSPECIFIED") {
    throw ScimError.invalidValue(`invalid user type ${user.userType}`);
  }
  if (user.userType !== "USER" && user.userType !== "SERVICE_ACCOUNT") throw ScimError.invalidValue("support user and service account only");
  assertUserEmail(user.email);
  assertPhone(user.phone);
}

// ---------------------------------------------------------------------------------------------
// Responses

const timestampOut = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);

// A User as every response writes it: all fields, zero values included.
export const bytebaseUserSchema = z.strictObject({
  name: z.string().regex(/^users\/.+$/),
  state: z.enum(["ACTIVE", "DELETED"]),
  email: z.string(),
  title: z.string(),
  userType: z.enum(userTypes),
  password: z.literal(""),
  serviceKey: z.string(),
  mfaEnabled: z.boolean(),
  mfaSecret: z.literal(""),
  recoveryCodes: z.array(z.string()).max(0),
  phone: z.string(),
  profile: z.strictObject({ lastLoginTime: timestampOut.nullable(), lastChangePasswordTime: timestampOut.nullable(), source: z.string() }),
});

export const bytebaseGroupSchema = z.strictObject({
  name: z.string().regex(/^groups\/.+$/),
  title: z.string(),
  description: z.string(),
  creator: z.string(),
  members: z.array(z.strictObject({ member: z.string().regex(/^users\/.+$/), role: z.enum(["OWNER", "MEMBER"]) })),
  createTime: timestampOut,
  source: z.string(),
});

export const loginResponseSchema = z.strictObject({ token: z.string(), requireResetPassword: z.boolean(), user: bytebaseUserSchema });
export const listUsersResponseSchema = z.strictObject({ users: z.array(bytebaseUserSchema), nextPageToken: z.string() });
export const listGroupsResponseSchema = z.strictObject({ groups: z.array(bytebaseGroupSchema), nextPageToken: z.string() });

// google.rpc.Status as grpc-gateway's DefaultHTTPErrorHandler writes it.
export const errorBodySchema = z.strictObject({ code: z.number().int(), message: z.string(), details: z.array(z.unknown()) });

export type BytebaseUser = z.infer<typeof bytebaseUserSchema>;
export type BytebaseGroup = z.infer<typeof bytebaseGroupSchema>;
export type LoginResponse = z.infer<typeof loginResponseSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;
