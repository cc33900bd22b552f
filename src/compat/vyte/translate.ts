import { ScimError } from "../../scim/errors.ts";
import type { PatchOperation } from "../../scim/patch/operations.ts";
import type { Attributes, MemberRef, StoredGroup, StoredUser } from "../../scim/ports.ts";
import { vyteGroupSchema, vyteUserSchema } from "./extension.ts";
import { groupUrn, patchOpUrn, userUrn } from "../../scim/schema/urns.ts";
import type {
  MemberSummary, TeamCreate, TeamUpdate, UserFields, UserRequest, UserResult, VyteOrganization, VyteTeam, VyteUser,
} from "./contract.ts";

// Vyte v2 <-> SCIM (docs/compat/vyte.md §8), pure: no I/O. A Vyte user is a SCIM User with the
// Vyte User extension, a team a SCIM Group with the Vyte Group extension.

export const vyteUserUrn = vyteUserSchema.id;
export const vyteTeamUrn = vyteGroupSchema.id;
// Attribute paths the router filters on.
export const userObjectIdPath = `${vyteUserUrn}:objectId`;
export const userLinkedPath = `${vyteUserUrn}:linked`;
export const userOrgAdminPath = `${vyteUserUrn}:orgAdmin`;
export const teamObjectIdPath = `${vyteTeamUrn}:objectId`;
export const teamAdminsPath = `${vyteTeamUrn}:admins`;

// The caller's organisation: its tenant.
export interface Organisation {
  readonly id: string;
  readonly name: string;
}

type Json = Record<string, unknown>;

const plan = "pro";
// §4.1: which calendars are connected. Calendar credentials are never kept, so none is.
const calendars = { google: false, office365: false, exchange: false, icloud: false, caldav: false };
const defaultModules = {
  brand: false, assistant: false, vyteme: false, vyteme_pro: false, availabilities: false, billing: false, group_pro: false, team: false,
};

function objectOf(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

// The extension's free-form objects are kept as JSON text.
function jsonObjectOf(value: unknown): Json | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}

function withoutUndefined<T extends Json>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

// The value of the primary element of a multi-valued attribute, else of the first.
function primaryValueOf(values: unknown, preferredType?: string): string | undefined {
  const list = Array.isArray(values) ? values.map(objectOf) : [];
  const chosen =
    list.find((element) => element.primary === true) ??
    list.find((element) => preferredType !== undefined && element.type === preferredType) ??
    list[0];
  return textOf(chosen?.value);
}

function fullNameOf(first: string | undefined, last: string | undefined): string | undefined {
  const full = [first, last].filter((part) => part !== undefined && part !== "").join(" ");
  return full === "" ? undefined : full;
}

function isoOf(date: Date): string {
  return date.toISOString();
}

// ------------------------------------------------------------------------------------------
// Users

// §4.1: a SCIM User as a Vyte user. `__v` counts updates, as Mongoose's does.
export function vyteUserOf(user: StoredUser, organisation: Organisation): VyteUser {
  const attributes = user.attributes;
  const extension = objectOf(attributes[vyteUserUrn]);
  const name = objectOf(attributes.name);
  const first = textOf(name.givenName);
  const last = textOf(name.familyName);
  const email = primaryValueOf(attributes.emails);
  return withoutUndefined({
    _id: String(extension.objectId),
    first_name: first,
    last_name: last,
    full_name: textOf(name.formatted) ?? fullNameOf(first, last) ?? textOf(attributes.displayName),
    emails: email === undefined ? [] : [email],
    language: textOf(attributes.preferredLanguage) ?? "en",
    timezone: textOf(attributes.timezone),
    picture_url: primaryValueOf(attributes.photos, "photo"),
    signedup_with: textOf(extension.signedUpWith) ?? "api",
    calendars,
    modules: jsonObjectOf(extension.modules) ?? defaultModules,
    account: {
      organization: withoutUndefined({
        name: organisation.name,
        id: organisation.id,
        extid: textOf(attributes.externalId),
        admin: extension.orgAdmin === true,
      }),
      plan,
    },
    consent: jsonObjectOf(extension.consent),
    availability: jsonObjectOf(extension.availability),
    vyteme: jsonObjectOf(extension.vyteme),
    createdAt: isoOf(user.created),
    updatedAt: isoOf(user.lastModified),
    __v: user.version - 1,
  });
}

// §5.4, §5.5: {user}, plus the sign-up link when the request asked for one.
export function userResultOf(user: StoredUser, organisation: Organisation, request: UserRequest, signupLink: string): UserResult {
  const result: UserResult = { user: vyteUserOf(user, organisation) };
  return request.finish_signup_with === undefined ? result : { ...result, finish_signup_with: request.finish_signup_with, link: signupLink };
}

// §4.4: `email` and `emails` are both accepted; the first wins (a Vyte user has one email).
export function emailOf(fields: UserFields): string | undefined {
  return fields.email ?? fields.emails?.[0];
}

export function externalIdOf(fields: UserFields): string | null | undefined {
  return fields.account?.organization?.extid;
}

// §6.1: what identifies the user a write is about: its _id, else its extid, else its email.
export interface UserKeys {
  readonly objectId?: string | undefined;
  readonly externalId?: string | undefined;
  readonly email?: string | undefined;
}

export function userKeysOf(request: UserRequest): UserKeys {
  return {
    objectId: request.user._id ?? request.user.id ?? request._id ?? request.id,
    externalId: externalIdOf(request.user) ?? undefined,
    email: emailOf(request.user),
  };
}

// The extension attributes a request sets (the opaque objects as JSON text).
function extensionValuesOf(request: UserRequest): Json {
  const fields = request.user;
  const json = (value: Json | undefined) => (value === undefined ? undefined : JSON.stringify(value));
  return withoutUndefined({
    orgAdmin: fields.account?.organization?.admin,
    availability: json(request.availability ?? fields.availability),
    vyteme: json(request.vyteme ?? fields.vyteme),
    modules: json(fields.modules),
    consent: json(fields.consent),
  });
}

function photosOf(url: string): Json[] {
  return [{ value: url, type: "photo", primary: true }];
}

function emailsOf(email: string): Json[] {
  return [{ value: email, primary: true }];
}

// §8.1: a user body as the SCIM User it creates, linked to the organisation. Calendar
// credentials are not carried over.
export function scimUserOf(request: UserRequest): Json {
  const fields = request.user;
  const email = emailOf(fields);
  // The user's login name comes from its credentials, else its email: one of them is needed.
  if (request.login?.credentials.username === undefined && email === undefined) {
    throw ScimError.invalidValue("user.email is required");
  }
  const first = fields.first_name ?? undefined;
  const last = fields.last_name ?? undefined;
  const full = fullNameOf(first, last);
  const name = withoutUndefined({ givenName: first || undefined, familyName: last || undefined, formatted: full });
  return withoutUndefined({
    schemas: [userUrn, vyteUserUrn],
    userName: request.login?.credentials.username ?? email,
    name: Object.keys(name).length > 0 ? name : undefined,
    displayName: full,
    emails: email === undefined ? undefined : emailsOf(email),
    preferredLanguage: fields.language,
    timezone: fields.timezone ?? undefined,
    photos: fields.picture_url ? photosOf(fields.picture_url) : undefined,
    externalId: externalIdOf(fields) ?? undefined,
    password: request.login?.credentials.password,
    active: true,
    [vyteUserUrn]: { linked: true, signedUpWith: "api", ...extensionValuesOf(request) },
  });
}

function replaceOrRemove(path: string, value: unknown): PatchOperation {
  return value === undefined || value === null || value === "" ? { op: "remove", path } : { op: "replace", path, value };
}

// §6.2: a merge update as SCIM PATCH operations: only the keys the request carries change.
// The userName follows the email while it is the email (it was not set from login credentials).
// `relink` brings an unlinked user back into the organisation (an upsert that found one).
export function userChangesOf(request: UserRequest, current: Attributes, relink: boolean): PatchOperation[] {
  const fields = request.user;
  const operations: PatchOperation[] = [];
  const currentName = objectOf(current.name);

  if (fields.first_name !== undefined) operations.push(replaceOrRemove("name.givenName", fields.first_name));
  if (fields.last_name !== undefined) operations.push(replaceOrRemove("name.familyName", fields.last_name));
  if (fields.first_name !== undefined || fields.last_name !== undefined) {
    const first = fields.first_name === undefined ? textOf(currentName.givenName) : fields.first_name ?? undefined;
    const last = fields.last_name === undefined ? textOf(currentName.familyName) : fields.last_name ?? undefined;
    const full = fullNameOf(first || undefined, last || undefined);
    operations.push(replaceOrRemove("name.formatted", full), replaceOrRemove("displayName", full));
  }

  const email = emailOf(fields);
  const username = request.login?.credentials.username;
  if (email !== undefined) {
    operations.push({ op: "replace", path: "emails", value: emailsOf(email) });
    const currentEmail = primaryValueOf(current.emails);
    const userNameIsEmail = currentEmail === undefined || String(current.userName).toLowerCase() === currentEmail.toLowerCase();
    if (username === undefined && userNameIsEmail) operations.push({ op: "replace", path: "userName", value: email });
  }
  if (username !== undefined) operations.push({ op: "replace", path: "userName", value: username });
  const password = request.login?.credentials.password;
  if (password !== undefined) operations.push({ op: "replace", path: "password", value: password });

  if (fields.language !== undefined) operations.push({ op: "replace", path: "preferredLanguage", value: fields.language });
  if (fields.timezone !== undefined) operations.push(replaceOrRemove("timezone", fields.timezone));
  if (fields.picture_url !== undefined) operations.push(replaceOrRemove("photos", fields.picture_url ? photosOf(fields.picture_url) : null));
  const externalId = externalIdOf(fields);
  if (externalId !== undefined) operations.push(replaceOrRemove("externalId", externalId));

  for (const [name, value] of Object.entries(extensionValuesOf(request))) {
    operations.push({ op: "replace", path: `${vyteUserUrn}:${name}`, value });
  }
  if (relink) {
    operations.push({ op: "replace", path: "active", value: true }, { op: "replace", path: userLinkedPath, value: true });
  }
  return operations;
}

// §6.4: the user leaves the organisation; the record and its unique keys stay.
export function unlinkChanges(): PatchOperation[] {
  return [
    { op: "replace", path: "active", value: false },
    { op: "replace", path: userLinkedPath, value: false },
  ];
}

// RFC 7644 §3.5.2: operations as a PatchOp request body.
export function patchRequestOf(operations: readonly PatchOperation[]): Json {
  return { schemas: [patchOpUrn], Operations: operations };
}

// ------------------------------------------------------------------------------------------
// Organisation

// §4.2: the organisation object; `members` are user ids, or abbreviated users in DELETE's answer.
export function organizationOf(
  organisation: Organisation,
  admins: readonly string[],
  members: ReadonlyArray<string | MemberSummary>,
): VyteOrganization {
  return { lang: "en", admins: [...admins], members: [...members], private: false, _id: organisation.id, name: organisation.name, plan, __v: 0 };
}

export function memberSummaryOf(user: VyteUser): MemberSummary {
  return withoutUndefined({
    _id: user._id,
    first_name: user.first_name,
    last_name: user.last_name,
    full_name: user.full_name,
    emails: user.emails,
  });
}

// ------------------------------------------------------------------------------------------
// Teams

export function teamObjectIdOf(group: StoredGroup): string {
  return String(objectOf(group.attributes[vyteTeamUrn]).objectId);
}

export function teamAdminsOf(group: StoredGroup): string[] {
  const admins = objectOf(group.attributes[vyteTeamUrn]).admins;
  return Array.isArray(admins) ? admins.filter((admin): admin is string => typeof admin === "string") : [];
}

// §4.3: a team; `members` are the Vyte ids of its user members.
export function vyteTeamOf(group: StoredGroup, organisation: Organisation, members: readonly string[]): VyteTeam {
  const extension = objectOf(group.attributes[vyteTeamUrn]);
  return withoutUndefined({
    _id: String(extension.objectId),
    organization: organisation.id,
    extid: textOf(group.attributes.externalId),
    name: String(group.attributes.displayName),
    level_name: textOf(extension.levelName),
    public: extension.public === true,
    admins: teamAdminsOf(group),
    members: [...members],
    createdAt: isoOf(group.created),
    updatedAt: isoOf(group.lastModified),
    __v: group.version - 1,
  });
}

function membersOf(userIds: readonly string[]): Json[] {
  return userIds.map((value) => ({ value, type: "User" }));
}

// §5.11: a team as the SCIM Group it creates. `members` are SCIM user ids, `admins` Vyte ids.
export function scimTeamOf(team: { name: string; extid?: string | undefined; level_name?: string | null | undefined; public?: boolean | undefined }, members: readonly string[], admins: readonly string[]): Json {
  return withoutUndefined({
    schemas: [groupUrn, vyteTeamUrn],
    displayName: team.name,
    externalId: team.extid,
    members: membersOf(members),
    [vyteTeamUrn]: withoutUndefined({ admins: [...admins], levelName: team.level_name || undefined, public: team.public ?? false }),
  });
}

// §5.12: a partial team update, its attributes as SCIM PATCH operations (members apart, as a
// MemberEdit).
export function teamChangesOf(update: TeamUpdate, admins: readonly string[] | undefined): PatchOperation[] {
  const operations: PatchOperation[] = [];
  if (update.name !== undefined) operations.push({ op: "replace", path: "displayName", value: update.name });
  if (update.extid !== undefined) operations.push({ op: "replace", path: "externalId", value: update.extid });
  if (update.level_name !== undefined) operations.push(replaceOrRemove(`${vyteTeamUrn}:levelName`, update.level_name));
  if (update.public !== undefined) operations.push({ op: "replace", path: `${vyteTeamUrn}:public`, value: update.public });
  if (admins !== undefined) operations.push(adminsChangeOf(admins));
  return operations;
}

// A team's admins set to this list.
export function adminsChangeOf(admins: readonly string[]): PatchOperation {
  return replaceOrRemove(teamAdminsPath, admins.length === 0 ? null : [...admins]);
}

// A change to a team's user members: one joins, one leaves, or the list is replaced (§5.12).
export type MemberEdit =
  | { readonly kind: "add"; readonly id: string }
  | { readonly kind: "remove"; readonly id: string }
  | { readonly kind: "replace"; readonly ids: readonly string[] };

// RFC 7644 §3.5.2: the edit as PATCH operations on members.
export function memberOperationsOf(edit: MemberEdit): PatchOperation[] {
  switch (edit.kind) {
    case "add":
      return [{ op: "add", path: "members", value: membersOf([edit.id]) }];
    case "remove":
      return [{ op: "remove", path: `members[value eq "${edit.id}"]` }];
    case "replace":
      return [{ op: "replace", path: "members", value: membersOf(edit.ids) }];
  }
}

// Whether a user belongs to the organisation: not unlinked, nor deactivated through SCIM or
// another API (§6.4: Vyte's deactivation is the unlink).
export function isLinked(user: StoredUser): boolean {
  return user.attributes.active !== false && objectOf(user.attributes[vyteUserUrn]).linked !== false;
}

export function userObjectIdOf(user: StoredUser): string | undefined {
  return textOf(objectOf(user.attributes[vyteUserUrn]).objectId);
}

export function isOrgAdmin(user: StoredUser): boolean {
  return objectOf(user.attributes[vyteUserUrn]).orgAdmin === true;
}
