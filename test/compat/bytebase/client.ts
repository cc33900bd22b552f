import type request from "supertest";
import { expect } from "vitest";
import type { Scope } from "../../../src/auth/ports.ts";
import { bytebaseUserSchema as userExtension } from "../../../src/compat/bytebase/extension.ts";
import { errorBodySchema } from "../../../src/compat/bytebase/contract.ts";
import type { TestApp } from "../../support/app.ts";

// A Bytebase API client over the test app: paths are relative to /compat/bytebase.

export const prefix = "/compat/bytebase";
export const uidPath = `${userExtension.id}:uid`;

export interface BytebaseClient {
  readonly token: string;
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  patch(path: string, body?: unknown): request.Test;
  delete(path: string): request.Test;
}

export function bytebaseClient(app: TestApp, token: string): BytebaseClient {
  const auth = (test: request.Test) => test.set("Authorization", `Bearer ${token}`);
  const withBody = (test: request.Test, body: unknown) => (body === undefined ? auth(test) : auth(test).send(body as object));
  return {
    token,
    get: (path) => auth(app.http().get(`${prefix}${path}`)),
    post: (path, body) => withBody(app.http().post(`${prefix}${path}`), body),
    patch: (path, body) => withBody(app.http().patch(`${prefix}${path}`), body),
    delete: (path) => auth(app.http().delete(`${prefix}${path}`)),
  };
}

// A client with an API token (no user; scim:read + scim:write: a workspace admin).
export async function adminClient(app: TestApp, tenant = "acme", scopes?: readonly Scope[]): Promise<BytebaseClient> {
  return bytebaseClient(app, await app.credential("bytebase", tenant, scopes ? { scopes } : {}));
}

// Asserts a grpc-gateway error body with this status, gRPC code and (when given) message.
export function expectBytebaseError(response: request.Response, status: number, code: number, message?: string | RegExp): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { code } });
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const body = errorBodySchema.parse(response.body);
  expect(body.details).toStrictEqual([]);
  if (typeof message === "string") expect(body.message).toBe(message);
  else if (message) expect(body.message).toMatch(message);
}

let counter = 0;

// A User message for CreateUser with a fresh email.
export function newUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return { email: `user${counter}-${process.pid}@example.com`, title: `User ${counter}`, userType: "USER", ...overrides };
}

// The SCIM id of the user with this email (userName), read through /scim/v2.
export async function scimIdOf(app: TestApp, email: string, tenant = "acme"): Promise<string> {
  const scim = await app.client(tenant);
  const list = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`).expect(200);
  const id = list.body.Resources?.[0]?.id;
  if (typeof id !== "string") throw new Error(`no user ${email} in ${tenant}`);
  return id;
}

// A client acting for a user with only scim:read: not a workspace admin.
export async function memberClient(app: TestApp, email: string, tenant = "acme"): Promise<BytebaseClient> {
  const subject = await scimIdOf(app, email, tenant);
  return bytebaseClient(app, await app.credential("bytebase", tenant, { scopes: ["scim:read"], subject }));
}

// Bytebase's example user.json (docs/compat/bytebase.md §10.1): a whole User, as answers show it.
export const userJson = {
  name: "users/103",
  state: "ACTIVE",
  email: "test1@example.com",
  title: "User updated",
  userType: "USER",
  password: "",
  serviceKey: "",
  mfaEnabled: false,
  mfaSecret: "",
  recoveryCodes: [],
  phone: "+14082121234",
  profile: { lastLoginTime: null, lastChangePasswordTime: null, source: "" },
};

// Bytebase's example group.json (docs/compat/bytebase.md §10.1): title, description and members
// with roles (no output-only fields, so that the documented upsert of an existing group is a valid
// masked update).
export const groupJson = {
  title: "Contractor Group",
  description: "A group for contractors",
  members: [
    { member: "users/ci@service.bytebase.com", role: "OWNER" },
    { member: "users/dev1@example.com", role: "MEMBER" },
  ],
};
