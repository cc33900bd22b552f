import { describe, expect, it } from "vitest";
import { decodedEntries, EntryBuffer } from "../../src/provisioning-log/batch.ts";
import { loggedRequestOf, type AnsweredRequest } from "../../src/provisioning-log/request.ts";

// The entries between two writes of the log travel as one buffer (batch.ts), and what an entry
// says beyond the request's own fields is worked out where it is written (request.ts).

function answered(overrides: Partial<AnsweredRequest> = {}): AnsweredRequest {
  return {
    tenantId: "tenant-1",
    at: Date.UTC(2026, 11, 7, 12, 0, 0, 123),
    durationMs: 3.14159,
    status: 200,
    method: "GET",
    path: "/scim/v2/Users?filter=userName%20eq%20%22a%22",
    userAgent: "Okta SCIM Client 1.0.0",
    location: null,
    requestBody: null,
    failureBody: null,
    ...overrides,
  };
}

describe("a batch of entries", () => {
  it("gives back every entry as it was recorded, nulls, empty and multi-byte text included", () => {
    const entries = [
      answered(),
      answered({ userAgent: null, requestBody: "", failureBody: '{"detail":"Ünïcødé ✓ 😀"}', status: 409, method: "POST" }),
      answered({ path: "/compat/qase/v1/user/Ж", location: "https://scim.example.com/scim/v2/Users/2819c223", durationMs: 0 }),
    ];
    const buffer = new EntryBuffer(16);
    for (const entry of entries) buffer.add(entry);
    expect(buffer.count).toBe(3);
    expect(decodedEntries(buffer.take())).toEqual(entries);
  });

  it("grows past its first size, and starts over empty once taken", () => {
    const buffer = new EntryBuffer(64);
    const big = answered({ requestBody: "x".repeat(100_000) });
    for (let index = 0; index < 50; index += 1) buffer.add({ ...big, status: 200 + index });
    const taken = buffer.take();
    expect(taken.count).toBe(50);
    const decoded = decodedEntries(taken);
    expect(decoded.map((entry) => entry.status)).toEqual(Array.from({ length: 50 }, (_, index) => 200 + index));
    expect(decoded.every((entry) => entry.requestBody === big.requestBody)).toBe(true);
    expect(buffer.count).toBe(0);
    expect(buffer.byteLength).toBe(0);
    expect(decodedEntries(buffer.take())).toEqual([]);
  });
});

describe("an entry worked out from an answered request", () => {
  it("names the client, the API and the resource of the path", () => {
    const entry = loggedRequestOf(answered({ method: "PATCH", path: "/scim/v2/Users/abc%20def?attributes=id" }));
    expect(entry).toMatchObject({
      at: new Date(Date.UTC(2026, 11, 7, 12, 0, 0, 123)),
      surface: "scim",
      client: "okta",
      resourceType: "User",
      resourceId: "abc def",
      durationMs: 3.14,
      scimType: null,
      detail: null,
      responseBody: null,
    });
  });

  it("takes a created resource from Location, and a compat API's name from its path", () => {
    const entry = loggedRequestOf(answered({ method: "POST", path: "/compat/bytebase/v1/users", location: "/compat/bytebase/v1/users/42", status: 201 }));
    expect(entry).toMatchObject({ surface: "bytebase", resourceType: "User", resourceId: "42" });
    expect(loggedRequestOf(answered({ path: "/scim/v2/Groups/.search", method: "POST" }))).toMatchObject({ resourceType: "Group", resourceId: null });
  });

  it("reads scimType and detail from a SCIM error, and the message of a compat API's envelope", () => {
    const scim = loggedRequestOf(answered({ status: 409, failureBody: JSON.stringify({ status: "409", scimType: "uniqueness", detail: "userName is taken" }) }));
    expect(scim).toMatchObject({ scimType: "uniqueness", detail: "userName is taken", responseBody: expect.stringContaining("uniqueness") });
    const compat = loggedRequestOf(answered({ status: 400, failureBody: JSON.stringify({ error: { message: "email is required" } }) }));
    expect(compat).toMatchObject({ scimType: null, detail: "email is required" });
    expect(loggedRequestOf(answered({ status: 502, failureBody: "<html>bad gateway</html>" }))).toMatchObject({ scimType: null, detail: null });
  });

  it("recognises Entra by its User-Agent or by the aadOptscim flag of its tenant URL", () => {
    expect(loggedRequestOf(answered({ userAgent: "Microsoft Azure Active Directory SCIM Client" })).client).toBe("entra");
    expect(loggedRequestOf(answered({ userAgent: null, path: "/scim/v2/Users?aadOptscim062020" })).client).toBe("entra");
    expect(loggedRequestOf(answered({ userAgent: "curl/8.5.0" })).client).toBe("other");
  });
});
