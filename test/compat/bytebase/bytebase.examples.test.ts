import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytebaseGroupSchema, bytebaseUserSchema } from "../../../src/compat/bytebase/contract.ts";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { listenForCurl, type CurlTarget } from "../../support/curl.ts";
import { adminClient, groupJson, prefix, userJson, type BytebaseClient } from "./client.ts";
import { vendorExamples, type VendorExample } from "./vendor-examples.ts";

// Bytebase's documented curl commands (docs/compat/bytebase.md §10.2), run as written with the
// real curl against the app on an ephemeral port: only ${bytebase_url} and ${bytebase_token} are
// supplied (as shell variables), and user.json / group.json are in the working directory. The ids
// the commands name (users/103, users/111) exist because the tenant is prepared so: the group.json
// members first (uids 101, 102), then user.json is created as 103, then fillers up to 111.

const guide = join(import.meta.dirname, "../../../docs/compat/bytebase.md");

// The `bash` blocks of the guide's section with this title, as {title, command}: each block's
// first line is its `## Title` comment.
function documentedCommands(markdown: string, heading: string): Array<{ title: string; command: string }> {
  const start = markdown.search(new RegExp(`^### [\\d.]+ ${heading}$`, "m"));
  if (start === -1) throw new Error(`no section "${heading}"`);
  const rest = markdown.slice(markdown.indexOf("\n", start));
  const end = rest.search(/^#{2,3} \d/m);
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```bash\n## ([^\n]+)\n([\s\S]*?)\n```/g)].map((match) => ({ title: match[1] as string, command: match[2] as string }));
}

let app: TestApp;
let target: CurlTarget;
let bb: BytebaseClient;

beforeAll(async () => {
  app = await startTestApp();
  target = await listenForCurl(app, {
    path: prefix,
    files: { "user.json": JSON.stringify(userJson, null, 2), "group.json": JSON.stringify(groupJson, null, 2) },
  });
  bb = await adminClient(app, "examples");
  await bb.post("/v1/users", { email: "ci@service.bytebase.com", title: "CI", userType: "SERVICE_ACCOUNT" }).expect(200);
  await bb.post("/v1/users", { email: "dev1@example.com", title: "Dev 1", userType: "USER", password: "Dev1-Pass-1" }).expect(200);
});
afterAll(async () => {
  await target.close();
  await app.close();
});

async function curl(command: string, token: string): Promise<{ status: number; body: unknown }> {
  const response = await target.curl(command, { bytebase_url: target.baseUrl, bytebase_token: token });
  return { status: response.status, body: response.body };
}

const example = (section: VendorExample["section"], title: string): string => {
  const found = vendorExamples.find((entry) => entry.section === section && entry.title === title);
  if (!found) throw new Error(`no example ${section} / ${title}`);
  return found.command;
};

describe("vendor-examples.ts", () => {
  it("holds the commands docs/compat/bytebase.md §10.2 shows, verbatim and in order", () => {
    expect(vendorExamples).toHaveLength(7);
    const documented = documentedCommands(readFileSync(guide, "utf8"), "Bytebase's documented commands");
    expect(vendorExamples.map(({ title, command }) => ({ title, command }))).toStrictEqual(documented);
  });
});

describe("the documented curl commands against the app, with an API token", () => {
  let token: string;
  beforeAll(() => {
    token = bb.token;
  });

  it("Users / Create (--data @user.json, form content type) answers 200 users/103", async () => {
    const { status, body } = await curl(example("Users", "Create"), token);
    expect(status).toBe(200);
    expect(bytebaseUserSchema.parse(body)).toStrictEqual({ ...userJson, name: "users/103" });
  });

  it("Users / Update (no update_mask) answers 200 with the fields of the body", async () => {
    await bb.patch("/v1/users/103?update_mask=title,phone", { title: "Before update", phone: "" }).expect(200);
    const { status, body } = await curl(example("Users", "Update"), token);
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "users/103", email: "test1@example.com", title: "User updated", phone: "+14082121234", state: "ACTIVE" });
  });

  it("Users / Deactivate answers 200 {} for users/111", async () => {
    for (let uid = 104; uid <= 111; uid += 1) {
      const created = await bb.post("/v1/users", { email: `filler${uid}@example.com`, title: `Filler ${uid}`, userType: "USER" }).expect(200);
      expect(created.body.name).toBe(`users/${uid}`);
    }
    const { status, body } = await curl(example("Users", "Deactivate"), token);
    expect({ status, body }).toStrictEqual({ status: 200, body: {} });
    expect((await bb.get("/v1/users/111").expect(200)).body.state).toBe("DELETED");
  });

  it("Users / Activate answers 200 with state ACTIVE", async () => {
    const { status, body } = await curl(example("Users", "Activate"), token);
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "users/111", state: "ACTIVE", email: "filler111@example.com" });
  });

  it("Groups / Create (--data @group.json) answers 200 with members and roles", async () => {
    const { status, body } = await curl(example("Groups", "Create"), token);
    expect(status).toBe(200);
    expect(bytebaseGroupSchema.parse(body)).toMatchObject({
      name: "groups/contractor@example.com",
      title: "Contractor Group",
      description: "A group for contractors",
      members: [
        { member: "users/ci@service.bytebase.com", role: "OWNER" },
        { member: "users/dev1@example.com", role: "MEMBER" },
      ],
    });
  });

  it("Groups / Upsert of the existing group answers 200, members replaced by group.json's", async () => {
    await bb.patch("/v1/groups/contractor@example.com", { title: "Drifted", members: [] }).expect(200);
    const { status, body } = await curl(example("Groups", "Upsert"), token);
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "groups/contractor@example.com", title: "Contractor Group", members: groupJson.members });
  });

  it("Groups / Delete answers 200 {}; Upsert then creates the group again", async () => {
    const deleted = await curl(example("Groups", "Delete"), token);
    expect(deleted).toStrictEqual({ status: 200, body: {} });
    expect((await bb.get("/v1/groups/contractor@example.com")).status).toBe(404);
    const upserted = await curl(example("Groups", "Upsert"), token);
    expect(upserted.status).toBe(200);
    expect(upserted.body).toMatchObject({ name: "groups/contractor@example.com", members: groupJson.members });
  });
});

describe("the example repo's README flow: sign in with curl, scrape the cookie, run the commands", () => {
  it("a token scraped from Set-Cookie runs the commands", async () => {
    const signIn = `curl -i --request POST \${bytebase_url}/v1/auth/login --data '{"email":"dev1@example.com","password":"Dev1-Pass-1","web":true}' | grep -i '^set-cookie: access-token=' | sed -E 's/^[^=]*=([^;]*).*/\\1/'`;
    const { text } = await target.curl(signIn, { bytebase_url: target.baseUrl });
    const token = text.trim();
    expect(token.split(".")).toHaveLength(3);
    const { status, body } = await curl(example("Groups", "Delete"), token);
    expect({ status, body }).toStrictEqual({ status: 200, body: {} });
    expect((await curl(example("Users", "Activate"), token)).status).toBe(400);
  });
});
