import type request from "supertest";
import { expect } from "vitest";
import { qaseError, qaseListResponse, qaseUser, type QaseUser } from "../../../src/compat/qase/contract.ts";
import { userUrn } from "../../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../../support/app.ts";

// A Qase SCIM client for the tests: paths are relative to the Qase base URL, bodies go out as
// application/scim+json with the tenant's Qase token, as Qase's IdP integrations send them.

export const qaseBase = "/compat/qase/scim/v2";
export const qaseUrn = "urn:scim-server:params:scim:schemas:extension:qase:2.0:User";
export const patchOpUrn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const scimContentType = "application/scim+json; charset=utf-8";

// The methods of the SCIM client, with paths relative to qaseBase.
export type QaseClient = ScimClient;

export async function qaseClient(app: TestApp, tenant = "acme"): Promise<QaseClient> {
  const token = await app.credential("qase", tenant);
  const auth = (test: request.Test) => test.set("Authorization", `Bearer ${token}`).set("Accept", "application/scim+json");
  const withBody = (test: request.Test, body: unknown) =>
    body === undefined ? auth(test) : auth(test).set("Content-Type", "application/scim+json").send(JSON.stringify(body));
  return {
    token,
    get: (path) => auth(app.http().get(`${qaseBase}${path}`)),
    post: (path, body) => withBody(app.http().post(`${qaseBase}${path}`), body),
    put: (path, body) => withBody(app.http().put(`${qaseBase}${path}`), body),
    patch: (path, body) => withBody(app.http().patch(`${qaseBase}${path}`), body),
    delete: (path) => auth(app.http().delete(`${qaseBase}${path}`)),
  };
}

// The public base URL the Qase tests' app answers with (Location, meta.location).
export const publicBaseUrl = "https://idp.example.com";

// A test app on publicBaseUrl, with a Qase client of its tenant "acme".
export async function startQaseApp(): Promise<{ app: TestApp; qase: QaseClient }> {
  const app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
  return { app, qase: await qaseClient(app) };
}

// Qase's documented create body (givenName and familyName swapped as in Qase's docs; stored as sent).
export function newUser(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [userUrn], userName, name: { familyName: "John", givenName: "Doe" }, ...extra };
}

export function patchOp(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [patchOpUrn], Operations: operations };
}

// A Qase User response: the shape of docs/compat/qase.md §3.1 exactly, as application/scim+json.
export function qaseUserOf(response: request.Response): QaseUser {
  expect(response.headers["content-type"]).toBe(scimContentType);
  const parsed = qaseUser.safeParse(response.body);
  if (!parsed.success) throw new Error(`not a Qase user: ${JSON.stringify(response.body)}\n${parsed.error.message}`);
  return parsed.data;
}

export function qaseListOf(response: request.Response) {
  expect(response.headers["content-type"]).toBe(scimContentType);
  return qaseListResponse.parse(response.body);
}

// docs/compat/qase.md §5.1: the SCIM Error schema with a string status, in the Qase content type,
// and no stack trace.
export function expectQaseError(response: request.Response, status: number, scimType?: string, detail?: string | RegExp): void {
  expect({ status: response.status, body: response.body }).toStrictEqual({
    status,
    body: {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: String(status),
      ...(scimType === undefined ? {} : { scimType }),
      detail: detail === undefined ? expect.any(String) : typeof detail === "string" ? detail : expect.stringMatching(detail),
    },
  });
  expect(qaseError.safeParse(response.body).success).toBe(true);
  expect(response.headers["content-type"]).toBe(scimContentType);
  expect(response.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|prisma/i);
}

// Creates a user through the Qase API and returns it.
export async function createQaseUser(client: QaseClient, userName: string, extra: Record<string, unknown> = {}): Promise<QaseUser> {
  const response = await client.post("/Users", newUser(userName, extra));
  expect(response.status, response.text).toBe(201);
  return qaseUserOf(response);
}
