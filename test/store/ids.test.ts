import { describe, expect, it } from "vitest";
import { newId } from "../../src/store/ids.ts";
import { startTestApp } from "../support/app.ts";

// New users and groups get UUIDv7 ids (RFC 9562 §5.7), so that the id-keyed indexes grow at their
// right edge.

const version7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function millisecondsOf(id: string): number {
  return Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
}

describe("UUIDv7 ids", () => {
  it("carry the time of their creation, version 7 and the RFC's variant", () => {
    const before = Date.now();
    const id = newId();
    expect(id).toMatch(version7);
    expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisecondsOf(id)).toBeLessThanOrEqual(Date.now());
    expect(millisecondsOf(newId(Date.UTC(2030, 0, 1)))).toBe(Date.UTC(2030, 0, 1));
  });

  it("stay in creation order and distinct, many in the same millisecond included", () => {
    const ids = Array.from({ length: 20_000 }, () => newId(Date.UTC(2031, 0, 1)));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => version7.test(id))).toBe(true);
    // A clock that steps back does not reorder them.
    const later = newId(Date.UTC(2020, 0, 1));
    expect(later > (ids.at(-1) as string)).toBe(true);
  });

  it("are what the SCIM API gives new users and groups, in the order they were created", async () => {
    const app = await startTestApp();
    try {
      const scim = await app.client();
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const response = await scim.post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `v7-${index}@example.com` }).expect(201);
        ids.push(response.body.id as string);
      }
      const group = await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "v7 group" }).expect(201);
      expect([...ids, group.body.id].every((id) => version7.test(id))).toBe(true);
      expect([...ids].sort()).toEqual(ids);
    } finally {
      await app.close();
    }
  });
});
