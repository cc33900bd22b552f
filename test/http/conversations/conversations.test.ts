import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { scimContentType } from "../../support/responses.ts";
import { baseUrl, publicBaseUrl, uniqueName } from "../resource.behaviour.ts";
import type { Conversation, Step } from "./conversation.ts";
import { entraGroups } from "./entra-groups.conversation.ts";
import { entraUsers } from "./entra-users.conversation.ts";
import { okta } from "./okta.conversation.ts";

// Replays the recorded IdP conversations against the app, step by step and in order, each
// conversation in a tenant of its own (conversation.ts describes the format).

const conversations: readonly Conversation[] = [entraUsers, entraGroups, okta];

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
});
afterAll(() => app.close());

type Captured = Map<string, string>;

// {{name}} in every string of `value`, replaced by what was captured.
function fill<T>(value: T, captured: Captured): T {
  if (typeof value === "string") {
    return value.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
      if (name === "baseUrl") return baseUrl;
      const found = captured.get(name);
      if (found === undefined) throw new Error(`{{${name}}} was not captured by an earlier step`);
      return found;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((element) => fill(element, captured)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [fill(key, captured), fill(entry, captured)])) as T;
  }
  return value;
}

function at(body: unknown, path: string): unknown {
  return path.split("/").reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined), body);
}

async function send(conversation: Conversation, step: Step, token: string, captured: Captured): Promise<Response> {
  const { method, path, headers = {}, body } = fill(step.request, captured);
  let test = app.http()[method.toLowerCase() as "get"](encodeURI(`/scim/v2${path}`));
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "authorization")) test = test.set("Authorization", `Bearer ${token}`);
  for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
  if (body !== undefined) test = test.set("Content-Type", "application/scim+json").send(JSON.stringify(body));
  const response = await test;
  expect({ step: `${conversation.name}: ${step.name}`, status: response.status }).toStrictEqual({
    step: `${conversation.name}: ${step.name}`,
    status: step.status,
  });
  return response;
}

function check(step: Step, response: Response, captured: Captured): void {
  for (const [name, path] of Object.entries(step.capture ?? {})) {
    const value = at(response.body, path);
    expect(value, `capture ${name} from ${path}`).toEqual(expect.any(String));
    captured.set(name, value as string);
  }
  if (step.status === 204) expect(response.text).toBe("");
  else expect(response.headers["content-type"]).toBe(scimContentType);
  if (step.response !== undefined) expect(response.body).toMatchObject(fill(step.response, captured) as object);
  for (const [path, elements] of Object.entries(fill(step.unordered ?? {}, captured))) {
    const actual = at(response.body, path);
    expect(actual, path).toHaveLength(elements.length);
    for (const element of elements) expect(actual, path).toContainEqual(expect.objectContaining(element as object));
  }
  for (const path of fill(step.absent ?? [], captured)) expect(at(response.body, path), `${path} is absent`).toBeUndefined();
  for (const [name, value] of Object.entries(fill(step.headers ?? {}, captured))) expect(response.headers[name], name).toBe(value);
}

describe.each(conversations)("$name ($source)", (conversation) => {
  const captured: Captured = new Map();
  let token = "";
  beforeAll(async () => {
    const tenant = uniqueName("conversation");
    token = await app.token(tenant);
    if (conversation.patchReturn) await app.server.tenants.setPatchReturn(tenant, conversation.patchReturn);
  });

  it("has steps", () => expect(conversation.steps.length).toBeGreaterThan(0));

  for (const [index, step] of conversation.steps.entries()) {
    it(`${index + 1}. ${step.request.method} ${step.request.path}: ${step.name}`, async () => {
      const response = await send(conversation, step, token, captured);
      check(step, response, captured);
    });
  }
});
