import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enterpriseUserUrn, userUrn } from "../../src/scim/schema/urns.ts";
import type { ScimType } from "../../src/scim/errors.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";
import { describeResourceErrors, publicBaseUrl, resourceKinds } from "./resource.behaviour.ts";

describeResourceErrors(resourceKinds.User);

// RFC 7643 §2.3, §4.1; RFC 7644 §3.12: a value of the wrong type is rejected with the attribute
// named, and nothing is written.
describe("/Users: attribute errors", () => {
  let app: TestApp;
  let scim: ScimClient;
  let existing: Record<string, any>;
  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
    scim = await app.client();
    existing = (await scim.post("/Users", { schemas: [userUrn], userName: "bjensen", displayName: "Babs" }).expect(201)).body;
  });
  afterAll(() => app.close());

  const expectUnchanged = async () => {
    const list = await scim.get("/Users").expect(200);
    expect(list.body.Resources).toStrictEqual([existing]);
  };

  const cases: readonly [string, Record<string, unknown>, ScimType, RegExp][] = [
    ["active that is no boolean", { active: "yes" }, "invalidValue", /"active"/],
    ["active as a number", { active: 1 }, "invalidValue", /"active"/],
    ["a string attribute given a number", { displayName: 42 }, "invalidValue", /"displayName"/],
    ["a string attribute given an object", { title: { value: "x" } }, "invalidValue", /"title"/],
    ["a complex attribute given a string", { name: "Barbara Jensen" }, "invalidValue", /"name"/],
    ["a complex attribute given an array", { name: [{ givenName: "B" }] }, "invalidValue", /"name"/],
    ["a multi-valued attribute given an object", { emails: { value: "b@example.com" } }, "invalidValue", /"emails"/],
    ["a multi-valued attribute given a string", { emails: "b@example.com" }, "invalidValue", /"emails"/],
    ["a sub-attribute of the wrong type", { emails: [{ value: 42 }] }, "invalidValue", /"emails\.value"/],
    ["primary that is no boolean", { emails: [{ value: "b@example.com", primary: "maybe" }] }, "invalidValue", /"emails\.primary"/],
    ["two primary values", { emails: [{ value: "a@example.com", primary: true }, { value: "b@example.com", primary: "True" }] }, "invalidValue", /"emails"/],
    ["a password that is no string", { password: 12345678 }, "invalidValue", /"password"/],
    ["the extension holding a string", { [enterpriseUserUrn]: "Sales" }, "invalidSyntax", /enterprise/],
    ["the extension holding an array", { [enterpriseUserUrn]: [{ department: "Sales" }] }, "invalidSyntax", /enterprise/],
    ["an extension attribute of the wrong type", { [enterpriseUserUrn]: { department: 7 } }, "invalidValue", /department/],
    ["a manager that is a number", { [enterpriseUserUrn]: { manager: 7 } }, "invalidValue", /manager/],
  ];

  describe.each(["POST", "PUT"] as const)("%s", (method) => {
    it.each(cases)("%s answers 400 %s and names the attribute", async (_name, attributes, scimType, names) => {
      const body = { schemas: [userUrn], userName: method === "POST" ? "newcomer" : "bjensen", ...attributes };
      const response = method === "POST" ? await scim.post("/Users", body) : await scim.put(`/Users/${existing.id}`, body);
      expectScimError(response, 400, scimType);
      expect(response.body.detail).toMatch(names);
      await expectUnchanged();
    });
  });

  it("a rejected password is not echoed in the error", async () => {
    const response = await scim.post("/Users", { userName: "leaky", password: ["hunter2-secret"] });
    expectScimError(response, 400, "invalidValue");
    expect(response.text).not.toContain("hunter2-secret");
  });

  it.each([
    ["the same userName", "bjensen"],
    ["the userName in upper case", "BJENSEN"],
    ["the userName in mixed case", "bJensen"],
  ])("POST with %s answers 409 uniqueness", async (_name, userName) => {
    expectScimError(await scim.post("/Users", { userName }), 409, "uniqueness");
    await expectUnchanged();
  });

  it.each([
    ["non-ASCII letters in another case", "ÅSA.LUND", "åsa.lund"],
    ["composed and decomposed accents (NFC)", "jose\u0301", "jos\u00e9"],
  ])("userName uniqueness folds %s", async (_name, first, second) => {
    const created = await scim.post("/Users", { userName: first }).expect(201);
    expectScimError(await scim.post("/Users", { userName: second }), 409, "uniqueness");
    await scim.delete(`/Users/${created.body.id}`).expect(204);
    await expectUnchanged();
  });
});
