import { describe, expect, it } from "vitest";
import { BulkService } from "../../src/scim/bulk.ts";
import type { ResourceOperations } from "../../src/scim/operations.ts";
import type { Versioned } from "../../src/scim/ports.ts";
import { userResourceType } from "../../src/scim/schema/resource-types.ts";
import { userSchema } from "../../src/scim/schema/user.ts";
import { bulkRequestUrn, errorUrn } from "../../src/scim/schema/urns.ts";

// RFC 7644 §3.7.3: a BulkResponse reports every operation's own outcome. An operation that fails
// unexpectedly (not a SCIM error: a database refusing a value, a bug) is that operation's 500; the
// operations committed before it keep their locations, so the client learns their ids.

function users(failOn: (body: Record<string, unknown>) => boolean): ResourceOperations {
  let next = 0;
  const fail = () => {
    throw new Error("the database said no");
  };
  return {
    resourceType: userResourceType,
    relation: userSchema.attributes.find((attribute) => attribute.name === "groups") as ResourceOperations["relation"],
    async create(_context, body) {
      if (failOn(body as Record<string, unknown>)) fail();
      next += 1;
      return { id: `u${next}`, version: 1, created: new Date(), lastModified: new Date() } satisfies Versioned;
    },
    get: fail,
    replace: fail,
    patch: fail,
    remove: fail,
    list: fail,
    render: fail,
  };
}

const context = { tenantId: "t", baseUrl: "https://host/scim/v2" };
const request = (...userNames: string[]) => ({
  schemas: [bulkRequestUrn],
  Operations: userNames.map((userName, index) => ({ method: "POST", path: "/Users", bulkId: `b${index}`, data: { userName } })),
});

describe("BulkService", () => {
  it("answers an operation that failed unexpectedly with its own 500, and keeps the others' outcomes", async () => {
    const told: unknown[] = [];
    const bulk = new BulkService([users((body) => body.userName === "boom")], { maxOperations: 10, maxPayloadSize: 1_000_000 }, (error, operation) => told.push([String(error), operation]));
    const response = await bulk.run(context, request("first", "boom", "third"), 100);
    expect(response.Operations).toStrictEqual([
      { method: "POST", bulkId: "b0", location: "https://host/scim/v2/Users/u1", version: 'W/"1"', status: "201" },
      { method: "POST", bulkId: "b1", status: "500", response: { schemas: [errorUrn], status: "500", detail: "An unexpected error occurred" } },
      { method: "POST", bulkId: "b2", location: "https://host/scim/v2/Users/u2", version: 'W/"1"', status: "201" },
    ]);
    expect(told).toStrictEqual([["Error: the database said no", { method: "POST", path: "/Users", bulkId: "b1" }]]);
  });

  it("counts an unexpected failure toward failOnErrors", async () => {
    const bulk = new BulkService([users((body) => body.userName === "boom")], { maxOperations: 10, maxPayloadSize: 1_000_000 });
    const response = await bulk.run(context, { ...request("boom", "second"), failOnErrors: 1 }, 100);
    expect((response.Operations as Array<{ status: string }>).map((operation) => operation.status)).toStrictEqual(["500"]);
  });
});
