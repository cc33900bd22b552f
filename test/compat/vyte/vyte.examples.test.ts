import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { listenForCurl, type CurlTarget } from "../../support/curl.ts";
import { isoMillis, objectIdPattern, userBody, vyteClient, type VyteClient } from "./fixtures.ts";
import { vendorBaseUrl, vendorExamples, vendorKeyPlaceholder, vendorUserIdPlaceholder } from "./vendor-examples.ts";

// Vyte's documented curl commands (docs/compat/vyte.md §10.1), run with the real curl against the
// app on an ephemeral port. Only the base URL, the key placeholder and the user id are
// substituted; the commands stay as written.

const guide = join(import.meta.dirname, "../../../docs/compat/vyte.md");

// The `shell` blocks of the guide's section with this title.
function documentedCommands(markdown: string, heading: string): string[] {
  const start = markdown.search(new RegExp(`^### [\\d.]+ ${heading}$`, "m"));
  if (start === -1) throw new Error(`no section "${heading}"`);
  const rest = markdown.slice(markdown.indexOf("\n", start));
  const end = rest.search(/^#{2,3} \d/m);
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```shell\n([\s\S]*?)\n```/g)].map((match) => match[1] as string);
}

let app: TestApp;
let vyte: VyteClient;
let target: CurlTarget;
let userId: string;
beforeAll(async () => {
  app = await startTestApp();
  vyte = await vyteClient(app, "vyte-examples");
  userId = (await vyte.post("/v2/users", userBody(vyte.organization, { email: "jean.dupont@acme.fr", first_name: "Jean" })).expect(200)).body.user._id;
  target = await listenForCurl(app, { path: "/compat/vyte" });
});
afterAll(async () => {
  await target.close();
  await app.close();
});

async function curl(command: string): Promise<{ status: number; body: any }> {
  const substituted = command
    .replaceAll(vendorBaseUrl, target.baseUrl)
    .replaceAll(vendorKeyPlaceholder, `Authorization: ${vyte.key}`)
    .replaceAll(vendorUserIdPlaceholder, userId);
  const response = await target.curl(`${substituted}\n`);
  return { status: response.status, body: response.body };
}

describe("Vyte's documented commands", () => {
  it("are the commands docs/compat/vyte.md §10.1 shows, verbatim and in order", () => {
    const documented = documentedCommands(readFileSync(guide, "utf8"), "Vyte's documented commands");
    expect(documented).toStrictEqual(Object.values(vendorExamples));
  });

  it("GET /v2/users lists the organisation's users", async () => {
    const { status, body } = await curl(vendorExamples.listUsers);
    expect(status).toBe(200);
    expect(body).toEqual([
      expect.objectContaining({ _id: userId, emails: ["jean.dupont@acme.fr"], first_name: "Jean", createdAt: expect.stringMatching(isoMillis), __v: 0 }),
    ]);
  });

  it("POST /v2/users without a body answers 400: a user needs an email", async () => {
    expect(await curl(vendorExamples.createUser)).toEqual({ status: 400, body: { status: 400, message: "user.email is required" } });
  });

  it("PUT /v2/users/:user_id without a body answers the user unchanged", async () => {
    const { status, body } = await curl(vendorExamples.updateUser);
    expect(status).toBe(200);
    expect(body).toEqual({ user: expect.objectContaining({ _id: expect.stringMatching(objectIdPattern), emails: ["jean.dupont@acme.fr"], __v: 0 }) });
    expect(body.user._id).toBe(userId);
  });

  it("POST /v2/users/batch without a body answers 400: the batch is not a list", async () => {
    expect(await curl(vendorExamples.createUsersBatch)).toEqual({ status: 400, body: { status: 400, message: expect.any(String) } });
  });

  it("PUT /v2/users/batch without a body answers 400: the batch is not a list", async () => {
    expect(await curl(vendorExamples.updateUsersBatch)).toEqual({ status: 400, body: { status: 400, message: expect.any(String) } });
  });

  it("the commands, given a body, create and update users", async () => {
    const data = (body: unknown) => ` --header 'Content-Type: application/json' --data '${JSON.stringify(body)}'`;
    const created = await curl(`${vendorExamples.createUser}\n${data(userBody(vyte.organization, { email: "curl@example.com" }))}`);
    expect(created).toEqual({ status: 200, body: { user: expect.objectContaining({ emails: ["curl@example.com"] }) } });
    const batch = await curl(`${vendorExamples.updateUsersBatch}\n${data([{ user: { _id: created.body.user._id, first_name: "Curl" } }])}`);
    expect(batch).toEqual({ status: 200, body: [{ user: expect.objectContaining({ first_name: "Curl" }) }] });
  });
});
