import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkRequestUrn, groupUrn, patchOpUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { writeTime } from "../../src/store/clock.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";

// meta.created and meta.lastModified (RFC 7643 §3.1) within one server process: every write gets
// a later time than the one before, even within one millisecond.

let app: TestApp;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp({ BULK_MAX_OPERATIONS: "200" });
  scim = await app.client();
});
afterAll(() => app.close());

const patchOp = (...operations: unknown[]) => ({ schemas: [patchOpUrn], Operations: operations });

describe("write times", () => {
  it("never repeat, however fast they are asked for", () => {
    const times = Array.from({ length: 5000 }, () => writeTime().getTime());
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]!);
  });

  it.each([
    ["Users", (i: number) => ({ schemas: [userUrn], userName: `order-${i}` }), 'userName sw "order-"'],
    ["Groups", (i: number) => ({ schemas: [groupUrn], displayName: `order-${i}` }), 'displayName sw "order-"'],
  ])("order %s created by one Bulk request as they were created, by meta.created", async (type, data, filter) => {
    const size = 120;
    const Operations = Array.from({ length: size }, (_, i) => ({ method: "POST", path: `/${type}`, bulkId: `b${i}`, data: data(i) }));
    const response = await scim.post("/Bulk", { schemas: [bulkRequestUrn], Operations }).expect(200);
    const ids = (response.body.Operations as { location: string }[]).map((operation) => operation.location.split("/").pop());

    for (const sortOrder of ["ascending", "descending"]) {
      const query = new URLSearchParams({ filter, sortBy: "meta.created", sortOrder, count: String(size), excludedAttributes: "members" });
      const list = await scim.get(`/${type}?${query}`).expect(200);
      const listed = (list.body.Resources as { id: string }[]).map((resource) => resource.id);
      expect(listed).toEqual(sortOrder === "ascending" ? ids : [...ids].reverse());
    }
  });

  it("lastModified changes with each of two back-to-back PATCHes, and the ETag with it", async () => {
    const user = (await scim.post("/Users", { schemas: [userUrn], userName: "twice" }).expect(201)).body;
    const [first, second] = await Promise.all([
      scim.patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "nickName", value: "one" })).expect(200),
      scim.patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "title", value: "two" })).expect(200),
    ]);
    const times = [user.meta.lastModified, first.body.meta.lastModified, second.body.meta.lastModified].map((time) => Date.parse(time));
    expect(new Set(times).size).toBe(3);
    expect(new Set([user.meta.version, first.body.meta.version, second.body.meta.version]).size).toBe(3);
  });
});
