import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qaseListResponse, qaseUser } from "../../../src/compat/qase/contract.ts";
import { userUrn } from "../../../src/scim/schema/urns.ts";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { listenForCurl, type CurlResponse, type CurlTarget } from "../../support/curl.ts";
import { curlCommand, documentedBaseUrl, documentedTypoBaseUrl, documentedUserId, vendorExamples, type VendorExample } from "./vendor-examples.ts";

// docs/compat/qase.md §9: every request of Qase's documentation page, run with the real curl
// against the app on a local port, in the page's order (the create first, so that the documented
// id 1 exists), substituting only the base URL, the token and the id.

let app: TestApp;
let target: CurlTarget;
let baseUrl: string;
let token: string;
let userId = documentedUserId;

beforeAll(async () => {
  app = await startTestApp();
  const files: Record<string, string> = {};
  for (const example of vendorExamples) if (example.body) files[example.body.file] = example.body.json;
  target = await listenForCurl(app, { path: "/compat/qase", files });
  baseUrl = target.baseUrl;
  token = await app.credential("qase", "examples");
});

// Colleagues for the complex request to page through, provisioned through /scim/v2 after the
// documented user (which the documentation shows as the tenant's first, id 1).
async function provisionColleagues(): Promise<void> {
  const scim = await app.client("examples");
  for (const [givenName, familyName] of [["Anna", "Adams"], ["Ben", "Green"], ["Cleo", "Cole"], ["Dan", "Dale"], ["Ella", "Ellis"], ["Finn", "Fox"], ["Gina", "Gray"]]) {
    await scim.post("/Users", { userName: `${givenName?.toLowerCase()}@example.com`, name: { givenName, familyName } }).expect(201);
  }
}

afterAll(async () => {
  await target.close();
  await app.close();
});

async function runExample(example: VendorExample): Promise<CurlResponse> {
  const command = curlCommand(example)
    .replace(documentedBaseUrl, `${baseUrl}/scim/v2`)
    .replace(documentedTypoBaseUrl, `${baseUrl}/scim`)
    .replace(`/Users/${documentedUserId}'`, `/Users/${userId}'`)
    .replace("<TOKEN>", token);
  return target.curl(command);
}

// The documented JSON, with the documented base URL replaced by ours.
const documented = (json: string) => JSON.parse(json.replaceAll(documentedBaseUrl, `${baseUrl}/scim/v2`));

const example = (name: string) => {
  const found = vendorExamples.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no example ${name}`);
  return found;
};

describe.sequential("the requests of Qase's documentation, with curl", () => {
  it("covers every documented request", () => {
    expect(vendorExamples.map((candidate) => candidate.request.split(":")[0])).toEqual([
      "POST", "GET", "GET", "GET", "PUT", "PATCH", "PATCH", "PATCH", "PATCH", "DELETE",
    ]);
  });

  it("Create a new user: 201 with the documented response and Location", async () => {
    const response = await runExample(example("Create a new user"));
    expect(response.status).toBe(201);
    expect(response.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(response.body).toStrictEqual(documented(example("Create a new user").response as string));
    expect(response.headers.location).toBe(response.body.meta.location);
    userId = response.body.id;
    await provisionColleagues();
  });

  it("Get users: 200 ListResponse of Qase users", async () => {
    const response = await runExample(example("Get users"));
    expect(response.status).toBe(200);
    const body = qaseListResponse.parse(response.body);
    expect(body).toMatchObject({ totalResults: 8, itemsPerPage: 8, startIndex: 1 });
    for (const resource of body.Resources) expect(qaseUser.safeParse(resource).success).toBe(true);
  });

  it("Example of complex request: page 2 of the users not named Green, by givenName, with name and userName", async () => {
    const response = await runExample(example("Example of complex request"));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ totalResults: 7, itemsPerPage: 5, startIndex: 2 });
    expect(response.body.Resources.map((resource: any) => resource.name.givenName)).toEqual(["Cleo", "Dan", "Doe", "Ella", "Finn"]);
    for (const resource of response.body.Resources) expect(Object.keys(resource).sort()).toEqual(["id", "name", "schemas", "userName"]);
  });

  it("Get user by ID: 200 User", async () => {
    const response = await runExample(example("Get user by ID"));
    expect(response.status).toBe(200);
    expect(qaseUser.parse(response.body)).toMatchObject({ id: userId, userName: "john@doe.com", schemas: [userUrn] });
  });

  it("Replace user by ID: 200 with the documented response", async () => {
    const response = await runExample(example("Replace user by ID"));
    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual(documented(example("Replace user by ID").response as string));
  });

  it("Request to deactivate user: 200 with active:false (the documented active:true is a doc error)", async () => {
    const response = await runExample(example("Request to deactivate user"));
    expect(response.status).toBe(200);
    expect(qaseUser.parse(response.body)).toMatchObject({ id: userId, active: false });
  });

  it("Request to rename user: 200 with the new givenName", async () => {
    const response = await runExample(example("Request to rename user"));
    expect(response.status).toBe(200);
    expect(qaseUser.parse(response.body).name).toStrictEqual({ familyName: "Replace", givenName: "New Given Name" });
  });

  it("Request to upgrade user license to regular: 200 with userType regular", async () => {
    const response = await runExample(example("Request to upgrade user license to regular"));
    expect(response.status).toBe(200);
    expect(qaseUser.parse(response.body).userType).toBe("regular");
  });

  it("Request to update user email (userName): 200 with userName and email changed", async () => {
    const response = await runExample(example("Request to update user email (userName)"));
    expect(response.status).toBe(200);
    expect(qaseUser.parse(response.body)).toMatchObject({ userName: "new@email.com", emails: [{ value: "new@email.com", primary: true }] });
  });

  it("Delete user by ID (the documented /scim/Users URL): 204, then the user is gone", async () => {
    const response = await runExample(example("Delete user by ID"));
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    const again = await runExample({ name: "Get user by ID", request: `GET: ${documentedBaseUrl}/Users/${documentedUserId}` });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
  });
});
