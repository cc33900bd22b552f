import type { Response } from "express";
import { z } from "zod";
import { ScimError } from "../../scim/errors.ts";
import { errorUrn, listResponseUrn, userUrn } from "../../scim/schema/urns.ts";

// The Qase SCIM 2.0 profile (docs/compat/qase.md): what Qase clients send and what they get back.
// Qase is SCIM, so attribute names are read in any case (RFC 7643 §2.1); attributes Qase does not
// support are ignored (§3.2).

// §3.2: the license tiers, compared case-insensitively and stored as the caller spelled them.
export const qaseUserTypes = ["regular", "read-only", "readonly", "billing"] as const;

// §3.2: name.givenName and name.familyName hold at most 60 characters.
export const maxNameLength = 60;

// §1.3: request bodies above this size are answered 413.
export const qaseBodyLimitBytes = 800_000;

// A string attribute, with messages that name it.
const text = (label: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be a string`) });

// Qase's userName is the user's email (docs/compat/qase.md §3.2): a local part and a domain with a
// dot, no spaces. Qase's own check is not published; this refuses what cannot be an address.
const emailAddress = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const userNameText = (requiredMessage: string) =>
  text("userName").trim().min(1, { message: requiredMessage, abort: true }).regex(emailAddress, { message: "userName must be an email address" });

const nameText = (label: string) =>
  text(label).max(maxNameLength, { message: `${label} must be at most ${maxNameLength} characters` });

const userType = text("userType")
  .refine((value) => (qaseUserTypes as readonly string[]).includes(value.toLowerCase()), {
    message: `userType must be one of ${qaseUserTypes.join(", ")}`,
  });

// SCIM null is "unassigned" (RFC 7643 §2.5): it reads as absent.
const absentWhenNull = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

const userKeys = ["userName", "name", "displayName", "userType", "title", "active"] as const;
const nameKeys = ["givenName", "familyName", "formatted"] as const;

const personName = z.preprocess(
  (value) => canonicalKeys(value, nameKeys),
  z.looseObject({
    givenName: absentWhenNull(nameText("name.givenName")),
    familyName: absentWhenNull(nameText("name.familyName")),
    formatted: absentWhenNull(text("name.formatted")),
  }),
);

const userFields = {
  userName: userNameText("userName is required"),
  displayName: absentWhenNull(text("displayName")),
  userType: absentWhenNull(userType),
  title: absentWhenNull(text("title")),
  active: absentWhenNull(z.boolean({ message: "active must be true or false" })),
};

// §4.5 PUT /Users/{id}: a full User; `id`, `meta`, `emails` and unknown attributes are ignored.
export const qaseUserReplace = z.preprocess(
  (value) => canonicalKeys(value, userKeys),
  z.looseObject({ ...userFields, name: absentWhenNull(personName) }),
);

// §4.4 POST /Users: userName, name.givenName and name.familyName are required.
export const qaseUserCreate = z.preprocess(
  (value) => canonicalKeys(value, userKeys),
  z.looseObject({
    ...userFields,
    name: z.preprocess(
      (value) => canonicalKeys(value, nameKeys),
      z.looseObject(
        {
          givenName: nameText("name.givenName").trim().min(1, { message: "name.givenName is required" }),
          familyName: nameText("name.familyName").trim().min(1, { message: "name.familyName is required" }),
          formatted: absentWhenNull(text("name.formatted")),
        },
        { error: "name.givenName and name.familyName are required" },
      ),
    ),
  }),
);

export type QaseUserReplace = z.infer<typeof qaseUserReplace>;
export type QaseUserCreate = z.infer<typeof qaseUserCreate>;
export type QaseUserInput = QaseUserReplace | QaseUserCreate;

// §4.6 PATCH: the attribute paths Qase supports, in their canonical spelling, and what each takes.
// `active` is left to the core, which also reads Entra's "True"/"False". "" clears (Entra).
export const qasePatchValues = {
  active: z.unknown(),
  userName: userNameText("userName must not be empty"),
  "name.givenName": nameText("name.givenName").nullable(),
  "name.familyName": nameText("name.familyName").nullable(),
  userType: z.literal("").or(userType).nullable(),
  displayName: text("displayName").nullable(),
  title: text("title").nullable(),
} as const satisfies Record<string, z.ZodType>;

export type QasePatchPath = keyof typeof qasePatchValues;

// Reads a request body against a contract; what does not fit is a 400 invalidValue (§3.2).
export function readBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw ScimError.invalidSyntax("The request body must be a JSON object");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw ScimError.invalidValue(describeIssues(parsed.error));
  return parsed.data;
}

// A PATCH value read against its path's schema.
export function readPatchValue(path: QasePatchPath, value: unknown): unknown {
  const parsed = qasePatchValues[path].safeParse(value);
  if (!parsed.success) throw ScimError.invalidValue(describeIssues(parsed.error, path));
  return parsed.data;
}

function describeIssues(error: z.ZodError, path?: string): string {
  return error.issues
    .map((issue) => {
      const where = [path, ...issue.path.map(String)].filter((part) => part !== undefined && part !== "").join(".");
      return where === "" || issue.message.includes(where) ? issue.message : `${where}: ${issue.message}`;
    })
    .join("; ");
}

// RFC 7643 §2.1: attribute names are case-insensitive; known ones get their canonical spelling.
function canonicalKeys(value: unknown, names: readonly string[]): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    result[names.find((name) => name.toLowerCase() === key.toLowerCase()) ?? key] = entry;
  }
  return result;
}

// ---- Responses (§3.1, §4.2, §5.1) ----

// A User as Qase emits it: digits for `id`, one primary email equal to userName, userType and
// title only when stored.
export const qaseUser = z.strictObject({
  schemas: z.tuple([z.literal(userUrn)]),
  id: z.string().regex(/^\d+$/),
  userName: z.string(),
  name: z.strictObject({ givenName: z.string().optional(), familyName: z.string().optional() }).optional(),
  active: z.boolean(),
  userType: z.string().optional(),
  title: z.string().optional(),
  emails: z.array(z.strictObject({ value: z.string(), primary: z.literal(true) })).length(1),
  meta: z.strictObject({ resourceType: z.literal("User"), location: z.string() }),
});

export type QaseUser = z.infer<typeof qaseUser>;

// §4.2: RFC 7644 §3.4.2 ListResponse; Resources may be projected (attributes / excludedAttributes).
export const qaseListResponse = z.strictObject({
  schemas: z.tuple([z.literal(listResponseUrn)]),
  totalResults: z.number().int().nonnegative(),
  itemsPerPage: z.number().int().nonnegative(),
  startIndex: z.number().int().positive(),
  Resources: z.array(z.record(z.string(), z.unknown())),
});

// §5.1: the SCIM Error schema; `status` is a string.
export const qaseError = z.strictObject({
  schemas: z.tuple([z.literal(errorUrn)]),
  status: z.string().regex(/^\d{3}$/),
  scimType: z.string().optional(),
  detail: z.string(),
});

export type QaseError = z.infer<typeof qaseError>;

// docs/compat/qase.md §1.3: every Qase response body is application/scim+json; Location is set here too.
export const qaseContentType = "application/scim+json; charset=utf-8";

export function sendQase(res: Response, status: number, body: object, location?: string): void {
  if (location) res.setHeader("Location", location);
  res.status(status).type(qaseContentType).send(JSON.stringify(body));
}
