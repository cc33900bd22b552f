import { z } from "zod";
import { ScimError } from "../../scim/errors.ts";

// Vyte API v2 (docs/compat/vyte.md §4): the requests the Users and Teams endpoints read and the
// JSON they answer with. Requests are read leniently (unknown keys are dropped), types strictly.

// §4.4: user.language.
export const vyteLanguages = ["fr", "en", "es", "it", "pt", "de", "sv", "nl"] as const;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const opaque = z.record(z.string(), z.unknown());
const email = z.email({ message: "must be an email address" });
const text = z.string().trim().min(1);
// §4.5: `public` is sometimes sent as the string "false".
const booleanish = z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]);

// §4.4: the user body's `user` key.
export const userFields = z.object({
  _id: text.optional(),
  id: text.optional(),
  email: email.optional(),
  emails: z.array(email).optional(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  language: z.enum(vyteLanguages, { message: `must be one of ${vyteLanguages.join(", ")}` }).optional(),
  timezone: z.string().refine(isTimeZone, { message: "must be an IANA time zone such as Europe/Paris" }).optional(),
  picture_url: z.string().nullish(),
  account: z
    .object({
      organization: z.object({ extid: text.nullish(), admin: z.boolean().optional() }).optional(),
    })
    .optional(),
  availability: opaque.optional(),
  vyteme: opaque.optional(),
  modules: opaque.optional(),
  consent: opaque.optional(),
});
export type UserFields = z.infer<typeof userFields>;

// §6.3: a team named in a user body, found by extid, else by name, else created.
export const teamMembership = z
  .object({ name: text.optional(), extid: text.optional(), admin: booleanish.optional() })
  .refine((team) => team.name !== undefined || team.extid !== undefined, { message: "a team needs a name or an extid" });
export type TeamMembership = z.infer<typeof teamMembership>;

// §4.4: the user body of POST /v2/users, PUT /v2/users/:id and the batch items.
export const userRequest = z
  .object({
    organization: text.optional(),
    finish_signup_with: z.literal("email", { message: 'finish_signup_with can only be "email"' }).optional(),
    _id: text.optional(),
    id: text.optional(),
    user: userFields.default({}),
    teams: z.array(teamMembership).optional(),
    availability: opaque.optional(),
    vyteme: opaque.optional(),
    // §4.4: a third-party password inside. Read so that its shape is checked, then dropped.
    calendars: z.array(z.object({ source: text, credentials: opaque.optional() })).optional(),
    // The documented user object sends login credentials and finish_signup_with together, so
    // both are honoured: the credentials are set and the sign-up link is still answered.
    login: z.object({ credentials: z.object({ username: text.optional(), password: z.string().min(1).optional() }) }).optional(),
  });
export type UserRequest = z.infer<typeof userRequest>;

// §5.7: a bare array, or a wrapper whose organization applies to items that lack one.
export const batchRequest = z.union([
  z.array(z.unknown()),
  z.object({ organization: text.optional(), users: z.array(z.unknown()) }),
]);
export const maxBatchItems = 100;

// §4.5: members and admins name users by id or by {_id}, {email} or {extid}.
export const userReference = z.union([
  text,
  z.object({ _id: text }),
  z.object({ email: text }),
  z.object({ extid: text }),
]);
export type UserReference = z.infer<typeof userReference>;

const teamFields = {
  organization: text.optional(),
  name: text,
  extid: text,
  admins: z.array(userReference).optional(),
  members: z.array(userReference).optional(),
  level_name: z.string().nullish(),
  public: booleanish.optional(),
};
// §5.11: name and extid are required on create.
export const teamCreate = z.object(teamFields);
// §5.12: any subset; members and admins replace wholesale.
export const teamUpdate = z.object(teamFields).partial();
export type TeamCreate = z.infer<typeof teamCreate>;
export type TeamUpdate = z.infer<typeof teamUpdate>;

// §4.1 User.
export const vyteUser = z.object({
  _id: z.string(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  full_name: z.string().optional(),
  emails: z.array(z.string()),
  language: z.string(),
  timezone: z.string().optional(),
  picture_url: z.string().optional(),
  signedup_with: z.string(),
  calendars: z.record(z.string(), z.boolean()),
  modules: opaque,
  account: z.object({
    organization: z.object({ name: z.string(), id: z.string(), extid: z.string().optional(), admin: z.boolean() }),
    plan: z.string(),
  }),
  consent: opaque.optional(),
  availability: opaque.optional(),
  vyteme: opaque.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  __v: z.number().int(),
});
export type VyteUser = z.infer<typeof vyteUser>;

// §5.4, §5.5, batch items: {user}, plus the sign-up link when one was asked for.
export const userResult = z.object({
  user: vyteUser,
  finish_signup_with: z.literal("email").optional(),
  link: z.string().optional(),
});
export type UserResult = z.infer<typeof userResult>;

// §3.1: the error body; also a failed batch item's `error`.
export const vyteError = z.object({ status: z.number().int(), message: z.string() });
export type VyteError = z.infer<typeof vyteError>;

export const batchResult = z.array(z.union([userResult, z.object({ error: vyteError })]));
export type BatchResult = z.infer<typeof batchResult>;

// §4.2: in DELETE's answer the members are abbreviated users.
export const memberSummary = vyteUser.pick({ _id: true, first_name: true, last_name: true, full_name: true, emails: true });
export type MemberSummary = z.infer<typeof memberSummary>;

// §4.2 Organization (GET /v2/auth/test; DELETE /v2/users/:id).
export const vyteOrganization = z.object({
  lang: z.string(),
  admins: z.array(z.string()),
  members: z.array(z.union([z.string(), memberSummary])),
  private: z.boolean(),
  _id: z.string(),
  name: z.string(),
  plan: z.string(),
  __v: z.number().int(),
});
export type VyteOrganization = z.infer<typeof vyteOrganization>;

// §4.3 Team.
export const vyteTeam = z.object({
  _id: z.string(),
  organization: z.string(),
  extid: z.string().optional(),
  name: z.string(),
  level_name: z.string().optional(),
  public: z.boolean(),
  admins: z.array(z.string()),
  members: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  __v: z.number().int(),
});
export type VyteTeam = z.infer<typeof vyteTeam>;

// A request body read against its contract; a mismatch is a 400 naming the first offending field.
export function readRequest<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw ScimError.invalidValue(`${where}${issue?.message ?? "the request body is not valid"}`);
}

// §5.7: the items, each with the wrapper's organization when it names none. Not an array
// or wrapper, or empty -> 400; more than maxBatchItems -> 413. Items are read one by one later,
// so that a bad item fails alone.
export function readBatch(body: unknown): unknown[] {
  const batch = readRequest(batchRequest, body);
  const items = Array.isArray(batch)
    ? batch
    : batch.users.map((item) =>
        batch.organization !== undefined && typeof item === "object" && item !== null && !Array.isArray(item) && !("organization" in item)
          ? { ...item, organization: batch.organization }
          : item,
      );
  if (items.length === 0) throw ScimError.invalidValue("The batch is empty");
  if (items.length > maxBatchItems) throw ScimError.payloadTooLarge(`A batch holds at most ${maxBatchItems} users`);
  return items;
}
