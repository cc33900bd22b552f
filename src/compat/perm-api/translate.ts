import type { PatchOperation } from "../../scim/patch/operations.ts";
import type { Attributes, StoredGroup, StoredUser } from "../../scim/ports.ts";
import { permGroupsGroupSchema, permGroupsUserSchema } from "./extension.ts";
import { patchOpUrn, userUrn } from "../../scim/schema/urns.ts";
import type { Role, User, UserCreateRequest, UserUpdateRequest } from "./contract.ts";

// The API's users and roles <-> SCIM Users and Groups (docs/compat/perm-api.md §7, roles being
// Groups carrying the permgroups extension). Pure functions: no I/O.

const userExtension = permGroupsUserSchema.id;
const groupExtension = permGroupsGroupSchema.id;

// The filter path of a role's id.
export const roleIdPath = `${groupExtension}:roleId`;

type Entry = Record<string, unknown>;

function section(attributes: Attributes, urn: string): Entry {
  const value = attributes[urn];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Entry) : {};
}

function entries(attributes: Attributes, name: string): Entry[] {
  const value = attributes[name];
  return Array.isArray(value) ? value.filter((entry): entry is Entry => typeof entry === "object" && entry !== null) : [];
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const isWork = (entry: Entry) => typeof entry.type === "string" && entry.type.toLowerCase() === "work";

// §4.2: the SCIM User a create request makes. `username` is the email, fixed at creation.
export function scimUserOf(request: UserCreateRequest): Attributes {
  const name = {
    ...(request.first_name ? { givenName: request.first_name } : {}),
    ...(request.last_name ? { familyName: request.last_name } : {}),
  };
  return {
    schemas: [userUrn, userExtension],
    userName: request.email,
    emails: [{ value: request.email, type: "work", primary: true }],
    ...(Object.keys(name).length > 0 ? { name } : {}),
    ...(request.phone ? { phoneNumbers: [{ value: request.phone, type: "work" }] } : {}),
    password: request.password,
    active: request.is_active ?? true,
    [userExtension]: {
      username: request.email,
      mfa: request.mfa ?? false,
      resetPassword: request.reset_pw ?? false,
      reset2fa: request.reset_2fa ?? false,
    },
  };
}

// §4.5: the SCIM PatchOp that applies a partial update to the user `current`, or undefined when the
// request changes no attribute. Setting a password clears reset_pw unless the request sets it.
export function userPatchOf(request: UserUpdateRequest, current: Attributes): { schemas: string[]; Operations: PatchOperation[] } | undefined {
  const operations: PatchOperation[] = [];
  const replace = (path: string, value: unknown) => operations.push({ op: "replace", path, value });
  if (request.email !== undefined) {
    replace("userName", request.email);
    replace("emails", emailsWith(entries(current, "emails"), request.email));
  }
  const name = section(current, "name");
  for (const [field, subAttribute] of [["first_name", "givenName"], ["last_name", "familyName"]] as const) {
    const value = request[field];
    if (value === undefined) continue;
    if (value !== "") replace(`name.${subAttribute}`, value);
    else if (name[subAttribute] !== undefined) operations.push({ op: "remove", path: `name.${subAttribute}` });
  }
  if (request.phone !== undefined) {
    const phones = phonesWith(entries(current, "phoneNumbers"), request.phone);
    if (phones.length > 0) replace("phoneNumbers", phones);
    else if (current.phoneNumbers !== undefined) operations.push({ op: "remove", path: "phoneNumbers" });
  }
  if (request.password !== undefined) replace("password", request.password);
  if (request.is_active !== undefined) replace("active", request.is_active);
  if (request.mfa !== undefined) replace(`${userExtension}:mfa`, request.mfa);
  const resetPassword = request.reset_pw ?? (request.password !== undefined ? false : undefined);
  if (resetPassword !== undefined) replace(`${userExtension}:resetPassword`, resetPassword);
  if (request.reset_2fa !== undefined) replace(`${userExtension}:reset2fa`, request.reset_2fa);
  return operations.length === 0 ? undefined : { schemas: [patchOpUrn], Operations: operations };
}

// The primary email's value changed, or a primary work email added in front.
function emailsWith(emails: Entry[], email: string): Entry[] {
  const primary = emails.findIndex((entry) => entry.primary === true);
  if (primary === -1) return [{ value: email, type: "work", primary: true }, ...emails];
  return emails.map((entry, index) => (index === primary ? { ...entry, value: email } : entry));
}

// The work phone's value changed, added, or removed ("" clears it).
function phonesWith(phones: Entry[], phone: string): Entry[] {
  const work = phones.findIndex(isWork);
  if (phone === "") return phones.filter((_entry, index) => index !== work);
  if (work === -1) return [...phones, { value: phone, type: "work" }];
  return phones.map((entry, index) => (index === work ? { ...entry, value: phone } : entry));
}

// §4.6: deactivation.
export const deactivation = { schemas: [patchOpUrn], Operations: [{ op: "replace", path: "active", value: false }] };

// §3.2 Role from a Group: its role id, its displayName, its permissions. Undefined for a group not
// yet given a role id (see RoleCatalogue).
export function roleOf(group: StoredGroup): Role | undefined {
  const extension = section(group.attributes, groupExtension);
  if (typeof extension.roleId !== "number") return undefined;
  const permissions = Array.isArray(extension.permissions) ? extension.permissions.filter((value) => typeof value === "string") : [];
  return { id: extension.roleId, name: text(group.attributes.displayName) ?? "", permissions };
}

export function hasRoleId(group: StoredGroup): boolean {
  return roleOf(group) !== undefined;
}

// §3.1 User from a SCIM User and its roles. `company` is the tenant; `permissions` the sorted
// union of the roles' permissions; the password never appears.
export function userOf(user: StoredUser, roles: readonly Role[], tenantId: string): User {
  const attributes = user.attributes;
  const extension = section(attributes, userExtension);
  const name = section(attributes, "name");
  const emails = entries(attributes, "emails");
  const userName = text(attributes.userName) ?? "";
  const groups = [...roles].sort((a, b) => a.id - b.id);
  return {
    id: user.id,
    first_name: text(name.givenName) ?? "",
    username: text(extension.username) ?? userName,
    last_name: text(name.familyName) ?? "",
    phone: text(entries(attributes, "phoneNumbers").find(isWork)?.value) ?? "",
    email: text((emails.find((entry) => entry.primary === true) ?? emails[0])?.value) ?? userName,
    company: tenantId,
    groups,
    mfa: extension.mfa === true,
    reset_pw: extension.resetPassword === true,
    reset_2fa: extension.reset2fa === true,
    is_active: attributes.active !== false,
    permissions: [...new Set(groups.flatMap((role) => role.permissions))].sort(),
  };
}

// The group memberships that turn the user's current groups into the requested ones.
export function membershipChanges(current: readonly string[], requested: readonly string[]): { add: string[]; remove: string[] } {
  const wanted = new Set(requested);
  const have = new Set(current);
  return { add: [...wanted].filter((id) => !have.has(id)), remove: [...have].filter((id) => !wanted.has(id)) };
}

// A Group PatchOp adding or removing one user.
export function memberPatch(op: "add" | "remove", userId: string) {
  return { schemas: [patchOpUrn], Operations: [{ op, path: "members", value: [{ value: userId, type: "User" }] }] };
}
