import { ScimError } from "../../scim/errors.ts";
import { assertNever, type Filter } from "../../scim/filter/ast.ts";
import { compatFilters } from "../filters.ts";
import type { PatchOperation } from "../../scim/patch/operations.ts";
import type { Attributes, StoredUser } from "../../scim/ports.ts";
import { qaseUserSchema } from "./extension.ts";
import type { SchemaRegistry } from "../../scim/schema/registry.ts";
import { patchOpUrn, userUrn } from "../../scim/schema/urns.ts";
import { qasePatchValues, readPatchValue, type QasePatchPath, type QaseUser, type QaseUserCreate, type QaseUserInput, type QaseUserReplace } from "./contract.ts";

// Qase <-> SCIM, without I/O (docs/compat/qase.md §7). A Qase user is one of our Users seen
// through a narrower window: Qase's `id` is the qase extension's numericId, `emails` is derived
// from userName, and only the attributes of §3.2 are read or written.

export const qaseUrn = qaseUserSchema.id;
const numericIdPath = `${qaseUrn}:numericId`;

export interface PatchOpBody {
  readonly schemas: readonly [typeof patchOpUrn];
  readonly Operations: readonly PatchOperation[];
}

const users = compatFilters("User", [qaseUserSchema]);

export function numericIdOf(user: StoredUser): number | undefined {
  const value = extensionOf(user.attributes).numericId;
  return typeof value === "number" ? value : undefined;
}

// §4.7: the workspace owner cannot be deleted.
export function isOwner(user: StoredUser): boolean {
  return extensionOf(user.attributes).owner === true;
}

// `{id}` of a Qase path, as the filter that finds its user; undefined when it cannot be a Qase id.
export function qaseIdFilter(id: string): Filter | undefined {
  if (!/^\d{1,15}$/.test(id)) return undefined;
  return users.compare(numericIdPath, "eq", Number(id));
}

// §3.3 display name: displayName if given; else name.formatted if non-empty; else "givenName familyName".
export function displayNameOf(input: QaseUserInput): string | undefined {
  if (input.displayName?.trim()) return input.displayName;
  if (input.name?.formatted?.trim()) return input.name.formatted;
  const full = [input.name?.givenName, input.name?.familyName].filter((part) => part?.trim()).join(" ");
  return full === "" ? undefined : full;
}

// §4.4: the SCIM User a Qase create amounts to. It carries the qase extension (owner: false), so
// the core allocates its numericId in the same write.
export function toScimUser(input: QaseUserCreate): Attributes {
  const displayName = displayNameOf(input);
  return {
    schemas: [userUrn, qaseUrn],
    userName: input.userName,
    name: {
      givenName: input.name.givenName,
      familyName: input.name.familyName,
      ...(input.name.formatted === undefined ? {} : { formatted: input.name.formatted }),
    },
    ...(displayName === undefined ? {} : { displayName }),
    ...(input.userType === undefined ? {} : { userType: input.userType }),
    ...(input.title === undefined ? {} : { title: input.title }),
    active: input.active ?? true,
    emails: primaryEmail(input.userName),
    [qaseUrn]: { owner: false },
  };
}

// §4.5: a Qase PUT replaces the attributes Qase manages, as one PATCH of them: attributes Qase
// does not know of (set through /scim/v2 or another API) are kept, and the change is atomic.
export function toScimReplacement(input: QaseUserReplace): PatchOpBody {
  const set = (path: string, value: unknown): PatchOperation =>
    value === undefined ? { op: "remove", path } : { op: "replace", path, value };
  return patchOp([
    set("userName", input.userName),
    set("name.givenName", input.name?.givenName),
    set("name.familyName", input.name?.familyName),
    set("name.formatted", input.name?.formatted),
    set("displayName", displayNameOf(input)),
    set("userType", input.userType),
    set("title", input.title),
    set("active", input.active ?? true),
    set("emails", primaryEmail(input.userName)),
  ]);
}

// §4.6: Qase's PATCH operations (already read as a SCIM PatchOp: ops in any case) checked against
// the paths Qase supports, the path-less form spelled out, and a new userName copied to the
// primary email. Throws invalidPath for any other path, invalidValue for a bad value.
export function toScimPatch(operations: readonly PatchOperation[], registry: SchemaRegistry): PatchOpBody {
  return patchOp(operations.flatMap((operation) => qaseOperations(operation, registry)));
}

function qaseOperations(operation: PatchOperation, registry: SchemaRegistry): PatchOperation[] {
  // A remove without a path is the core's noTarget error.
  if (operation.path === undefined && operation.op === "remove") return [operation];
  const assignments =
    operation.path === undefined
      ? pathlessAssignments(operation, registry)
      : operation.op === "remove"
        ? removals(operation.path, registry)
        : assignmentsOf(operation.path, operation.value, registry);
  return assignments.flatMap(({ path, value }): PatchOperation[] => {
    if (operation.op === "remove") return [{ op: "remove", path }];
    const checked = readPatchValue(path, value);
    const write: PatchOperation = { op: operation.op, path, value: checked };
    return path === "userName" && typeof checked === "string" ? [write, { op: "replace", path: "emails", value: primaryEmail(checked) }] : [write];
  });
}

// {"op":"replace","value":{"active":false}}: each key of the value is a path.
function pathlessAssignments(operation: PatchOperation, registry: SchemaRegistry): Assignment[] {
  if (!isObject(operation.value)) {
    throw ScimError.invalidValue(`A ${operation.op} without a path needs an object of attributes as its value`);
  }
  return Object.entries(operation.value)
    .filter(([key]) => !ignoredPathlessKeys.has(key.toLowerCase()))
    .flatMap(([key, entry]) => assignmentsOf(key, entry, registry));
}

interface Assignment {
  readonly path: QasePatchPath;
  readonly value: unknown;
}

// Read-only attributes a client may echo back in a path-less value (Okta sends `id`).
const ignoredPathlessKeys = new Set(["schemas", "id", "meta"]);

const supportedPaths = Object.keys(qasePatchValues) as QasePatchPath[];
const nameParts: readonly QasePatchPath[] = ["name.givenName", "name.familyName"];

// `name` with an object value stands for its sub-attributes.
function assignmentsOf(path: string, value: unknown, registry: SchemaRegistry): Assignment[] {
  const canonical = canonicalPath(path, registry);
  if (canonical !== "name") return [{ path: supportedPath(canonical, path), value }];
  if (!isObject(value)) {
    throw ScimError.invalidValue(`"${path}" takes an object such as {"givenName":"John","familyName":"Doe"}`);
  }
  return Object.entries(value).map(([key, entry]) => {
    const sub = canonicalPath(`name.${key}`, registry);
    return { path: supportedPath(sub, `${path}.${key}`), value: entry };
  });
}

function removals(path: string, registry: SchemaRegistry): Assignment[] {
  const canonical = canonicalPath(path, registry);
  if (canonical === "name") return nameParts.map((part) => ({ path: part, value: undefined }));
  return [{ path: supportedPath(canonical, path), value: undefined }];
}

function canonicalPath(path: string, registry: SchemaRegistry): string | undefined {
  return registry.findAttribute("User", path.trim())?.path;
}

function supportedPath(canonical: string | undefined, asSent: string): QasePatchPath {
  const supported = supportedPaths.find((path) => path === canonical);
  if (supported === undefined) {
    throw ScimError.invalidPath(`"${asSent}" is not supported; the paths are ${supportedPaths.join(", ")}`);
  }
  return supported;
}

// §4.2 filter and sortBy: Qase's `id` is the numericId; everything else is the core's attribute.
export function withQaseIds(filter: Filter): Filter {
  switch (filter.kind) {
    case "compare": {
      if (!isId(filter.attribute.path)) return filter;
      if (filter.value === null) return users.compare(numericIdPath, filter.op, null);
      if (typeof filter.value !== "string" || !/^\d{1,15}$/.test(filter.value)) {
        throw ScimError.invalidFilter(`"id" is compared with a Qase id, a string of digits such as "1"`);
      }
      return users.compare(numericIdPath, filter.op, Number(filter.value));
    }
    case "present":
      return isId(filter.attribute.path) ? users.present(numericIdPath) : filter;
    case "and":
    case "or":
      return { kind: filter.kind, filters: filter.filters.map(withQaseIds) };
    case "not":
      return { kind: "not", filter: withQaseIds(filter.filter) };
    case "valuePath":
      return filter;
    default:
      return assertNever(filter);
  }
}

// Storage sorts by core attributes only, so a Qase id cannot order a list.
export function qaseSortBy(sortBy: string | undefined, registry: SchemaRegistry): string | undefined {
  if (sortBy !== undefined && isId(canonicalPath(sortBy, registry))) throw ScimError.invalidValue(`sortBy "id" is not supported`);
  return sortBy;
}

function isId(path: string | undefined): boolean {
  return path === "id";
}

// §3.1: the User as Qase emits it, located under the Qase base URL.
export function toQaseUser(user: StoredUser, qaseBaseUrl: string): QaseUser {
  const numericId = numericIdOf(user);
  if (numericId === undefined) throw ScimError.internal(`User ${user.id} has no Qase id`);
  const attributes = user.attributes;
  const userName = String(attributes.userName);
  const name = isObject(attributes.name) ? attributes.name : {};
  const givenName = typeof name.givenName === "string" ? { givenName: name.givenName } : {};
  const familyName = typeof name.familyName === "string" ? { familyName: name.familyName } : {};
  const hasName = Object.keys(givenName).length + Object.keys(familyName).length > 0;
  return {
    schemas: [userUrn],
    id: String(numericId),
    userName,
    ...(hasName ? { name: { ...familyName, ...givenName } } : {}),
    active: attributes.active !== false,
    ...(typeof attributes.userType === "string" ? { userType: attributes.userType } : {}),
    ...(typeof attributes.title === "string" ? { title: attributes.title } : {}),
    emails: [{ value: userName, primary: true }],
    meta: { resourceType: "User", location: `${qaseBaseUrl}/Users/${numericId}` },
  };
}

const userNamePaths = new Set(["username", `${userUrn}:userName`.toLowerCase()]);

// The userName a write asked for, to name it in Qase's duplicate error (§5.3).
export function requestedUserName(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const direct = valueOf(body, "userName");
  if (typeof direct === "string") return direct.trim();
  const operations = valueOf(body, "Operations");
  if (!Array.isArray(operations)) return undefined;
  for (const operation of [...operations].reverse()) {
    if (!isObject(operation)) continue;
    const path = valueOf(operation, "path");
    const value = valueOf(operation, "value");
    if (typeof path === "string" && userNamePaths.has(path.trim().toLowerCase()) && typeof value === "string") return value.trim();
    if (path === undefined && isObject(value) && typeof valueOf(value, "userName") === "string") return String(valueOf(value, "userName")).trim();
  }
  return undefined;
}

function primaryEmail(userName: string): { value: string; primary: true }[] {
  return [{ value: userName, primary: true }];
}

function patchOp(operations: readonly PatchOperation[]): PatchOpBody {
  return { schemas: [patchOpUrn], Operations: operations };
}

function extensionOf(attributes: Attributes): Record<string, unknown> {
  const section = attributes[qaseUrn];
  return isObject(section) ? section : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function valueOf(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}
