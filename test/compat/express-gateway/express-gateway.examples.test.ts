import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { egStatusSchema, egUserListSchema, egUserSchema } from "../../../src/compat/express-gateway/contract.ts";
import type { TestApp } from "../../support/app.ts";
import { listenForCurl, type CurlTarget } from "../../support/curl.ts";
import { prefix, startEgApp, steveCreated, type EgClient } from "./express-gateway.fixture.ts";
import { baseUrlPlaceholder, examples, files, idPlaceholder, keyPlaceholder } from "./vendor-examples.ts";

// docs/compat/express-gateway.md §9: the documented requests (vendor-examples.ts) run with the
// real curl binary against the app on 127.0.0.1, in order, with only the base URL, the key and the
// user's id substituted.

let app: TestApp;
let eg: EgClient;
let target: CurlTarget;
let id = idPlaceholder;

beforeAll(async () => {
  ({ app, eg } = await startEgApp());
  target = await listenForCurl(app, { path: prefix, files });
});
afterAll(async () => {
  await target.close();
  await app.close();
});

async function curl(title: string): Promise<{ status: number; text: string }> {
  const example = examples.find((candidate) => candidate.title === title);
  if (!example) throw new Error(`no example "${title}"`);
  const command = example.command.replaceAll(baseUrlPlaceholder, target.baseUrl).replaceAll(keyPlaceholder, eg.key).replaceAll(idPlaceholder, id);
  const { status, text } = await target.curl(command);
  return { status, text };
}

describe("the documented requests, with curl", () => {
  it("lists seven commands, every one of them run below", () => {
    expect(examples.map((example) => example.title)).toHaveLength(7);
  });

  it("Create a User -> 200 and the documented response", async () => {
    const { status, text } = await curl("Create a User: POST /users");
    expect(status).toBe(200);
    const user = egUserSchema.parse(JSON.parse(text));
    expect(user).toEqual(steveCreated(expect.stringMatching(/^[0-9a-f-]{36}$/)));
    id = user.id;
  });

  it("View User info by username and by id -> the same user", async () => {
    const byName = await curl("View User info: GET /users/steve");
    const byId = await curl("View User info: GET /users/{id}");
    expect([byName.status, byId.status]).toEqual([200, 200]);
    expect(JSON.parse(byId.text)).toEqual(JSON.parse(byName.text));
    expect(egUserSchema.parse(JSON.parse(byName.text))).toMatchObject({ username: "steve", id, isActive: true });
  });

  it("List all Users -> {users, nextKey: 0}", async () => {
    const { status, text } = await curl("List all Users: GET /users");
    expect(status).toBe(200);
    const list = egUserListSchema.parse(JSON.parse(text));
    expect(list.nextKey).toBe(0);
    expect(list.users.map((user) => user.username)).toEqual(["steve"]);
    expect(typeof list.users[0]?.isActive).toBe("boolean");
  });

  it("Update User info -> 200 and the documented response", async () => {
    const { status, text } = await curl("Update User info: PUT /users/steve");
    expect(status).toBe(200);
    expect(egUserSchema.parse(JSON.parse(text))).toMatchObject({
      username: "steve",
      id,
      email: "steve.brown@example.com",
      firstname: "Steve",
      lastname: "Brown",
      isActive: true,
      redirectUri: "http://example.com",
    });
  });

  it("Activate/Deactivate User with {status: true} on an active user -> Active", async () => {
    const { status, text } = await curl("Activate/Deactivate User: DELETE /users/{id|username}/status");
    expect(status).toBe(200);
    expect(egStatusSchema.parse(JSON.parse(text))).toEqual({ status: "Active" });
    await eg.put("/users/steve/status", { status: false }).expect(200);
    const again = await curl("Activate/Deactivate User: DELETE /users/{id|username}/status");
    expect(JSON.parse(again.text)).toEqual({ status: "Activated" });
  });

  it("Delete User -> 204 with no body; the user is gone", async () => {
    expect(await curl("Delete User: DELETE /users/steve")).toEqual({ status: 204, text: "" });
    expect(await curl("View User info: GET /users/steve")).toEqual({ status: 404, text: "User not found: steve" });
  });
});
