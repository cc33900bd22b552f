import { randomUUID } from "node:crypto";
import type request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupUrn, listResponseUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError, scimBody, scimContentType } from "../support/responses.ts";

// The behaviour Users and Groups share (RFC 7644 §3.3 - §3.6, §3.14), written once and run against
// both endpoints: users.happy / groups.happy run the happy paths, users.errors / groups.errors the
// errors, users.security / groups.security the tenant isolation.

export interface ResourceKind {
  readonly name: "User" | "Group";
  readonly endpoint: "/Users" | "/Groups";
  readonly schema: string;
  // The attribute unique per tenant, case-insensitively.
  readonly uniqueAttribute: "userName" | "displayName";
  // A valid body whose unique attribute is `key`.
  body(key: string): Record<string, unknown>;
  // Another valid body for the same key, replacing everything else.
  replacement(key: string): Record<string, unknown>;
  // The attributes a body comes back with: the body's own (without schemas) and the server's defaults.
  stored(body: Record<string, unknown>): Record<string, unknown>;
}

export const resourceKinds: Record<"User" | "Group", ResourceKind> = {
  User: {
    name: "User",
    endpoint: "/Users",
    schema: userUrn,
    uniqueAttribute: "userName",
    body: (key) => ({ schemas: [userUrn], userName: key, displayName: `Display ${key}`, emails: [{ value: `${key}@example.com`, primary: true }] }),
    replacement: (key) => ({ schemas: [userUrn], userName: key, title: "Replaced", active: false }),
    stored: ({ schemas: _schemas, ...attributes }) => ({ active: true, ...attributes }),
  },
  Group: {
    name: "Group",
    endpoint: "/Groups",
    schema: groupUrn,
    uniqueAttribute: "displayName",
    body: (key) => ({ schemas: [groupUrn], displayName: key, externalId: `ext-${key}` }),
    replacement: (key) => ({ schemas: [groupUrn], displayName: key }),
    stored: ({ schemas: _schemas, ...attributes }) => attributes,
  },
};

// Apps under test answer with this base URL, so that locations are stable (supertest picks a new
// port per request).
export const publicBaseUrl = "https://scim.example.test";
export const baseUrl = `${publicBaseUrl}/scim/v2`;

let counter = 0;
// A unique key (userName / displayName) or tenant name per call.
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomUUID().slice(0, 8)}`;
}

// A request with a raw body and headers of the test's choosing, authorised by `token`.
export function rawRequest(app: TestApp, token: string, method: "get" | "post" | "put" | "delete" | "patch", path: string): request.Test {
  return app.http()[method](`/scim/v2${path}`).set("Authorization", `Bearer ${token}`);
}

// What a freshly rendered resource must look like.
function expectedResource(kind: ResourceKind, body: Record<string, unknown>, id: string, version: number) {
  return {
    schemas: [kind.schema],
    id,
    ...kind.stored(body),
    meta: {
      resourceType: kind.name,
      created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      lastModified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      location: `${baseUrl}${kind.endpoint}/${id}`,
      version: `W/"${version}"`,
    },
  };
}

async function countIn(scim: ScimClient, kind: ResourceKind): Promise<number> {
  const list = await scim.get(`${kind.endpoint}?count=0`).expect(200);
  return list.body.totalResults as number;
}

// RFC 7644 §3.3 - §3.6, §3.14: create, read, replace, delete, list and versions.
export function describeResourceBehaviour(kind: ResourceKind): void {
  describe(`${kind.endpoint}: shared resource behaviour`, () => {
    let app: TestApp;
    let scim: ScimClient;
    beforeAll(async () => {
      app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
      scim = await app.client();
    });
    afterAll(() => app.close());

    const create = async (client = scim, key = uniqueName(kind.name.toLowerCase())) => {
      const body = kind.body(key);
      const response = await client.post(kind.endpoint, body).expect(201);
      return { body, key, response, id: response.body.id as string };
    };

    it("POST answers 201 with the full resource, Location, ETag and meta", async () => {
      const { body, response, id } = await create();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(scimBody(response)).toStrictEqual(expectedResource(kind, body, id, 1));
      expect(response.headers.location).toBe(`${baseUrl}${kind.endpoint}/${id}`);
      expect(response.headers.etag).toBe('W/"1"');
      expect(response.body.meta.created).toBe(response.body.meta.lastModified);
    });

    it("GET by id answers 200 with what POST returned, and the ETag", async () => {
      const { response: created, id } = await create();
      const read = await scim.get(`${kind.endpoint}/${id}`).expect(200);
      expect(scimBody(read)).toStrictEqual(created.body);
      expect(read.headers.etag).toBe('W/"1"');
      expect(read.headers.location).toBeUndefined();
    });

    it("paths match case-insensitively (the Microsoft collection sends lower-case ones)", async () => {
      const { response: created, id } = await create();
      const read = await scim.get(`${kind.endpoint.toLowerCase()}/${id}`).expect(200);
      expect(read.body).toStrictEqual(created.body);
    });

    it("PUT replaces the resource: omitted attributes are cleared, version and lastModified move on", async () => {
      const { key, response: created, id } = await create();
      const replacement = kind.replacement(key);
      const replaced = await scim.put(`${kind.endpoint}/${id}`, replacement).expect(200);
      expect(scimBody(replaced)).toStrictEqual(expectedResource(kind, replacement, id, 2));
      expect(replaced.headers.etag).toBe('W/"2"');
      expect(replaced.body.meta.created).toBe(created.body.meta.created);
      expect(Date.parse(replaced.body.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(created.body.meta.created));
      const read = await scim.get(`${kind.endpoint}/${id}`).expect(200);
      expect(read.body).toStrictEqual(replaced.body);
    });

    it("POST and PUT ignore a client-sent id and meta", async () => {
      const key = uniqueName("ignored");
      const foreignId = randomUUID();
      const meta = { resourceType: "Other", created: "2001-01-01T00:00:00Z", version: 'W/"99"', location: "https://evil.example/x" };
      const created = await scim.post(kind.endpoint, { ...kind.body(key), id: foreignId, meta }).expect(201);
      const id = created.body.id as string;
      expect(id).not.toBe(foreignId);
      expect(created.body).toStrictEqual(expectedResource(kind, kind.body(key), id, 1));
      const replaced = await scim.put(`${kind.endpoint}/${id}`, { ...kind.replacement(key), id: foreignId, meta }).expect(200);
      expect(replaced.body).toStrictEqual(expectedResource(kind, kind.replacement(key), id, 2));
      await scim.get(`${kind.endpoint}/${foreignId}`).expect(404);
    });

    it("DELETE answers 204 with no body; afterwards GET, PUT and DELETE answer 404", async () => {
      const { key, id } = await create();
      const deleted = await scim.delete(`${kind.endpoint}/${id}`).expect(204);
      expect(deleted.text).toBe("");
      expectScimError(await scim.get(`${kind.endpoint}/${id}`), 404);
      expectScimError(await scim.put(`${kind.endpoint}/${id}`, kind.replacement(key)), 404);
      expectScimError(await scim.delete(`${kind.endpoint}/${id}`), 404);
    });

    it("the unique attribute is free again once its resource is deleted", async () => {
      const { key, id } = await create();
      await scim.delete(`${kind.endpoint}/${id}`).expect(204);
      await scim.post(kind.endpoint, kind.body(key.toUpperCase())).expect(201);
    });

    it.each([
      ["a random UUID", randomUUID()],
      ["a non-UUID id", "no-such-id"],
      ["an id with encoded spaces", "a%20b"],
    ])("an unknown id (%s) answers 404 on GET, PUT and DELETE", async (_name, id) => {
      expectScimError(await scim.get(`${kind.endpoint}/${id}`), 404);
      expectScimError(await scim.put(`${kind.endpoint}/${id}`, kind.body(uniqueName("ghost"))), 404);
      expectScimError(await scim.delete(`${kind.endpoint}/${id}`), 404);
      const body = (await scim.get(`${kind.endpoint}/${id}`)).body;
      expect(body.detail).not.toMatch(/\n/);
    });

    it.each([
      ["application/scim+json"],
      ["application/json"],
      ["application/scim+json; charset=utf-8"],
      ["application/json;charset=UTF-8"],
      ["Application/SCIM+JSON"],
    ])("accepts a body sent as %s and answers application/scim+json", async (contentType) => {
      const key = uniqueName("typed");
      const created = await rawRequest(app, scim.token, "post", kind.endpoint)
        .set("Content-Type", contentType)
        .send(JSON.stringify(kind.body(key)))
        .expect(201);
      expect(created.headers["content-type"]).toBe(scimContentType);
      const replaced = await rawRequest(app, scim.token, "put", `${kind.endpoint}/${created.body.id}`)
        .set("Content-Type", contentType)
        .send(JSON.stringify(kind.replacement(key)))
        .expect(200);
      expect(replaced.headers["content-type"]).toBe(scimContentType);
    });

    describe("list", () => {
      // Each list test works in a tenant of its own, so that totals are exact.
      const seed = async (size: number) => {
        const client = await app.client(uniqueName("tenant"));
        const ids: string[] = [];
        for (let i = 0; i < size; i += 1) ids.push((await create(client)).id);
        return { client, ids };
      };

      it("an empty tenant answers 200 with totalResults 0 and Resources: []", async () => {
        const client = await app.client(uniqueName("empty"));
        const list = await client.get(kind.endpoint).expect(200);
        expect(scimBody(list)).toStrictEqual({ schemas: [listResponseUrn], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
      });

      it("lists every resource of the tenant, each as GET by id returns it", async () => {
        const { client, ids } = await seed(3);
        const list = await client.get(kind.endpoint).expect(200);
        expect(scimBody(list)).toMatchObject({ schemas: [listResponseUrn], totalResults: 3, startIndex: 1, itemsPerPage: 3 });
        expect(list.body.Resources.map((resource: { id: string }) => resource.id).sort()).toEqual([...ids].sort());
        for (const resource of list.body.Resources) {
          const read = await client.get(`${kind.endpoint}/${resource.id}`).expect(200);
          expect(resource).toStrictEqual(read.body);
        }
      });

      it("pages with startIndex and count: totals stay, pages are disjoint and stable, and cover everything", async () => {
        const { client, ids } = await seed(5);
        const pages = [];
        for (const startIndex of [1, 3, 5]) {
          const page = await client.get(`${kind.endpoint}?startIndex=${startIndex}&count=2`).expect(200);
          expect(page.body).toMatchObject({ totalResults: 5, startIndex, itemsPerPage: startIndex === 5 ? 1 : 2 });
          expect(page.body.Resources).toHaveLength(page.body.itemsPerPage);
          pages.push(...page.body.Resources.map((resource: { id: string }) => resource.id));
        }
        expect([...pages].sort()).toEqual([...ids].sort());
        const again = await client.get(`${kind.endpoint}?startIndex=3&count=2`).expect(200);
        expect(again.body.Resources.map((resource: { id: string }) => resource.id)).toEqual(pages.slice(2, 4));
      });

      it.each([
        ["count=0 gives the total only", "count=0", { totalResults: 2, startIndex: 1, itemsPerPage: 0 }],
        ["startIndex=0 means 1", "startIndex=0", { totalResults: 2, startIndex: 1, itemsPerPage: 2 }],
        ["a negative startIndex means 1", "startIndex=-4&count=1", { totalResults: 2, startIndex: 1, itemsPerPage: 1 }],
        ["a negative count means 0", "count=-1", { totalResults: 2, startIndex: 1, itemsPerPage: 0 }],
        ["startIndex past the end gives an empty page", "startIndex=10", { totalResults: 2, startIndex: 10, itemsPerPage: 0 }],
        ["parameter names are case-insensitive", "STARTINDEX=2&Count=5", { totalResults: 2, startIndex: 2, itemsPerPage: 1 }],
        ["an empty count is the default page size", "count=", { totalResults: 2, startIndex: 1, itemsPerPage: 2 }],
      ])("%s", async (_name, query, expected) => {
        const { client } = await seed(2);
        const list = await client.get(`${kind.endpoint}?${query}`).expect(200);
        expect(list.body).toMatchObject({ schemas: [listResponseUrn], ...expected });
        expect(list.body.Resources).toHaveLength(expected.itemsPerPage);
        expect(Number.isInteger(list.body.totalResults) && Number.isInteger(list.body.itemsPerPage)).toBe(true);
      });

      it("count is capped at MAX_PAGE_SIZE and defaults to DEFAULT_PAGE_SIZE", async () => {
        const small = await startTestApp({ DEFAULT_PAGE_SIZE: "2", MAX_PAGE_SIZE: "3" });
        try {
          const client = await small.client();
          for (let i = 0; i < 4; i += 1) await client.post(kind.endpoint, kind.body(uniqueName("page"))).expect(201);
          const defaulted = await client.get(kind.endpoint).expect(200);
          expect(defaulted.body).toMatchObject({ totalResults: 4, startIndex: 1, itemsPerPage: 2 });
          const capped = await client.get(`${kind.endpoint}?count=100`).expect(200);
          expect(capped.body).toMatchObject({ totalResults: 4, startIndex: 1, itemsPerPage: 3 });
          expect(capped.body.Resources).toHaveLength(3);
        } finally {
          await small.close();
        }
      });
    });

    describe("versions (RFC 7644 §3.14)", () => {
      it.each([
        ["the current weak tag", 'W/"1"'],
        ["the current strong tag", '"1"'],
        ["a list holding the current tag", 'W/"7", W/"1"'],
        ["*", "*"],
      ])("GET with If-None-Match naming %s answers 304 with the ETag and no body", async (_name, tag) => {
        const { id } = await create();
        const response = await scim.get(`${kind.endpoint}/${id}`).set("If-None-Match", tag).expect(304);
        expect(response.text).toBe("");
        expect(response.headers.etag).toBe('W/"1"');
      });

      it("GET with If-None-Match naming an older version answers 200", async () => {
        const { key, id } = await create();
        await scim.put(`${kind.endpoint}/${id}`, kind.replacement(key)).expect(200);
        const response = await scim.get(`${kind.endpoint}/${id}`).set("If-None-Match", 'W/"1"').expect(200);
        expect(response.headers.etag).toBe('W/"2"');
        expect(response.body.meta.version).toBe('W/"2"');
      });

      it.each([
        ["the current weak tag", 'W/"1"'],
        ["the current strong tag", '"1"'],
        ["*", "*"],
      ])("PUT and DELETE with If-Match naming %s succeed", async (_name, tag) => {
        const { key, id } = await create();
        const replaced = await scim.put(`${kind.endpoint}/${id}`, kind.replacement(key)).set("If-Match", tag).expect(200);
        expect(replaced.body.meta.version).toBe('W/"2"');
        await scim.delete(`${kind.endpoint}/${id}`).set("If-Match", tag === "*" ? "*" : 'W/"2"').expect(204);
      });

      it.each([
        ["a stale version", 'W/"0"'],
        ["a future version", 'W/"2"'],
        ["something that is no tag", "not-a-tag"],
      ])("PUT and DELETE with If-Match naming %s answer 412 and change nothing", async (_name, tag) => {
        const { key, response: created, id } = await create();
        expectScimError(await scim.put(`${kind.endpoint}/${id}`, kind.replacement(key)).set("If-Match", tag), 412);
        expectScimError(await scim.delete(`${kind.endpoint}/${id}`).set("If-Match", tag), 412);
        const read = await scim.get(`${kind.endpoint}/${id}`).expect(200);
        expect(read.body).toStrictEqual(created.body);
      });

      it("a PUT with the version a concurrent PUT has replaced answers 412", async () => {
        const { key, id } = await create();
        await scim.put(`${kind.endpoint}/${id}`, kind.replacement(key)).set("If-Match", 'W/"1"').expect(200);
        expectScimError(await scim.put(`${kind.endpoint}/${id}`, kind.body(key)).set("If-Match", 'W/"1"'), 412);
        const read = await scim.get(`${kind.endpoint}/${id}`).expect(200);
        expect(read.body).toStrictEqual(expectedResource(kind, kind.replacement(key), id, 2));
      });

      it("If-Match on an unknown id answers 404, not 412", async () => {
        expectScimError(await scim.put(`${kind.endpoint}/${randomUUID()}`, kind.body(uniqueName("x"))).set("If-Match", 'W/"1"'), 404);
        expectScimError(await scim.delete(`${kind.endpoint}/${randomUUID()}`).set("If-Match", 'W/"1"'), 404);
      });
    });
  });
}

// RFC 7644 §3.12: the errors Users and Groups share. Every failed write leaves the data as it was.
export function describeResourceErrors(kind: ResourceKind): void {
  describe(`${kind.endpoint}: shared error behaviour`, () => {
    let app: TestApp;
    let scim: ScimClient;
    let existing: { id: string; key: string; body: Record<string, unknown> };
    beforeAll(async () => {
      app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl, MAX_BODY_BYTES: "2048" });
      scim = await app.client();
      const key = uniqueName("existing");
      const created = await scim.post(kind.endpoint, kind.body(key)).expect(201);
      existing = { id: created.body.id, key, body: created.body };
    });
    afterAll(() => app.close());

    // The tenant holds exactly the existing resource, unchanged.
    const expectUnchanged = async () => {
      expect(await countIn(scim, kind)).toBe(1);
      const read = await scim.get(`${kind.endpoint}/${existing.id}`).expect(200);
      expect(read.body).toStrictEqual(existing.body);
    };
    const sendRaw = (method: "post" | "put", contentType: string | undefined, text: string, id = existing.id) => {
      const path = method === "post" ? kind.endpoint : `${kind.endpoint}/${id}`;
      const test = rawRequest(app, scim.token, method, path);
      return contentType === undefined ? test.send(Buffer.from(text)) : test.set("Content-Type", contentType).send(text);
    };

    describe.each(["post", "put"] as const)("%s", (method) => {
      it.each([
        ["a truncated object", '{"schemas": ['],
        ["a missing value", '{"userName": , "displayName": }'],
        ["single quotes", "{'userName': 'x'}"],
        ["a trailing comma", '{"userName": "x",}'],
        ["plain text", "hello"],
      ])("malformed JSON (%s) answers 400 invalidSyntax", async (_name, text) => {
        expectScimError(await sendRaw(method, "application/scim+json", text), 400, "invalidSyntax");
        await expectUnchanged();
      });

      it.each([
        ["an array", "[]"],
        ["a string", '"text"'],
        ["a number", "42"],
        ["null", "null"],
        ["true", "true"],
        ["nothing", ""],
      ])("a body that is not a JSON object (%s) answers 400 invalidSyntax", async (_name, text) => {
        expectScimError(await sendRaw(method, "application/scim+json", text), 400, "invalidSyntax");
        await expectUnchanged();
      });

      it.each([
        ["text/plain"],
        ["application/xml"],
        ["application/x-www-form-urlencoded"],
        ["multipart/form-data; boundary=x"],
        ["application/jsonp"],
      ])("a body sent as %s answers 415", async (contentType) => {
        expectScimError(await sendRaw(method, contentType, JSON.stringify(kind.body(uniqueName("typed")))), 415);
        await expectUnchanged();
      });

      it("a body without a Content-Type answers 415", async () => {
        expectScimError(await sendRaw(method, undefined, JSON.stringify(kind.body(uniqueName("untyped")))), 415);
        await expectUnchanged();
      });

      it("a body over MAX_BODY_BYTES answers 413", async () => {
        const body = { ...kind.body(uniqueName("big")), externalId: "x".repeat(4096) };
        expectScimError(await sendRaw(method, "application/scim+json", JSON.stringify(body)), 413);
        await expectUnchanged();
      });

      it("a body just under MAX_BODY_BYTES is accepted", async () => {
        const target = await scim.post(kind.endpoint, kind.body(uniqueName("target"))).expect(201);
        const body = kind.body(uniqueName("fits"));
        const padded = { ...body, externalId: "x".repeat(2000 - JSON.stringify(body).length) };
        expect(JSON.stringify(padded).length).toBeLessThanOrEqual(2048);
        const response = await sendRaw(method, "application/scim+json", JSON.stringify(padded), target.body.id);
        expect(response.status).toBe(method === "post" ? 201 : 200);
        expect(response.body.externalId).toBe(padded.externalId);
        await scim.delete(`${kind.endpoint}/${response.body.id}`).expect(204);
        if (method === "post") await scim.delete(`${kind.endpoint}/${target.body.id}`).expect(204);
        await expectUnchanged();
      });

      it(`a body without ${kind.uniqueAttribute} answers 400 invalidValue`, async () => {
        const { [kind.uniqueAttribute]: _key, ...body } = kind.body(uniqueName("nameless"));
        expectScimError(await sendRaw(method, "application/scim+json", JSON.stringify(body)), 400, "invalidValue");
        await expectUnchanged();
      });

      it.each([
        ["null", null],
        ["a number", 42],
        ["an array", ["a"]],
        ["an object", { value: "a" }],
      ])(`${kind.uniqueAttribute} given as %s answers 400 invalidValue`, async (_name, value) => {
        const body = { ...kind.body(uniqueName("typed")), [kind.uniqueAttribute]: value };
        expectScimError(await sendRaw(method, "application/scim+json", JSON.stringify(body)), 400, "invalidValue");
        await expectUnchanged();
      });

      it("one attribute given twice in different case answers 400 invalidSyntax", async () => {
        const body = { ...kind.body(uniqueName("twice")), [kind.uniqueAttribute.toUpperCase()]: uniqueName("other") };
        expectScimError(await sendRaw(method, "application/scim+json", JSON.stringify(body)), 400, "invalidSyntax");
        await expectUnchanged();
      });
    });

    it(`POST with an existing ${kind.uniqueAttribute}, in any case, answers 409 uniqueness`, async () => {
      for (const key of [existing.key, existing.key.toUpperCase(), existing.key.replace(/^./, (first) => first.toUpperCase())]) {
        expectScimError(await scim.post(kind.endpoint, kind.body(key)), 409, "uniqueness");
      }
      await expectUnchanged();
    });

    it(`PUT taking another resource's ${kind.uniqueAttribute} answers 409 uniqueness and changes neither`, async () => {
      const other = await scim.post(kind.endpoint, kind.body(uniqueName("other"))).expect(201);
      expectScimError(await scim.put(`${kind.endpoint}/${other.body.id}`, kind.body(existing.key.toUpperCase())), 409, "uniqueness");
      const read = await scim.get(`${kind.endpoint}/${other.body.id}`).expect(200);
      expect(read.body).toStrictEqual(other.body);
      await scim.delete(`${kind.endpoint}/${other.body.id}`).expect(204);
      await expectUnchanged();
    });

    it(`PUT changing only the case of its own ${kind.uniqueAttribute} succeeds`, async () => {
      const created = await scim.post(kind.endpoint, kind.body(uniqueName("recase"))).expect(201);
      const recased = String(created.body[kind.uniqueAttribute]).toUpperCase();
      const replaced = await scim.put(`${kind.endpoint}/${created.body.id}`, kind.body(recased)).expect(200);
      expect(replaced.body[kind.uniqueAttribute]).toBe(recased);
      await scim.delete(`${kind.endpoint}/${created.body.id}`).expect(204);
    });

    it.each([
      ["POST to a resource", "post", true, ["GET", "PUT", "DELETE"]],
      ["PUT to the collection", "put", false, ["GET", "POST"]],
      ["DELETE of the collection", "delete", false, ["GET", "POST"]],
    ] as const)("%s answers 405 with Allow naming the methods that are", async (_name, method, onResource, allowed) => {
      const test = rawRequest(app, scim.token, method, onResource ? `${kind.endpoint}/${existing.id}` : kind.endpoint);
      const response =
        method === "delete" ? await test : await test.set("Content-Type", "application/scim+json").send(JSON.stringify(kind.body(uniqueName("m"))));
      expectScimError(response, 405);
      const allow = String(response.headers.allow).split(", ");
      expect(allow).toEqual(expect.arrayContaining([...allowed]));
      expect(allow).not.toContain(method.toUpperCase());
      await expectUnchanged();
    });

    it.each([
      [`${kind.endpoint}/{id}/extra`],
      [`${kind.endpoint}s`],
      ["/Nope"],
      ["/"],
    ])("an unknown route (%s) answers 404", async (path) => {
      expectScimError(await scim.get(path.replace("{id}", existing.id)), 404);
    });

    it.each([
      ["count", "count=abc", "invalidValue"],
      ["count", "count=1.5", "invalidValue"],
      ["startIndex", "startIndex=two", "invalidValue"],
      ["attributes with excludedAttributes", "attributes=id&excludedAttributes=id", "invalidValue"],
    ] as const)("a bad list parameter (%s: %s) answers 400 %s", async (_name, query, scimType) => {
      expectScimError(await scim.get(`${kind.endpoint}?${query}`), 400, scimType);
    });

    it.each([
      ["startIndex", "startIndex=99999999999999999999"],
      ["count", "count=99999999999999999999"],
      ["startIndex", "startIndex=-99999999999999999999"],
    ])("a %s beyond 2^53 (%s) answers 400 invalidValue", async (_name, query) => {
      expectScimError(await scim.get(`${kind.endpoint}?${query}`), 400, "invalidValue");
    });
  });
}

// The tenant comes from the token: a token of one tenant never reads, changes, lists or deletes
// another tenant's resources, whichever endpoint it calls.
export function describeTenantIsolation(kind: ResourceKind): void {
  describe(`${kind.endpoint}: tenant isolation`, () => {
    let app: TestApp;
    let owner: ScimClient;
    let intruder: ScimClient;
    let theirs: { id: string; key: string; body: Record<string, unknown> };
    beforeAll(async () => {
      app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
      owner = await app.client("owner");
      intruder = await app.client("intruder");
      const key = uniqueName("theirs");
      const created = await owner.post(kind.endpoint, kind.body(key)).expect(201);
      theirs = { id: created.body.id, key, body: created.body };
      await intruder.post(kind.endpoint, kind.body(uniqueName("mine"))).expect(201);
    });
    afterAll(() => app.close());

    const expectOwnerUnchanged = async () => {
      const list = await owner.get(kind.endpoint).expect(200);
      expect(list.body.totalResults).toBe(1);
      expect(list.body.Resources).toStrictEqual([theirs.body]);
    };

    it.each([
      ["GET by id", (id: string) => intruder.get(`${kind.endpoint}/${id}`)],
      ["GET by id, lower-case path", (id: string) => intruder.get(`${kind.endpoint.toLowerCase()}/${id}`)],
      ["GET by id with If-None-Match", (id: string) => intruder.get(`${kind.endpoint}/${id}`).set("If-None-Match", 'W/"1"')],
      ["GET by id with If-None-Match: *", (id: string) => intruder.get(`${kind.endpoint}/${id}`).set("If-None-Match", "*")],
      ["PUT", (id: string) => intruder.put(`${kind.endpoint}/${id}`, kind.replacement(theirs.key))],
      ["PUT with If-Match", (id: string) => intruder.put(`${kind.endpoint}/${id}`, kind.replacement(theirs.key)).set("If-Match", 'W/"1"')],
      ["PUT with If-Match: *", (id: string) => intruder.put(`${kind.endpoint}/${id}`, kind.replacement(theirs.key)).set("If-Match", "*")],
      ["DELETE", (id: string) => intruder.delete(`${kind.endpoint}/${id}`)],
      ["DELETE with If-Match", (id: string) => intruder.delete(`${kind.endpoint}/${id}`).set("If-Match", 'W/"1"')],
      ["DELETE with If-Match: *", (id: string) => intruder.delete(`${kind.endpoint}/${id}`).set("If-Match", "*")],
    ])("%s of another tenant's resource answers 404 and changes nothing", async (_name, send) => {
      expectScimError(await send(theirs.id), 404);
      await expectOwnerUnchanged();
    });

    it.each([
      ["the default page", ""],
      ["a large page", "?startIndex=1&count=1000"],
      ["count=0", "?count=0"],
      ["the second page", "?startIndex=2"],
    ])("listing (%s) shows only the caller's own resources", async (_name, query) => {
      const list = await intruder.get(`${kind.endpoint}${query}`).expect(200);
      expect(list.body.totalResults).toBe(1);
      expect(JSON.stringify(list.body)).not.toContain(theirs.id);
      expect(JSON.stringify(list.body)).not.toContain(theirs.key);
    });

    it(`POST with another tenant's ${kind.uniqueAttribute} creates a resource of the caller's own`, async () => {
      const created = await intruder.post(kind.endpoint, { ...kind.body(theirs.key), id: theirs.id }).expect(201);
      expect(created.body.id).not.toBe(theirs.id);
      await intruder.get(`${kind.endpoint}/${created.body.id}`).expect(200);
      expectScimError(await owner.get(`${kind.endpoint}/${created.body.id}`), 404);
      await intruder.delete(`${kind.endpoint}/${created.body.id}`).expect(204);
      await expectOwnerUnchanged();
    });

    it(`PUT taking another tenant's ${kind.uniqueAttribute} on the caller's own resource succeeds`, async () => {
      const mine = await intruder.post(kind.endpoint, kind.body(uniqueName("rename"))).expect(201);
      await intruder.put(`${kind.endpoint}/${mine.body.id}`, kind.body(theirs.key)).expect(200);
      await intruder.delete(`${kind.endpoint}/${mine.body.id}`).expect(204);
      await expectOwnerUnchanged();
    });
  });
}
