import type request from "supertest";
import { expect } from "vitest";
import { startTestApp, type TestApp } from "../../support/app.ts";

// Express Gateway's dates are Date.prototype.toString() in the server's zone: pin it.
process.env.TZ = "UTC";

export const prefix = "/compat/express-gateway";

// A client of the Admin API's /users with an `apiKey <id>:<secret>` key of one tenant.
export interface EgClient {
  readonly key: string;
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
  delete(path: string, body?: unknown): request.Test;
}

export async function egClient(app: TestApp, tenant = "acme", scopes?: readonly ("scim:read" | "scim:write")[]): Promise<EgClient> {
  const key = await app.credential("express-gateway", tenant, scopes ? { scopes } : {});
  const auth = (test: request.Test) => test.set("Authorization", `apiKey ${key}`);
  const withBody = (test: request.Test, body: unknown) => (body === undefined ? auth(test) : auth(test).send(body as object));
  return {
    key,
    get: (path) => auth(app.http().get(`${prefix}${path}`)),
    post: (path, body) => withBody(app.http().post(`${prefix}${path}`), body),
    put: (path, body) => withBody(app.http().put(`${prefix}${path}`), body),
    delete: (path, body) => withBody(app.http().delete(`${prefix}${path}`), body),
  };
}

export async function startEgApp(): Promise<{ app: TestApp; eg: EgClient }> {
  const app = await startTestApp();
  return { app, eg: await egClient(app) };
}

// docs/compat/express-gateway.md §4.3: the documented create body.
export const steve = { username: "steve", firstname: "Steve", lastname: "Brown", email: "steve@example.com", redirectUri: "http://example.com" };

export const dateString = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT\+0000 \(Coordinated Universal Time\)$/;

// docs/compat/express-gateway.md §3.1: the user the create of `steve` answers, its id matched by `id`.
export function steveCreated(id: unknown): Record<string, unknown> {
  return {
    username: "steve",
    id,
    email: "steve@example.com",
    firstname: "Steve",
    lastname: "Brown",
    isActive: true,
    redirectUri: "http://example.com",
    createdAt: expect.stringMatching(dateString),
    updatedAt: expect.stringMatching(dateString),
  };
}
