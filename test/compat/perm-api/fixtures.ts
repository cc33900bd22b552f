import type request from "supertest";
import { permGroupsGroupSchema, permGroupsUserSchema } from "../../../src/compat/perm-api/extension.ts";
import { groupUrn } from "../../../src/scim/schema/urns.ts";
import type { ScimClient, TestApp } from "../../support/app.ts";

// Shared fixtures of the perm-api tests: a client for the API under /compat/perm-api, roles made
// as docs/compat/perm-api.md §7.2 says they are (SCIM Groups with the permgroups extension), and
// the shapes of the API's objects.

export const prefix = "/compat/perm-api";
export const groupExtension = permGroupsGroupSchema.id;
export const userExtension = permGroupsUserSchema.id;

export interface PermApiClient {
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  patch(path: string, body?: unknown): request.Test;
  delete(path: string): request.Test;
}

// Paths are relative to the API's base URL (e.g. "/api/v2/user").
export function permApi(app: TestApp, token: string): PermApiClient {
  const auth = (test: request.Test) => test.set("Authorization", `Bearer ${token}`);
  const withBody = (test: request.Test, body: unknown) =>
    body === undefined ? auth(test) : auth(test).set("Content-Type", "application/json").send(typeof body === "string" ? body : JSON.stringify(body));
  return {
    get: (path) => auth(app.http().get(`${prefix}${path}`)),
    post: (path, body) => withBody(app.http().post(`${prefix}${path}`), body),
    patch: (path, body) => withBody(app.http().patch(`${prefix}${path}`), body),
    delete: (path) => auth(app.http().delete(`${prefix}${path}`)),
  };
}

export interface CreatedRole {
  readonly groupId: string;
  readonly roleId: number;
  readonly name: string;
  readonly permissions: string[];
}

// A role as the tests make them: POST /scim/v2/Groups with the extension's permissions. A group
// without permissions carries no extension, so its role id is the one the API gives it when it
// first lists it.
export async function createRole(scim: ScimClient, name: string, permissions: string[], api?: PermApiClient): Promise<CreatedRole> {
  const response = await scim
    .post("/Groups", { schemas: [groupUrn, groupExtension], displayName: name, [groupExtension]: { permissions } })
    .expect(201);
  const assigned = response.body[groupExtension]?.roleId as number | undefined;
  if (assigned !== undefined) return { groupId: response.body.id, roleId: assigned, name, permissions };
  if (!api) throw new Error(`role ${name} has no role id yet: pass the API client to list it`);
  const listed = (await api.get("/api/v2/group").expect(200)).body as { id: number; name: string }[];
  const role = listed.find((candidate) => candidate.name === name);
  if (!role) throw new Error(`role ${name} is not listed`);
  return { groupId: response.body.id, roleId: role.id, name, permissions };
}

export const roleJson = (role: CreatedRole) => ({ id: role.roleId, name: role.name, permissions: role.permissions });

let counter = 0;
// An email no other test of the file uses.
export function uniqueEmail(stem: string): string {
  counter += 1;
  return `${stem}.${counter}.${Date.now().toString(36)}@example.com`;
}

export const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The §3.1 user object: exactly these keys, in this order.
export const userKeys = [
  "id", "first_name", "username", "last_name", "phone", "email", "company", "groups", "mfa", "reset_pw", "reset_2fa", "is_active", "permissions",
];
