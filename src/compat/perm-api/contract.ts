import { z } from "zod";

// The "/api/v2/user" + permission-groups API (docs/compat/perm-api.md; the product is not
// identified, so what its documentation leaves open follows Django REST Framework, §1.1): its
// requests, its user and role objects, and its error bodies, with DRF's own wording.

// DRF's field-error messages (rest_framework/fields.py, relations.py, serializers.py); §3.3, §5.1.
export const fieldMessages = {
  required: "This field is required.",
  null: "This field may not be null.",
  blank: "This field may not be blank.",
  string: "Not a valid string.",
  boolean: "Must be a valid boolean.",
  email: "Enter a valid email address.",
  maxLength: (limit: number) => `Ensure this field has no more than ${limit} characters.`,
  notAList: (type: string) => `Expected a list of items but got type "${type}".`,
  pkType: (type: string) => `Incorrect type. Expected pk value, received ${type}.`,
  pkMissing: (pk: string) => `Invalid pk "${pk}" - object does not exist.`,
  notADictionary: (type: string) => `Invalid data. Expected a dictionary, but got ${type}.`,
  emailTaken: "user with this email already exists.",
} as const;

// DRF's `detail` messages (rest_framework/exceptions.py, authentication.py); §2.2, §5.2.
export const detailMessages = {
  notAuthenticated: "Authentication credentials were not provided.",
  noCredentials: "Invalid token header. No credentials provided.",
  tokenWithSpaces: "Invalid token header. Token string should not contain spaces.",
  invalidToken: "Invalid token.",
  permissionDenied: "You do not have permission to perform this action.",
  notFound: "Not found.",
  methodNotAllowed: (method: string) => `Method "${method}" not allowed.`,
  parseError: (reason: string) => `JSON parse error - ${reason}`,
  tooLarge: "Request body is too large.",
  unsupportedMediaType: "Unsupported media type in request.",
  serverError: "A server error occurred.",
} as const;

// The name Python gives the type of a decoded JSON value, as DRF's messages print it.
export function pythonType(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "dict";
}

// Django's EmailValidator: a dot-atom local part and a domain of labels with a TLD.
const email = /^[-!#$%&'*+/=?^_`{}|~0-9a-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+)[a-z0-9-]{1,62}[a-z0-9]$/i;

// DRF CharField: numbers are taken as their text, booleans and objects are refused, surrounding
// whitespace is trimmed (except for passwords).
function charField(options: { maxLength?: number; allowBlank?: boolean; trim?: boolean } = {}) {
  let field = z.string({
    error: (issue) => (issue.input === undefined ? fieldMessages.required : issue.input === null ? fieldMessages.null : fieldMessages.string),
  });
  if (options.trim !== false) field = field.trim();
  if (!options.allowBlank) field = field.min(1, { error: fieldMessages.blank, abort: true });
  if (options.maxLength !== undefined) field = field.max(options.maxLength, { error: fieldMessages.maxLength(options.maxLength), abort: true });
  return z.preprocess((value) => (typeof value === "number" ? String(value) : value), field);
}

const emailField = charField({ maxLength: 254 }).pipe(z.string().regex(email, fieldMessages.email));

// DRF BooleanField: true/false and their usual spellings.
const truthy = new Set<unknown>([true, 1, "1", "true", "True", "TRUE", "t", "T", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON"]);
const falsy = new Set<unknown>([false, 0, "0", "false", "False", "FALSE", "f", "F", "n", "N", "no", "No", "NO", "off", "Off", "OFF"]);
const booleanField = z.preprocess(
  (value) => (truthy.has(value) ? true : falsy.has(value) ? false : value),
  z.boolean({ error: (issue) => (issue.input === null ? fieldMessages.null : fieldMessages.boolean) }),
);

// DRF PrimaryKeyRelatedField(many=True) over integer role ids: integers or numeric strings. Like
// DRF, only the first bad item is reported.
export const roleIdsField = z.unknown().transform((value, context) => {
  if (value === null) {
    context.addIssue({ code: "custom", message: fieldMessages.null, input: value });
    return z.NEVER;
  }
  if (!Array.isArray(value)) {
    context.addIssue({ code: "custom", message: fieldMessages.notAList(pythonType(value)), input: value });
    return z.NEVER;
  }
  const ids: RoleIdInput[] = [];
  for (const item of value) {
    const id = typeof item === "number" ? item : typeof item === "string" && /^\s*-?\d+\s*$/.test(item) ? Number(item) : undefined;
    if (id === undefined) {
      context.addIssue({ code: "custom", message: fieldMessages.pkType(pythonType(item)), input: item });
      return z.NEVER;
    }
    ids.push({ id, given: String(item) });
  }
  return ids;
});

// A role id as parsed, with the text the client gave, for the error naming it.
export interface RoleIdInput {
  readonly id: number;
  readonly given: string;
}

const userFields = {
  email: emailField,
  password: charField({ trim: false }),
  first_name: charField({ maxLength: 150, allowBlank: true }),
  last_name: charField({ maxLength: 150, allowBlank: true }),
  phone: charField({ maxLength: 128, allowBlank: true }),
  groups: roleIdsField,
  is_active: booleanField,
  mfa: booleanField,
  reset_pw: booleanField,
  reset_2fa: booleanField,
};

const dictionary = { error: (issue: { input: unknown }) => fieldMessages.notADictionary(pythonType(issue.input)) };

// §4.2 `POST /api/v2/user`: email and password required. Read-only fields (id, username, company,
// permissions) and unknown keys are ignored, as DRF does.
export const userCreateRequest = z.object(
  {
    ...userFields,
    first_name: userFields.first_name.optional(),
    last_name: userFields.last_name.optional(),
    phone: userFields.phone.optional(),
    groups: userFields.groups.optional(),
    is_active: userFields.is_active.optional(),
    mfa: userFields.mfa.optional(),
    reset_pw: userFields.reset_pw.optional(),
    reset_2fa: userFields.reset_2fa.optional(),
  },
  dictionary,
);
export type UserCreateRequest = z.infer<typeof userCreateRequest>;

// §4.5 `PATCH /api/v2/user/<uuid>`: the same fields, all optional (a partial update).
export const userUpdateRequest = z.object(
  Object.fromEntries(Object.entries(userFields).map(([name, field]) => [name, field.optional()])) as {
    [K in keyof typeof userFields]: z.ZodOptional<(typeof userFields)[K]>;
  },
  dictionary,
);
export type UserUpdateRequest = z.infer<typeof userUpdateRequest>;

// The role ids of a request checked against the roles that exist: DRF's "Invalid pk" on the first
// one that does not.
export function knownRoleIds(existing: ReadonlySet<number>) {
  return z.object({
    groups: z.array(z.object({ id: z.number(), given: z.string() })).superRefine((ids, context) => {
      const missing = ids.find((role) => !existing.has(role.id));
      if (missing) context.addIssue({ code: "custom", message: fieldMessages.pkMissing(missing.given), input: missing.given });
    }),
  });
}

// §3.2 Role ("permission group").
export const role = z.object({
  id: z.number().int(),
  name: z.string(),
  permissions: z.array(z.string()),
});
export type Role = z.infer<typeof role>;

// §3.1 User, as returned. The password is write-only and never appears.
export const user = z.object({
  id: z.string(),
  first_name: z.string(),
  username: z.string(),
  last_name: z.string(),
  phone: z.string(),
  email: z.string(),
  company: z.string(),
  groups: z.array(role),
  mfa: z.boolean(),
  reset_pw: z.boolean(),
  reset_2fa: z.boolean(),
  is_active: z.boolean(),
  permissions: z.array(z.string()),
});
export type User = z.infer<typeof user>;

// §5 DRF error bodies: `{"detail": "..."}` for request-level errors, `{"<field>": ["...", ...]}`
// (with "non_field_errors" for the body as a whole) for validation errors.
export const detailError = z.object({ detail: z.string() });
export const validationError = z.record(z.string(), z.array(z.string()));
export type ValidationErrorBody = z.infer<typeof validationError>;
