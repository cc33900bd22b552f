import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkRequestUrn, bulkResponseUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";

// RFC 7644 §3.7: POST /Bulk.

let app: TestApp;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp({ BULK_MAX_OPERATIONS: "5", BULK_MAX_PAYLOAD_BYTES: "4096" });
  scim = await app.client();
});
afterAll(() => app.close());

const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) =>
  scim.post("/Bulk", { schemas: [bulkRequestUrn], Operations, ...extra });

describe("POST /Bulk", () => {
  it("creates resources that refer to each other by bulkId, whatever their order", async () => {
    const response = await bulk([
      { method: "POST", path: "/Groups", bulkId: "team", data: { displayName: "Bulk team", members: [{ value: "bulkId:ann" }] } },
      { method: "POST", path: "/Users", bulkId: "ann", data: { userName: "bulk-ann" } },
      {
        method: "PATCH",
        path: "/Users/bulkId:ann",
        data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "nickName", value: "Annie" }] },
      },
    ]).expect(200);
    expect(response.body.schemas).toEqual([bulkResponseUrn]);
    const [group, user, patched] = response.body.Operations;
    expect(group).toMatchObject({ method: "POST", bulkId: "team", status: "201", version: 'W/"1"' });
    expect(user).toMatchObject({ method: "POST", bulkId: "ann", status: "201" });
    expect(patched).toMatchObject({ method: "PATCH", status: "200", version: 'W/"2"' });
    const userId = String(user.location).split("/").pop();
    const groupId = String(group.location).split("/").pop();
    const read = await scim.get(`/Groups/${groupId}`).expect(200);
    expect(read.body.members.map((member: { value: string }) => member.value)).toEqual([userId]);
    expect((await scim.get(`/Users/${userId}`).expect(200)).body.nickName).toBe("Annie");
  });

  it("reports each operation's failure on its own and runs the others", async () => {
    const response = await bulk([
      { method: "POST", path: "/Users", bulkId: "one", data: { userName: "bulk-dup" } },
      { method: "POST", path: "/Users", bulkId: "two", data: { userName: "BULK-DUP" } },
      { method: "DELETE", path: "/Users/00000000-0000-0000-0000-000000000000" },
      { method: "POST", path: "/Users", bulkId: "three", data: { userName: "bulk-three" } },
    ]).expect(200);
    expect(response.body.Operations.map((operation: { status: string }) => operation.status)).toEqual(["201", "409", "404", "201"]);
    expect(response.body.Operations[1].response).toMatchObject({ status: "409", scimType: "uniqueness" });
  });

  it("stops after failOnErrors errors", async () => {
    const response = await bulk(
      [
        { method: "DELETE", path: "/Users/missing-1" },
        { method: "POST", path: "/Users", bulkId: "after", data: { userName: "bulk-never" } },
      ],
      { failOnErrors: 1 },
    ).expect(200);
    expect(response.body.Operations).toHaveLength(1);
    const list = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "bulk-never"')}`).expect(200);
    expect(list.body.totalResults).toBe(0);
  });

  it("fails circular and unknown bulkId references with 409", async () => {
    const response = await bulk([
      { method: "POST", path: "/Groups", bulkId: "a", data: { displayName: "Circle A", members: [{ value: "bulkId:b" }] } },
      { method: "POST", path: "/Groups", bulkId: "b", data: { displayName: "Circle B", members: [{ value: "bulkId:a" }] } },
      { method: "POST", path: "/Groups", bulkId: "c", data: { displayName: "Dangling", members: [{ value: "bulkId:nowhere" }] } },
    ]).expect(200);
    expect(response.body.Operations.map((operation: { status: string }) => operation.status)).toEqual(["409", "409", "409"]);
    expect(response.body.Operations[2].response.detail).toMatch(/nowhere/);
    const groups = await scim.get(`/Groups?filter=${encodeURIComponent('displayName sw "Circle"')}`).expect(200);
    expect(groups.body.totalResults).toBe(0);
  });

  it("enforces maxOperations and maxPayloadSize with 413", async () => {
    const six = Array.from({ length: 6 }, (_, index) => ({ method: "DELETE", path: `/Users/x${index}` }));
    expectScimError(await bulk(six), 413);
    const large = [{ method: "POST", path: "/Users", bulkId: "big", data: { userName: "big", displayName: "x".repeat(5000) } }];
    expectScimError(await bulk(large), 413);
  });

  it("advertises its limits in ServiceProviderConfig", async () => {
    const config = await scim.get("/ServiceProviderConfig").expect(200);
    expect(config.body.bulk).toEqual({ supported: true, maxOperations: 5, maxPayloadSize: 4096 });
  });

  it.each([
    [{ Operations: "nope" }, "invalidSyntax"],
    [{ schemas: [bulkRequestUrn], Operations: [{ method: "GET", path: "/Users" }] }, "invalidSyntax"],
    [{ schemas: [bulkRequestUrn], Operations: [{ method: "POST", path: "/Users", data: {} }] }, "invalidSyntax"],
  ] as const)("rejects a malformed request %o", async (body, scimType) => {
    expectScimError(await scim.post("/Bulk", body), 400, scimType);
  });

  it("needs the write scope", async () => {
    const reader = await app.client("acme", ["scim:read"]);
    expectScimError(await reader.post("/Bulk", { schemas: [bulkRequestUrn], Operations: [] }), 403);
  });
});
