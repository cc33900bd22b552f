import type { AttributeRef } from "../../scim/filter/ast.ts";
import { compatFilters, compatRegistry } from "../filters.ts";
import type { Attributes, ListQuery, StoredUser } from "../../scim/ports.ts";
import { expressGatewayUserSchema } from "./extension.ts";
import { patchOpUrn, userUrn } from "../../scim/schema/urns.ts";
import type { CreateUserRequest, EgStatus, EgUser, ListUsersRequest, UpdateUserRequest } from "./contract.ts";

// Express Gateway users <-> SCIM Users (docs/compat/express-gateway.md §7). Pure: no I/O.

export const expressGatewayUrn = expressGatewayUserSchema.id;

const users = compatFilters("User", [expressGatewayUserSchema]);

type Email = { value?: unknown; primary?: unknown };

function emailsOf(attributes: Attributes): Email[] {
  return Array.isArray(attributes.emails) ? (attributes.emails as Email[]) : [];
}

// The EG email is the SCIM primary email, else the first one.
function primaryEmailIndex(emails: readonly Email[]): number {
  const primary = emails.findIndex((email) => email.primary === true);
  return primary >= 0 ? primary : emails.length > 0 ? 0 : -1;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

// §3.1: the user as EG shows it. createdAt/updatedAt are Date.prototype.toString() strings in the
// server's time zone, as upstream's utils.appendCreatedAt writes them; never a password.
export function toEgUser(user: StoredUser): EgUser {
  const { attributes } = user;
  const name = (attributes.name ?? {}) as Record<string, unknown>;
  const emails = emailsOf(attributes);
  const email = stringOf(emails[primaryEmailIndex(emails)]?.value);
  const firstname = stringOf(name.givenName);
  const lastname = stringOf(name.familyName);
  const redirectUri = stringOf((attributes[expressGatewayUrn] as Record<string, unknown> | undefined)?.redirectUri);
  return {
    username: String(attributes.userName),
    id: user.id,
    ...(email === undefined ? {} : { email }),
    ...(firstname === undefined ? {} : { firstname }),
    ...(lastname === undefined ? {} : { lastname }),
    isActive: attributes.active !== false,
    ...(redirectUri === undefined ? {} : { redirectUri }),
    createdAt: user.created.toString(),
    updatedAt: user.lastModified.toString(),
  };
}

// §4.3: the SCIM User a create makes. A new user is active whatever the body says.
export function toScimUser(request: CreateUserRequest): Record<string, unknown> {
  const name = {
    ...(request.firstname === undefined ? {} : { givenName: request.firstname }),
    ...(request.lastname === undefined ? {} : { familyName: request.lastname }),
  };
  return {
    schemas: request.redirectUri === undefined ? [userUrn] : [userUrn, expressGatewayUrn],
    ...(request.username === undefined ? {} : { userName: request.username }),
    ...(Object.keys(name).length === 0 ? {} : { name }),
    ...(request.email === undefined ? {} : { emails: [{ value: request.email, primary: true }] }),
    active: true,
    ...(request.redirectUri === undefined ? {} : { [expressGatewayUrn]: { redirectUri: request.redirectUri } }),
  };
}

type PatchOperation = { op: "replace"; path: string; value: unknown } | { op: "remove"; path: string };

function setOrRemove(path: string, value: string): PatchOperation {
  return value === "" ? { op: "remove", path } : { op: "replace", path, value };
}

// §4.5 (a merge): the SCIM PATCH operations that set the properties given on `current`. An empty
// string unassigns the property. The email replaces the primary email's value, keeping the others.
export function toPatchOperations(update: UpdateUserRequest, current: StoredUser): PatchOperation[] {
  const operations: PatchOperation[] = [];
  if (update.firstname !== undefined) operations.push(setOrRemove("name.givenName", update.firstname));
  if (update.lastname !== undefined) operations.push(setOrRemove("name.familyName", update.lastname));
  if (update.email !== undefined) operations.push(emailOperation(update.email, emailsOf(current.attributes)));
  if (update.redirectUri !== undefined) operations.push(setOrRemove(`${expressGatewayUrn}:redirectUri`, update.redirectUri));
  return operations;
}

function emailOperation(email: string, emails: readonly Email[]): PatchOperation {
  const index = primaryEmailIndex(emails);
  const others = emails.filter((_, position) => position !== index);
  if (email === "") return others.length === 0 ? { op: "remove", path: "emails" } : { op: "replace", path: "emails", value: others };
  if (index < 0) return { op: "replace", path: "emails", value: [{ value: email, primary: true }] };
  const value = emails.map((entry, position) => (position === index ? { ...entry, value: email, primary: true } : entry));
  return { op: "replace", path: "emails", value };
}

// RFC 7644 §3.5.2: a PatchOp request body of operations.
export function patchRequest(operations: readonly PatchOperation[]): Record<string, unknown> {
  return { schemas: [patchOpUrn], Operations: operations };
}

// §4.7: upstream compares the body's `status` strictly with the current boolean; no change gives
// Active/Inactive, `true` activates, anything else deactivates.
export function statusChange(currentlyActive: boolean, requested: unknown): { response: EgStatus; active?: boolean } {
  if (requested === currentlyActive) return { response: { status: currentlyActive ? "Active" : "Inactive" } };
  if (requested === true) return { response: { status: "Activated" }, active: true };
  return { response: { status: "Deactivated" }, active: false };
}

export function activePatch(active: boolean): Record<string, unknown> {
  return patchRequest([{ op: "replace", path: "active", value: active }]);
}

// §3.3 findByUsernameOrId: one query for both; userName matches case-insensitively in the core,
// so the exact comparison is made on the result.
export function usernameOrIdQuery(param: string): ListQuery {
  return { filter: users.or(users.compare("userName", "eq", param), users.compare("id", "eq", param)), startIndex: 1, count: 3 };
}

// The user whose username is exactly `param`, else the one whose id it is: the username wins.
export function pickByUsernameOrId(candidates: readonly StoredUser[], param: string): StoredUser | undefined {
  return candidates.find((user) => user.attributes.userName === param) ?? candidates.find((user) => user.id === param);
}

const createdOrder: AttributeRef = (() => {
  const ref = compatRegistry([]).findAttribute("User", "meta.created");
  if (!ref) throw new Error("User has no meta.created");
  return ref;
})();

// §6: the offset `start` as a SCIM page, oldest first (ties by id), so that users created while
// a client walks the pages come at the end.
export function listQuery(request: ListUsersRequest, maxPageSize: number): ListQuery {
  return { startIndex: request.start + 1, count: Math.min(request.count, maxPageSize), sortBy: createdOrder, sortOrder: "ascending" };
}

// §6: the next page's `start`, or 0 when this page ends the list (the CLI stops at 0).
export function nextKey(request: ListUsersRequest, returned: number, totalResults: number): number {
  const next = request.start + returned;
  return returned > 0 && next < totalResults ? next : 0;
}
