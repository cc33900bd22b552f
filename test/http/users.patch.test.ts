import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScimType } from "../../src/scim/errors.ts";
import { enterpriseUserUrn, groupUrn, listResponseUrn, patchOpUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError, scimBody, scimContentType } from "../support/responses.ts";
import { describeAuthentication } from "./auth.suite.ts";
import { baseUrl, publicBaseUrl, rawRequest, uniqueName } from "./resource.behaviour.ts";

// RFC 7644 §3.5.2 over HTTP on /Users: the answer (RFC 7240 Prefer, the tenant's default), versions
// (§3.14 If-Match, ETag), errors, and tenant isolation. What each operation does to a resource is
// test/scim/patch's; recorded IdP conversations are test/http/conversations'.

const patchOp = (...operations: unknown[]) => ({ schemas: [patchOpUrn], Operations: operations });
const retitle = (title: string) => patchOp({ op: "replace", path: "title", value: title });

describeAuthentication([{ method: "PATCH", path: "/Users/:user", body: retitle("Changed") }]);

describe("PATCH /Users/{id}", () => {
  let app: TestApp;
  let scim: ScimClient;
  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
    scim = await app.client();
  });
  afterAll(() => app.close());

  const createUser = async (client = scim, extra: Record<string, unknown> = {}) => {
    const userName = uniqueName("patched");
    const response = await client.post("/Users", { schemas: [userUrn], userName, displayName: "Before", ...extra }).expect(201);
    return response.body as Record<string, any>;
  };

  describe("answers", () => {
    it("200 with the whole new resource, the ETag of the new version, and the same as a later GET", async () => {
      const created = await createUser();
      const patched = await scim.patch(`/Users/${created.id}`, retitle("Tour Guide")).expect(200);
      expect(scimBody(patched)).toStrictEqual({
        ...created,
        title: "Tour Guide",
        meta: { ...created.meta, lastModified: expect.any(String), version: 'W/"2"' },
      });
      expect(patched.headers.etag).toBe('W/"2"');
      expect(patched.headers.location).toBeUndefined();
      expect(Date.parse(patched.body.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(created.meta.lastModified));
      const read = await scim.get(`/Users/${created.id}`).expect(200);
      expect(read.body).toStrictEqual(patched.body);
      expect(read.headers.etag).toBe('W/"2"');
    });

    it("honours attributes and excludedAttributes on the returned resource", async () => {
      const created = await createUser();
      const only = await scim.patch(`/Users/${created.id}?attributes=title`, retitle("A")).expect(200);
      expect(only.body).toStrictEqual({ schemas: [userUrn], id: created.id, title: "A" });
      const without = await scim.patch(`/Users/${created.id}?excludedAttributes=title,meta`, retitle("B")).expect(200);
      expect(without.body).not.toHaveProperty("title");
      expect(without.body).not.toHaveProperty("meta");
      expect(without.body.userName).toBe(created.userName);
    });

    it("lists the extension in schemas once an extension attribute is patched in, and drops it when removed", async () => {
      const created = await createUser();
      const added = await scim
        .patch(`/Users/${created.id}`, patchOp({ op: "add", path: `${enterpriseUserUrn}:department`, value: "Tours" }))
        .expect(200);
      expect(added.body.schemas).toStrictEqual([userUrn, enterpriseUserUrn]);
      expect(added.body[enterpriseUserUrn]).toStrictEqual({ department: "Tours" });
      const removed = await scim.patch(`/Users/${created.id}`, patchOp({ op: "remove", path: enterpriseUserUrn })).expect(200);
      expect(removed.body.schemas).toStrictEqual([userUrn]);
      expect(removed.body).not.toHaveProperty(enterpriseUserUrn);
    });

    it("returns the user's groups, which PATCH cannot change", async () => {
      const created = await createUser();
      const group = await scim.post("/Groups", { schemas: [groupUrn], displayName: uniqueName("g"), members: [{ value: created.id }] }).expect(201);
      const patched = await scim.patch(`/Users/${created.id}`, retitle("Member")).expect(200);
      expect(patched.body.groups).toStrictEqual([
        { value: group.body.id, display: group.body.displayName, type: "direct", $ref: `${baseUrl}/Groups/${group.body.id}` },
      ]);
      expectScimError(await scim.patch(`/Users/${created.id}`, patchOp({ op: "remove", path: "groups" })), 400, "mutability");
    });

    it("never returns a patched password", async () => {
      const created = await createUser();
      const password = "Patched-Horse-Battery-Staple-9";
      const patched = await scim.patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "password", value: password })).expect(200);
      expect(patched.text).not.toContain(password);
      expect(patched.body).not.toHaveProperty("password");
      const row = await app.server.database.prisma.user.findFirstOrThrow({ where: { id: created.id }, select: { passwordHash: true } });
      expect(row.passwordHash).toEqual(expect.any(String));
      expect(row.passwordHash).not.toContain(password);
    });

    it("keeps a soft-deleted (active:false) user readable by id and by filter", async () => {
      const created = await createUser();
      await scim.patch(`/Users/${created.id}`, patchOp({ op: "replace", value: { active: false } })).expect(200);
      expect((await scim.get(`/Users/${created.id}`).expect(200)).body.active).toBe(false);
      const found = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${created.userName}" and active eq false`)}`).expect(200);
      expect(found.body).toMatchObject({ schemas: [listResponseUrn], totalResults: 1, Resources: [{ id: created.id, active: false }] });
    });

    // RFC 7644 §3.5.2.2: a removed attribute is unassigned. README "An unassigned active".
    it("remove active leaves it unassigned: absent, and matched by no comparison but not(active pr)", async () => {
      const created = await createUser(scim, { active: false });
      const removed = await scim.patch(`/Users/${created.id}`, patchOp({ op: "remove", path: "active" })).expect(200);
      expect(removed.body).not.toHaveProperty("active");
      expect((await scim.get(`/Users/${created.id}`).expect(200)).body).not.toHaveProperty("active");
      const matches = async (filter: string) => {
        const list = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${created.userName}" and (${filter})`)}`).expect(200);
        return list.body.totalResults;
      };
      expect({
        "active eq true": await matches("active eq true"),
        "active eq false": await matches("active eq false"),
        "active ne true": await matches("active ne true"),
        "active pr": await matches("active pr"),
        "not (active pr)": await matches("not (active pr)"),
        "not (active eq false)": await matches("not (active eq false)"),
      }).toStrictEqual({
        "active eq true": 0, "active eq false": 0, "active ne true": 0, "active pr": 0, "not (active pr)": 1, "not (active eq false)": 1,
      });
      const sorted = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${created.userName}"`)}&sortBy=active`).expect(200);
      expect(sorted.body.Resources[0]).not.toHaveProperty("active");
      // Set again, it is an ordinary value.
      await scim.patch(`/Users/${created.id}`, patchOp({ op: "add", path: "active", value: true })).expect(200);
      expect(await matches("active eq true")).toBe(1);
    });

    it("makes the patched values filterable (columns and value rows follow the new state)", async () => {
      const created = await createUser(scim, { emails: [{ value: "old@example.com", type: "work" }] });
      await scim
        .patch(`/Users/${created.id}`, patchOp(
          { op: "Replace", path: 'emails[type eq "work"].value', value: "new@example.com" },
          { op: "Replace", path: "name.familyName", value: "Patched" },
        ))
        .expect(200);
      const byEmail = (value: string) => scim.get(`/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${value}"`)}`).expect(200);
      expect((await byEmail("new@example.com")).body.totalResults).toBe(1);
      expect((await byEmail("old@example.com")).body.totalResults).toBe(0);
      const byName = await scim.get(`/Users?filter=${encodeURIComponent('name.familyName eq "patched"')}`).expect(200);
      expect(byName.body.Resources.map((user: { id: string }) => user.id)).toStrictEqual([created.id]);
    });
  });

  // RFC 7240; RFC 7644 §3.5.2: "either the resource or 204".
  describe("Prefer and the tenant's default", () => {
    it("Prefer: return=minimal answers 204 with no body, the new ETag and Preference-Applied", async () => {
      const created = await createUser();
      const response = await scim.patch(`/Users/${created.id}`, retitle("Minimal")).set("Prefer", "return=minimal").expect(204);
      expect(response.text).toBe("");
      expect(response.headers.etag).toBe('W/"2"');
      expect(response.headers["preference-applied"]).toBe("return=minimal");
      expect((await scim.get(`/Users/${created.id}`).expect(200)).body.title).toBe("Minimal");
    });

    it("Prefer: return=representation answers 200 with Preference-Applied", async () => {
      const created = await createUser();
      const response = await scim.patch(`/Users/${created.id}`, retitle("Full")).set("Prefer", "return=representation").expect(200);
      expect(response.headers["preference-applied"]).toBe("return=representation");
      expect(response.body.title).toBe("Full");
      expect(response.headers["content-type"]).toBe(scimContentType);
    });

    it.each([
      ["quoted and among other preferences", 'respond-async, return="minimal"; foo=bar', 204],
      ["in another case", "Return=Minimal", 204],
      ["an unknown preference falls back to the default", "handling=lenient", 200],
    ])("reads Prefer %s", async (_name, prefer, status) => {
      const created = await createUser();
      await scim.patch(`/Users/${created.id}`, retitle("x")).set("Prefer", prefer).expect(status);
    });

    it("without Prefer, follows the tenant's default, which can be switched either way", async () => {
      const tenant = uniqueName("prefers-minimal");
      const client = await app.client(tenant);
      const created = await createUser(client);
      const first = await client.patch(`/Users/${created.id}`, retitle("1")).expect(200);
      expect(first.headers["preference-applied"]).toBe("return=representation");

      await app.server.tenants.setPatchReturn(tenant, "minimal");
      const second = await client.patch(`/Users/${created.id}`, retitle("2")).expect(204);
      expect(second.headers["preference-applied"]).toBe("return=minimal");
      expect(second.headers.etag).toBe('W/"3"');
      await client.patch(`/Users/${created.id}`, retitle("3")).set("Prefer", "return=representation").expect(200);
      // Another tenant keeps its own default.
      await scim.patch(`/Users/${(await createUser()).id}`, retitle("x")).expect(200);

      await app.server.tenants.setPatchReturn(tenant, "representation");
      await client.patch(`/Users/${created.id}`, retitle("4")).expect(200);
    });

    it("an error is a SCIM error whatever the preference", async () => {
      const created = await createUser();
      const response = await scim.patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "nope", value: 1 })).set("Prefer", "return=minimal");
      expectScimError(response, 400, "invalidPath");
    });
  });

  // RFC 7644 §3.14
  describe("versions", () => {
    it("each PATCH moves the ETag on; If-None-Match with the old one no longer answers 304", async () => {
      const created = await createUser();
      const etags = ['W/"1"'];
      for (const title of ["a", "b", "c"]) etags.push((await scim.patch(`/Users/${created.id}`, retitle(title)).expect(200)).headers.etag);
      expect(etags).toStrictEqual(['W/"1"', 'W/"2"', 'W/"3"', 'W/"4"']);
      await scim.get(`/Users/${created.id}`).set("If-None-Match", 'W/"4"').expect(304);
      const fresh = await scim.get(`/Users/${created.id}`).set("If-None-Match", 'W/"3"').expect(200);
      expect(fresh.body.title).toBe("c");
    });

    it("If-Match with the current ETag applies the PATCH", async () => {
      const created = await createUser();
      const response = await scim.patch(`/Users/${created.id}`, retitle("Matched")).set("If-Match", 'W/"1"').expect(200);
      expect(response.headers.etag).toBe('W/"2"');
      await scim.patch(`/Users/${created.id}`, retitle("Any")).set("If-Match", "*").expect(200);
    });

    it.each([
      ["a stale ETag", 'W/"1"'],
      ["a future ETag", 'W/"99"'],
      ["a strong form of a stale ETag", '"1"'],
      ["something that is no ETag of ours", "abc"],
    ])("If-Match with %s answers 412 and changes nothing", async (_name, tag) => {
      const created = await createUser();
      await scim.patch(`/Users/${created.id}`, retitle("Second")).expect(200);
      expectScimError(await scim.patch(`/Users/${created.id}`, retitle("Lost")).set("If-Match", tag), 412);
      const read = await scim.get(`/Users/${created.id}`).expect(200);
      expect(read.body.title).toBe("Second");
      expect(read.headers.etag).toBe('W/"2"');
    });

    it("a rejected PATCH leaves the version where it was", async () => {
      const created = await createUser();
      expectScimError(await scim.patch(`/Users/${created.id}`, patchOp(retitle("x").Operations[0], { op: "remove" })), 400, "noTarget");
      const read = await scim.get(`/Users/${created.id}`).expect(200);
      expect(read.body).toStrictEqual(created);
      expect(read.headers.etag).toBe('W/"1"');
    });
  });

  describe("errors", () => {
    it.each([
      ["a random UUID", randomUUID()],
      ["a non-UUID id", "no-such-id"],
    ])("an unknown id (%s) answers 404", async (_name, id) => {
      expectScimError(await scim.patch(`/Users/${id}`, retitle("x")), 404);
      expectScimError(await scim.patch(`/Users/${id}`, retitle("x")).set("Prefer", "return=minimal"), 404);
    });

    it("a deleted user answers 404", async () => {
      const created = await createUser();
      await scim.delete(`/Users/${created.id}`).expect(204);
      expectScimError(await scim.patch(`/Users/${created.id}`, retitle("x")), 404);
    });

    it.each([
      ["an empty object", {}],
      ["no Operations", { schemas: [patchOpUrn] }],
      ["empty Operations", patchOp()],
      ["Operations that is no list", { schemas: [patchOpUrn], Operations: { op: "add" } }],
      ["schemas without the PatchOp URN", { schemas: [userUrn], Operations: [{ op: "add", path: "title", value: "x" }] }],
      ["an unknown op", patchOp({ op: "copy", path: "title" })],
      ["an operation without op", patchOp({ path: "title", value: "x" })],
      ["a resource instead of a PatchOp", { schemas: [userUrn], userName: "x" }],
      ["a JSON array", [{ op: "add", path: "title", value: "x" }]],
    ])("a malformed PatchOp (%s) answers 400 invalidSyntax and changes nothing", async (_name, body) => {
      const created = await createUser();
      expectScimError(await scim.patch(`/Users/${created.id}`, body), 400, "invalidSyntax");
      expect((await scim.get(`/Users/${created.id}`).expect(200)).body).toStrictEqual(created);
    });

    it("a body that is no JSON answers 400 invalidSyntax", async () => {
      const created = await createUser();
      const response = await rawRequest(app, scim.token, "patch", `/Users/${created.id}`)
        .set("Content-Type", "application/scim+json")
        .send('{"Operations":[{"op":"add",');
      expectScimError(response, 400, "invalidSyntax");
    });

    it("no body answers 400 invalidSyntax", async () => {
      const created = await createUser();
      expectScimError(await rawRequest(app, scim.token, "patch", `/Users/${created.id}`), 400, "invalidSyntax");
    });

    it("a body of another media type answers 415", async () => {
      const created = await createUser();
      const response = await rawRequest(app, scim.token, "patch", `/Users/${created.id}`)
        .set("Content-Type", "text/plain")
        .send(JSON.stringify(retitle("x")));
      expectScimError(response, 415);
    });

    const rejected: readonly [string, unknown[], ScimType][] = [
      ["an unknown path", [{ op: "replace", path: "nickname2", value: "x" }], "invalidPath"],
      ["a read-only attribute", [{ op: "replace", path: "id", value: "x" }], "mutability"],
      ["meta", [{ op: "replace", path: "meta.created", value: "2001-01-01T00:00:00Z" }], "mutability"],
      ["a remove without a path", [{ op: "remove" }], "noTarget"],
      ["a remove of userName", [{ op: "remove", path: "userName" }], "invalidValue"],
      ["a value of the wrong type", [{ op: "replace", path: "active", value: "maybe" }], "invalidValue"],
      ["a valid operation, then a failing one", [{ op: "replace", path: "title", value: "Lost" }, { op: "replace", path: "id", value: "x" }], "mutability"],
    ];
    it.each(rejected)("%s answers 400 and changes nothing", async (_name, operations, scimType) => {
      const created = await createUser();
      expectScimError(await scim.patch(`/Users/${created.id}`, patchOp(...operations)), 400, scimType);
      const read = await scim.get(`/Users/${created.id}`).expect(200);
      expect(read.body).toStrictEqual(created);
    });

    it("a userName taken by another user, in any case, answers 409 uniqueness", async () => {
      const [first, second] = [await createUser(), await createUser()];
      const response = await scim.patch(`/Users/${second.id}`, patchOp({ op: "replace", path: "userName", value: first.userName.toUpperCase() }));
      expectScimError(response, 409, "uniqueness");
      expect((await scim.get(`/Users/${second.id}`).expect(200)).body).toStrictEqual(second);
    });

    it("a user may patch its userName to another case of itself", async () => {
      const created = await createUser();
      const patched = await scim.patch(`/Users/${created.id}`, patchOp({ op: "replace", path: "userName", value: created.userName.toUpperCase() }));
      expect(patched.status).toBe(200);
      expect(patched.body.userName).toBe(created.userName.toUpperCase());
    });
  });

  describe("tenants", () => {
    it("another tenant's user answers 404 and is not changed", async () => {
      const other = await app.client(uniqueName("other-tenant"));
      const theirs = await createUser(other);
      expectScimError(await scim.patch(`/Users/${theirs.id}`, retitle("Intruder")), 404);
      expectScimError(await scim.patch(`/Users/${theirs.id}`, retitle("Intruder")).set("If-Match", 'W/"1"'), 404);
      expect((await other.get(`/Users/${theirs.id}`).expect(200)).body).toStrictEqual(theirs);
    });

    it("a userName taken in another tenant is free in this one", async () => {
      const other = await app.client(uniqueName("other-tenant"));
      const theirs = await createUser(other);
      const mine = await createUser();
      const patched = await scim.patch(`/Users/${mine.id}`, patchOp({ op: "replace", path: "userName", value: theirs.userName })).expect(200);
      expect(patched.body.userName).toBe(theirs.userName);
    });

    it("a read-only token answers 403 and changes nothing", async () => {
      const created = await createUser();
      const reader = await app.client("acme", ["scim:read"]);
      expectScimError(await reader.patch(`/Users/${created.id}`, retitle("Reader")), 403);
      expect((await scim.get(`/Users/${created.id}`).expect(200)).body).toStrictEqual(created);
    });
  });
});
