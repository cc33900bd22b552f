import { ScimError } from "../../scim/errors.ts";
import type { Attributes, StoredGroup, StoredUser } from "../../scim/ports.ts";
import { bytebaseGroupSchema as groupExtension, bytebaseUserSchema as userExtension } from "./extension.ts";
import { groupUrn, patchOpUrn, userUrn } from "../../scim/schema/urns.ts";
import {
  assertPhone,
  assertUserEmail,
  fieldByName,
  userTypes,
  type BytebaseGroup,
  type BytebaseUser,
  type GroupInput,
  type MessageDescriptor,
  type UserInput,
  type UserType,
} from "./contract.ts";

// Bytebase User / Group <-> SCIM User / Group (docs/compat/bytebase.md §8). Pure: no I/O.

const userExtensionUrn = userExtension.id;
const groupExtensionUrn = groupExtension.id;

type Json = Record<string, unknown>;

export interface PatchOperation {
  readonly op: "add" | "replace" | "remove";
  readonly path: string;
  readonly value?: unknown;
}

// RFC 7644 §3.5.2: the PatchOp body the core takes.
export function patchRequest(operations: readonly PatchOperation[]): Json {
  return { schemas: [patchOpUrn], Operations: operations };
}

function extensionOf(attributes: Attributes, urn: string): Json {
  const value = attributes[urn];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function stringOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function listOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((item): item is Json => typeof item === "object" && item !== null) : [];
}

// ---------------------------------------------------------------------------------------------
// Names

// How user names are written: users/{uid} (Bytebase up to 3.12) or users/{email} (3.13 on).
export type NameFormat = "uid" | "email";

export type UserRef = { readonly kind: "uid"; readonly uid: number } | { readonly kind: "email"; readonly email: string };

// The {user} of a path or of a member reference, without its "users/": digits are a uid, anything
// else an email.
export function userRefOf(id: string): UserRef {
  return /^\d{1,15}$/.test(id) ? { kind: "uid", uid: Number(id) } : { kind: "email", email: id };
}

// A group member's reference: users/{email} or users/{uid}.
export function memberRefOf(member: string): UserRef | undefined {
  const id = member.startsWith("users/") ? member.slice("users/".length) : "";
  return id === "" || id.includes("/") ? undefined : userRefOf(id);
}

export function uidOf(user: StoredUser): number | undefined {
  const uid = extensionOf(user.attributes, userExtensionUrn).uid;
  return typeof uid === "number" ? uid : undefined;
}

// Bytebase emails are lowercase; SCIM userNames compare case-insensitively, so this is the same user.
export function emailOf(user: StoredUser): string {
  return stringOf(user.attributes.userName).toLowerCase();
}

export function userNameOf(user: StoredUser, format: NameFormat): string {
  const uid = uidOf(user);
  return format === "uid" && uid !== undefined ? `users/${uid}` : `users/${emailOf(user)}`;
}

// The uid as deactivation messages quote it, or the SCIM id of a user never exposed here.
export function userIdOf(user: StoredUser): string {
  return String(uidOf(user) ?? user.id);
}

export function groupEmailOf(group: StoredGroup): string {
  return stringOf(extensionOf(group.attributes, groupExtensionUrn).email);
}

// ---------------------------------------------------------------------------------------------
// Values

// protojson's Timestamp: RFC 3339 in UTC, a fraction only when it is not zero.
export function protoTimestamp(date: Date): string {
  return date.toISOString().replace(".000Z", "Z");
}

// The phone Bytebase shows: the work number, else the first one.
function shownPhoneIndex(phoneNumbers: readonly Json[]): number {
  const work = phoneNumbers.findIndex((phone) => stringOf(phone.type).toLowerCase() === "work");
  return work !== -1 ? work : phoneNumbers.length > 0 ? 0 : -1;
}

function userTypeOf(user: StoredUser): UserType {
  const type = extensionOf(user.attributes, userExtensionUrn).userType;
  return userTypes.includes(type as UserType) ? (type as UserType) : "USER";
}

export function isServiceAccount(user: StoredUser): boolean {
  return userTypeOf(user) === "SERVICE_ACCOUNT";
}

export function sourceOf(user: StoredUser): string {
  return stringOf(extensionOf(user.attributes, userExtensionUrn).source);
}

// ---------------------------------------------------------------------------------------------
// Users

export interface UserView {
  readonly nameFormat: NameFormat;
  // The service key just generated, shown in this one response.
  readonly serviceKey?: string | undefined;
}

// A SCIM user as a Bytebase User (§4.1): every field present; secrets never.
export function bytebaseUser(user: StoredUser, view: UserView): BytebaseUser {
  const extension = extensionOf(user.attributes, userExtensionUrn);
  const phoneNumbers = listOf(user.attributes.phoneNumbers);
  const shown = shownPhoneIndex(phoneNumbers);
  return {
    name: userNameOf(user, view.nameFormat),
    state: user.attributes.active === false ? "DELETED" : "ACTIVE",
    email: emailOf(user),
    title: stringOf(user.attributes.displayName),
    userType: userTypeOf(user),
    password: "",
    serviceKey: view.serviceKey ?? "",
    mfaEnabled: extension.mfaEnabled === true,
    mfaSecret: "",
    recoveryCodes: [],
    phone: shown === -1 ? "" : stringOf(phoneNumbers[shown]?.value),
    profile: { lastLoginTime: null, lastChangePasswordTime: null, source: stringOf(extension.source) },
  };
}

// CreateUser's User as the SCIM user to create: email is userName and the primary work email,
// title the displayName. `password` is the one to set (given, generated, or the service key).
export function scimUserOfCreate(user: UserInput, password: string): Json {
  return {
    schemas: [userUrn, userExtensionUrn],
    userName: user.email,
    displayName: user.title,
    emails: [{ value: user.email, primary: true, type: "work" }],
    ...(user.phone === "" ? {} : { phoneNumbers: [{ value: user.phone, type: "work" }] }),
    password,
    active: true,
    [userExtensionUrn]: { userType: user.userType, mfaEnabled: false },
  };
}

export interface UserUpdate {
  readonly operations: readonly PatchOperation[];
  // Set when the update changes the email or the password: the caller checks them against the store.
  readonly email?: string;
  readonly password?: string;
  // Set when the update rotated the service key.
  readonly serviceKey?: string;
}

// UpdateUser (§6.2): the paths honoured become PATCH operations on the stored user; any other
// path (name, state, user_type, ...) is ignored. `newServiceKey` makes the key a rotation sets.
export function userUpdate(current: StoredUser, user: UserInput, mask: readonly string[], newServiceKey: () => string): UserUpdate {
  const operations: PatchOperation[] = [];
  let result: { email?: string; password?: string; serviceKey?: string } = {};
  for (const path of new Set(mask)) {
    switch (path) {
      case "email": {
        if (user.email === emailOf(current)) break;
        if (sourceOf(current) !== "") throw ScimError.invalidValue(`cannot change email of external user ${JSON.stringify(emailOf(current))}`);
        assertUserEmail(user.email);
        operations.push({ op: "replace", path: "userName", value: user.email }, { op: "replace", path: "emails", value: emailsWith(current, user.email) });
        result = { ...result, email: user.email };
        break;
      }
      case "title":
        operations.push(user.title === "" ? { op: "remove", path: "displayName" } : { op: "replace", path: "displayName", value: user.title });
        break;
      case "password":
        if (isServiceAccount(current)) throw ScimError.invalidValue("password can be changed for end users only; rotate a service account's key with update_mask=service_key");
        if (user.password === "") throw ScimError.invalidValue("password must be set");
        operations.push({ op: "replace", path: "password", value: user.password });
        result = { ...result, password: user.password };
        break;
      case "service_key": {
        if (!isServiceAccount(current)) throw ScimError.invalidValue("service key can be rotated for service accounts only");
        const serviceKey = newServiceKey();
        operations.push({ op: "replace", path: "password", value: serviceKey });
        result = { ...result, serviceKey };
        break;
      }
      case "mfa_enabled":
        if (user.mfaEnabled) throw ScimError.invalidValue("MFA can only be disabled through this API");
        operations.push({ op: "replace", path: `${userExtensionUrn}:mfaEnabled`, value: false });
        break;
      case "phone": {
        assertPhone(user.phone);
        const phoneNumbers = phonesWith(current, user.phone);
        operations.push(phoneNumbers.length === 0 ? { op: "remove", path: "phoneNumbers" } : { op: "replace", path: "phoneNumbers", value: phoneNumbers });
        break;
      }
      default:
        break;
    }
  }
  return { operations, ...result };
}

// DeleteUser and UndeleteUser: a state flip.
export function activation(active: boolean): Json {
  return patchRequest([{ op: "replace", path: "active", value: active }]);
}

// The user's emails with the one Bytebase shows (the primary, else the one equal to the
// userName) changed to `email`, or `email` added as the primary work email.
function emailsWith(current: StoredUser, email: string): Json[] {
  const emails = listOf(current.attributes.emails);
  const old = emailOf(current);
  let index = emails.findIndex((entry) => entry.primary === true);
  if (index === -1) index = emails.findIndex((entry) => stringOf(entry.value).toLowerCase() === old);
  if (index === -1) return [{ value: email, primary: true, type: "work" }, ...emails];
  return emails.map((entry, position) => (position === index ? { ...entry, value: email } : entry));
}

// The user's phone numbers with the one Bytebase shows changed to `phone` (removed when empty),
// or `phone` added as the work number.
function phonesWith(current: StoredUser, phone: string): Json[] {
  const phoneNumbers = listOf(current.attributes.phoneNumbers);
  const shown = shownPhoneIndex(phoneNumbers);
  if (phone === "") return phoneNumbers.filter((_entry, position) => position !== shown);
  if (shown === -1) return [{ value: phone, type: "work" }];
  return phoneNumbers.map((entry, position) => (position === shown ? { ...entry, value: phone } : entry));
}

// ---------------------------------------------------------------------------------------------
// Groups

export interface ResolvedMember {
  // The SCIM id of the user.
  readonly id: string;
  readonly role: "OWNER" | "MEMBER";
}

// Bytebase's member roles as one role per user (OWNER wins over MEMBER), in first-seen order.
export function distinctMembers(members: readonly ResolvedMember[]): ResolvedMember[] {
  const roles = new Map<string, ResolvedMember["role"]>();
  for (const member of members) roles.set(member.id, roles.get(member.id) === "OWNER" ? "OWNER" : member.role);
  return [...roles].map(([id, role]) => ({ id, role }));
}

// The role given for a member, or 400 for ROLE_UNSPECIFIED and unknown numbers.
export function memberRoleOf(role: string): ResolvedMember["role"] {
  if (role === "OWNER" || role === "MEMBER") return role;
  throw ScimError.invalidValue("unsupport group member role");
}

// A SCIM group as a Bytebase Group (§4.2). `emails` maps user ids to emails, for the members
// and the creator; members that are groups or unknown users are not shown. The store keeps no
// member order: OWNERs come first, then MEMBERs, each by email.
export function bytebaseGroup(group: StoredGroup, emails: ReadonlyMap<string, string>): BytebaseGroup {
  const extension = extensionOf(group.attributes, groupExtensionUrn);
  const owners = new Set(Array.isArray(extension.owners) ? extension.owners : []);
  const creator = emails.get(stringOf(extension.creator));
  return {
    name: `groups/${stringOf(extension.email)}`,
    title: stringOf(group.attributes.displayName),
    description: stringOf(extension.description),
    creator: creator === undefined ? "" : `users/${creator}`,
    members: (group.members ?? [])
      .flatMap((member) => {
        const email = member.type === "User" ? emails.get(member.value) : undefined;
        return email === undefined ? [] : [{ member: `users/${email}`, role: owners.has(member.value) ? ("OWNER" as const) : ("MEMBER" as const) }];
      })
      .sort((a, b) => (a.role === b.role ? (a.member < b.member ? -1 : a.member > b.member ? 1 : 0) : a.role === "OWNER" ? -1 : 1)),
    createTime: protoTimestamp(group.created),
    source: stringOf(extension.source),
  };
}

// The ids a group's output needs emails for: its user members and its creator.
export function peopleOf(group: StoredGroup): string[] {
  const creator = stringOf(extensionOf(group.attributes, groupExtensionUrn).creator);
  return [...(group.members ?? []).filter((member) => member.type === "User").map((member) => member.value), ...(creator ? [creator] : [])];
}

export function ownersOf(group: StoredGroup): readonly string[] {
  const owners = extensionOf(group.attributes, groupExtensionUrn).owners;
  return Array.isArray(owners) ? owners.filter((owner): owner is string => typeof owner === "string") : [];
}

// A group without a title is named by its email: SCIM requires a displayName.
function displayNameOf(email: string, title: string): string {
  return title === "" ? email : title;
}

// CreateGroup's Group as the SCIM group to create (§8.2).
export function scimGroupOfCreate(email: string, group: GroupInput, members: readonly ResolvedMember[], creator: string | undefined): Json {
  const owners = members.filter((member) => member.role === "OWNER").map((member) => member.id);
  return {
    schemas: [groupUrn, groupExtensionUrn],
    displayName: displayNameOf(email, group.title),
    members: members.map((member) => ({ value: member.id, type: "User" })),
    [groupExtensionUrn]: {
      email,
      ...(group.description === "" ? {} : { description: group.description }),
      ...(owners.length === 0 ? {} : { owners }),
      ...(creator === undefined ? {} : { creator }),
      ...(group.source === "" ? {} : { source: group.source }),
    },
  };
}

const groupUpdatePaths = ["title", "description", "members"] as const;

// UpdateGroup (§6.3): title, description and members (the whole list); any other path is a 400.
export function assertGroupMask(current: StoredGroup, mask: readonly string[]): void {
  for (const path of mask) {
    if (!(groupUpdatePaths as readonly string[]).includes(path)) throw ScimError.invalidValue(`unsupported update_mask ${JSON.stringify(path)}`);
  }
  if (mask.includes("members") && stringOf(extensionOf(current.attributes, groupExtensionUrn).source) !== "") {
    throw ScimError.invalidValue("cannot change members for external group");
  }
}

// The PATCH operations of a masked UpdateGroup: title, description, members (the whole list,
// with the OWNERs). `members` are the resolved new members when the mask has "members".
export function groupUpdate(current: StoredGroup, group: GroupInput, mask: readonly string[], members: readonly ResolvedMember[]): PatchOperation[] {
  assertGroupMask(current, mask);
  const operations: PatchOperation[] = [];
  for (const path of new Set(mask)) {
    if (path === "title") {
      operations.push({ op: "replace", path: "displayName", value: displayNameOf(groupEmailOf(current), group.title) });
    } else if (path === "description") {
      const target = `${groupExtensionUrn}:description`;
      operations.push(group.description === "" ? { op: "remove", path: target } : { op: "replace", path: target, value: group.description });
    } else {
      const owners = members.filter((member) => member.role === "OWNER").map((member) => member.id);
      const target = `${groupExtensionUrn}:owners`;
      operations.push(
        { op: "replace", path: "members", value: members.map((member) => ({ value: member.id, type: "User" })) },
        owners.length === 0 ? { op: "remove", path: target } : { op: "replace", path: target, value: owners },
      );
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------
// Pages

export interface Slice {
  readonly offset: number;
  // Undefined: everything from `offset` on.
  readonly limit?: number | undefined;
}

// §7 pages: without page_size (or with 0) everything from the token's offset on; else
// page_size resources (at most 1000).
export function sliceOf(query: { readonly pageSize: number; readonly pageToken: string }): Slice {
  if (query.pageSize < 0) throw ScimError.invalidValue(`page size must be non-negative: ${query.pageSize}`);
  const offset = offsetOf(query.pageToken);
  return query.pageSize === 0 ? { offset } : { offset, limit: Math.min(query.pageSize, 1000) };
}

// The next page's token, "" after the last page.
export function nextPageTokenOf(slice: Slice, returned: number, totalResults: number): string {
  return slice.limit !== undefined && slice.offset + returned < totalResults ? pageTokenOf(slice.offset + returned) : "";
}

// page_token: the offset of the next page, base64url-encoded JSON.
export function pageTokenOf(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

export function offsetOf(pageToken: string): number {
  if (pageToken === "") return 0;
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(pageToken, "base64url").toString("utf8")) as { offset?: unknown } | null)?.offset;
  } catch {
    offset = undefined;
  }
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw ScimError.invalidValue(`invalid page token: ${JSON.stringify(pageToken)} was not issued by this server`);
  }
  return offset;
}

// The update_mask of UpdateUser / UpdateGroup, as grpc-gateway settles it
// (docs/compat/bytebase.md §6.1): inferred from the body's keys, replaced by the query's
// update_mask when there is one.

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// grpc-gateway runtime.FieldMaskFromRequestBody: every key becomes a proto path; objects recurse
// into message fields, lists and maps end the path, an empty object is a path of its own. A key
// the message lacks is an error, even when the query gives a mask. An empty body gives no paths.
export function inferredMask(body: unknown, message: MessageDescriptor): string[] {
  if (!isObject(body)) return [];
  const paths: string[] = [];
  const queue: Array<{ node: unknown; message: MessageDescriptor | undefined; path: string }> = [{ node: body, message, path: "" }];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const node = item.node;
    if (isObject(node) && Object.keys(node).length > 0) {
      for (const [key, value] of Object.entries(node)) {
        if (item.message === undefined) throw ScimError.invalidValue("JSON structure did not match request type");
        const field = fieldByName(item.message, key);
        if (!field) throw ScimError.invalidValue(`could not find field ${JSON.stringify(key)} in ${JSON.stringify(item.message.fullName)}`);
        const path = item.path === "" ? field.proto : `${item.path}.${field.proto}`;
        if (field.kind === "list") paths.push(path);
        else queue.push({ node: value, message: field.kind === "message" ? field.message : undefined, path });
      }
    } else if (item.path !== "") {
      paths.push(item.path);
    }
  }
  return paths.sort();
}

// lowerCamelCase path segments as the proto names they stand for: mfaEnabled -> mfa_enabled.
function snakeCase(path: string): string {
  return path
    .split(".")
    .map((segment) => segment.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`))
    .join(".");
}

// The paths an update applies: the query's mask when given (verbatim, camelCase read as
// snake_case), else the one inferred from the body.
export function updateMask(body: unknown, message: MessageDescriptor, queryMask: readonly string[] | undefined): string[] {
  const inferred = inferredMask(body, message);
  return queryMask === undefined ? inferred : queryMask.map(snakeCase);
}
