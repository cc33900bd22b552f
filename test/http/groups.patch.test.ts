import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupUrn, patchOpUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError, scimBody } from "../support/responses.ts";
import { describeAuthentication } from "./auth.suite.ts";
import { baseUrl, publicBaseUrl, uniqueName } from "./resource.behaviour.ts";

// RFC 7644 §3.5.2 over HTTP on /Groups: membership changes (set operations in storage), the answer
// (RFC 7240 Prefer), versions (§3.14), errors, and tenant isolation: a group never references a
// resource of another tenant.

const patchOp = (...operations: unknown[]) => ({ schemas: [patchOpUrn], Operations: operations });
const addMembers = (...ids: string[]) => patchOp({ op: "add", path: "members", value: ids.map((value) => ({ value })) });

describeAuthentication([{ method: "PATCH", path: "/Groups/:group", body: patchOp({ op: "replace", path: "displayName", value: "Changed" }) }]);

describe("PATCH /Groups/{id}", () => {
  let app: TestApp;
  let scim: ScimClient;
  let users: Record<string, any>[];
  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
    scim = await app.client();
    users = [];
    for (const name of ["alice", "bob", "carol", "dave"]) {
      users.push((await scim.post("/Users", { schemas: [userUrn], userName: name, displayName: name.toUpperCase() }).expect(201)).body);
    }
  });
  afterAll(() => app.close());

  const ids = (...indexes: number[]) => indexes.map((index) => users[index]!.id as string);
  const createGroup = async (client = scim, memberIds: readonly string[] = []) => {
    const body = { schemas: [groupUrn], displayName: uniqueName("group"), members: memberIds.map((value) => ({ value })) };
    return (await client.post("/Groups", body).expect(201)).body as Record<string, any>;
  };
  const memberIdsOf = async (id: string, client = scim) => {
    const group = await client.get(`/Groups/${id}`).expect(200);
    return ((group.body.members ?? []) as { value: string }[]).map((member) => member.value).sort();
  };
  const sorted = (values: string[]) => [...values].sort();

  describe("members", () => {
    it("add answers 200 with the group and its members, each with type, display and $ref", async () => {
      const group = await createGroup();
      const [alice] = ids(0);
      const response = await scim.patch(`/Groups/${group.id}`, addMembers(alice!)).expect(200);
      expect(scimBody(response)).toStrictEqual({
        ...group,
        members: [{ value: alice, type: "User", display: "ALICE", $ref: `${baseUrl}/Users/${alice}` }],
        meta: { ...group.meta, lastModified: expect.any(String), version: 'W/"2"' },
      });
      expect(response.headers.etag).toBe('W/"2"');
      expect((await scim.get(`/Groups/${group.id}`).expect(200)).body).toStrictEqual(response.body);
    });

    it("adding a member again, or twice in one request, does not duplicate it", async () => {
      const group = await createGroup(scim, ids(0));
      await scim.patch(`/Groups/${group.id}`, addMembers(...ids(0, 1, 1))).expect(200);
      await scim.patch(`/Groups/${group.id}`, addMembers(...ids(1, 0))).expect(200);
      expect(await memberIdsOf(group.id)).toStrictEqual(sorted(ids(0, 1)));
    });

    it("remove with a value list removes those members only (Entra's default job)", async () => {
      const group = await createGroup(scim, ids(0, 1, 2));
      await scim
        .patch(`/Groups/${group.id}`, patchOp({ op: "Remove", path: "members", value: [{ $ref: null, value: ids(0)[0] }, { value: ids(2)[0] }] }))
        .expect(200);
      expect(await memberIdsOf(group.id)).toStrictEqual(ids(1));
    });

    it("remove by value filter, and by an or of ids", async () => {
      const group = await createGroup(scim, ids(0, 1, 2, 3));
      const [alice, bob, carol] = ids(0, 1, 2);
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${alice}"]` })).expect(200);
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${bob}" or value eq "${carol}"]` })).expect(200);
      expect(await memberIdsOf(group.id)).toStrictEqual(ids(3));
    });

    it("remove by a filter on another sub-attribute", async () => {
      const child = await createGroup();
      const group = await createGroup(scim, [...ids(0), child.id]);
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: 'members[type eq "Group"]' })).expect(200);
      expect(await memberIdsOf(group.id)).toStrictEqual(ids(0));
    });

    it("removing a non-member is no change", async () => {
      const group = await createGroup(scim, ids(0));
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${ids(1)[0]}"]` })).expect(200);
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: "members", value: [{ value: randomUUID() }] })).expect(200);
      expect(await memberIdsOf(group.id)).toStrictEqual(ids(0));
    });

    it("remove of members without a value removes them all", async () => {
      const group = await createGroup(scim, ids(0, 1));
      const response = await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: "members" })).expect(200);
      expect(response.body).not.toHaveProperty("members");
      expect(await memberIdsOf(group.id)).toStrictEqual([]);
    });

    it("replace swaps the whole list", async () => {
      const group = await createGroup(scim, ids(0, 1));
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "replace", path: "members", value: ids(1, 2).map((value) => ({ value })) })).expect(200);
      expect(await memberIdsOf(group.id)).toStrictEqual(sorted(ids(1, 2)));
    });

    it("rename, add and remove in one request", async () => {
      const group = await createGroup(scim, ids(0));
      const displayName = uniqueName("renamed");
      const response = await scim
        .patch(`/Groups/${group.id}`, patchOp(
          { op: "Replace", path: "displayName", value: displayName },
          { op: "Add", path: "members", value: [{ value: ids(1)[0] }] },
          { op: "Remove", path: "members", value: [{ value: ids(0)[0] }] },
        ))
        .expect(200);
      expect(response.body.displayName).toBe(displayName);
      expect(response.body.members.map((member: { value: string }) => member.value)).toStrictEqual(ids(1));
      expect(response.headers.etag).toBe('W/"2"');
    });

    // Microsoft's reference collection adds made-up ids and expects success (commit f758e24);
    // POST, PUT and PATCH replace still reject them.
    it("add leaves out ids that name no user or group of the tenant", async () => {
      const group = await createGroup(scim, ids(0));
      const response = await scim.patch(`/Groups/${group.id}`, addMembers(randomUUID(), ids(1)[0]!, "no-such-user")).expect(200);
      expect(response.body.members.map((member: { value: string }) => member.value).sort()).toStrictEqual(sorted(ids(0, 1)));
      const rows = await app.server.database.prisma.groupMember.findMany({ where: { groupId: group.id }, select: { memberId: true } });
      expect(rows.map((row) => row.memberId).sort()).toStrictEqual(sorted(ids(0, 1)));
    });

    it("a member shows its own name, whatever display the client gave", async () => {
      const group = await createGroup();
      const response = await scim
        .patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: ids(0)[0], display: "Alice A." }, { value: ids(1)[0] }] }))
        .expect(200);
      expect(response.body.members).toContainEqual(expect.objectContaining({ value: ids(0)[0], display: "ALICE" }));
      expect(response.body.members).toContainEqual(expect.objectContaining({ value: ids(1)[0], display: "BOB" }));
    });

    // RFC 7643 §4.2: display is the member's name as it is now; the group's version follows it.
    it("a member's display follows its renames, and the group gets a new version", async () => {
      const renamed = (await scim.post("/Users", { userName: uniqueName("renamed") }).expect(201)).body;
      const child = await createGroup();
      const group = await createGroup(scim, [renamed.id, child.id]);
      const displays = async () =>
        Object.fromEntries(((await scim.get(`/Groups/${group.id}`).expect(200)).body.members as Array<{ value: string; display: string }>).map((member) => [member.value, member.display]));
      expect(await displays()).toStrictEqual({ [renamed.id]: renamed.userName, [child.id]: child.displayName });

      await scim.patch(`/Users/${renamed.id}`, patchOp({ op: "replace", path: "displayName", value: "Now Named" })).expect(200);
      await scim.patch(`/Groups/${child.id}`, patchOp({ op: "replace", path: "displayName", value: `${child.displayName} 2` })).expect(200);
      expect(await displays()).toStrictEqual({ [renamed.id]: "Now Named", [child.id]: `${child.displayName} 2` });
      const after = (await scim.get(`/Groups/${group.id}`).expect(200)).body;
      expect(after.meta.version).not.toBe(group.meta.version);

      await scim.put(`/Users/${renamed.id}`, { userName: renamed.userName }).expect(200);
      expect((await displays())[renamed.id]).toBe(renamed.userName);
      // A write that leaves the name as it was changes no group.
      const version = (await scim.get(`/Groups/${group.id}`).expect(200)).body.meta.version;
      await scim.patch(`/Users/${renamed.id}`, patchOp({ op: "replace", path: "title", value: "Other" })).expect(200);
      expect((await scim.get(`/Groups/${group.id}`).expect(200)).body.meta.version).toBe(version);
    });

    it("with scim.memberDisplay=client, the display sent on add is kept until the member is renamed", async () => {
      const tenant = "client-displays";
      const client = await app.client(tenant);
      await app.server.tenants.setOption(tenant, "scim.memberDisplay", "client");
      const user = (await client.post("/Users", { userName: uniqueName("shown") }).expect(201)).body;
      const group = await createGroup(client);
      const added = await client.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: user.id, display: "As Sent" }] })).expect(200);
      expect(added.body.members).toStrictEqual([expect.objectContaining({ value: user.id, display: "As Sent" })]);
      await client.patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "displayName", value: "Renamed" })).expect(200);
      expect((await client.get(`/Groups/${group.id}`).expect(200)).body.members).toStrictEqual([expect.objectContaining({ value: user.id, display: "Renamed" })]);
    });

    it("a group may be a member, typed Group and displayed by its displayName", async () => {
      const child = await createGroup();
      const group = await createGroup();
      const response = await scim.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: child.id }] })).expect(200);
      expect(response.body.members).toStrictEqual([{ value: child.id, type: "Group", display: child.displayName, $ref: `${baseUrl}/Groups/${child.id}` }]);
    });

    it("the members' groups attribute follows", async () => {
      const group = await createGroup();
      const [alice] = ids(0);
      await scim.patch(`/Groups/${group.id}`, addMembers(alice!)).expect(200);
      const member = await scim.get(`/Users/${alice}`).expect(200);
      expect(member.body.groups).toContainEqual({ value: group.id, display: group.displayName, type: "direct", $ref: `${baseUrl}/Groups/${group.id}` });
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: "members" })).expect(200);
      const after = await scim.get(`/Users/${alice}`).expect(200);
      expect((after.body.groups ?? []).map((ref: { value: string }) => ref.value)).not.toContain(group.id);
    });

    it("excludedAttributes=members leaves members out of the answer, not out of the group", async () => {
      const group = await createGroup();
      const response = await scim.patch(`/Groups/${group.id}?excludedAttributes=members`, addMembers(...ids(0, 1))).expect(200);
      expect(response.body).not.toHaveProperty("members");
      expect(await memberIdsOf(group.id)).toStrictEqual(sorted(ids(0, 1)));
    });

    it("a member change moves the version and lastModified on", async () => {
      const group = await createGroup();
      const response = await scim.patch(`/Groups/${group.id}`, addMembers(...ids(0))).expect(200);
      expect(response.body.meta.version).toBe('W/"2"');
      expect(Date.parse(response.body.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(group.meta.lastModified));
      expect(response.body.meta.created).toBe(group.meta.created);
    });
  });

  describe("attributes", () => {
    it("replace displayName; Okta's rename with the id in a path-less value", async () => {
      const group = await createGroup();
      const first = uniqueName("renamed");
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "Replace", path: "displayName", value: first })).expect(200);
      const second = uniqueName("okta-renamed");
      const response = await scim.patch(`/Groups/${group.id}`, patchOp({ op: "replace", value: { id: group.id, displayName: second } })).expect(200);
      expect(response.body).toMatchObject({ id: group.id, displayName: second });
      expect(response.headers.etag).toBe('W/"3"');
    });

    it("a rename keeps the members, and the members' groups show the new name", async () => {
      const group = await createGroup(scim, ids(0));
      const displayName = uniqueName("renamed");
      const response = await scim.patch(`/Groups/${group.id}`, patchOp({ op: "replace", path: "displayName", value: displayName })).expect(200);
      expect(response.body.members.map((member: { value: string }) => member.value)).toStrictEqual(ids(0));
      const member = await scim.get(`/Users/${ids(0)[0]}`).expect(200);
      expect(member.body.groups).toContainEqual(expect.objectContaining({ value: group.id, display: displayName }));
    });

    it("a displayName taken by another group, in any case, answers 409 uniqueness", async () => {
      const [first, second] = [await createGroup(), await createGroup()];
      const response = await scim.patch(`/Groups/${second.id}`, patchOp({ op: "replace", path: "displayName", value: first.displayName.toUpperCase() }));
      expectScimError(response, 409, "uniqueness");
      expect((await scim.get(`/Groups/${second.id}`).expect(200)).body).toStrictEqual(second);
    });

    it("externalId add and remove", async () => {
      const group = await createGroup();
      expect((await scim.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "externalId", value: "ext-9" })).expect(200)).body.externalId).toBe("ext-9");
      const found = await scim.get(`/Groups?filter=${encodeURIComponent('externalId eq "ext-9"')}`).expect(200);
      expect(found.body.totalResults).toBe(1);
      expect((await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: "externalId" })).expect(200)).body).not.toHaveProperty("externalId");
    });
  });

  describe("Prefer", () => {
    it("return=minimal answers 204 with the new ETag, for member and attribute changes alike", async () => {
      const group = await createGroup();
      const members = await scim.patch(`/Groups/${group.id}`, addMembers(...ids(0))).set("Prefer", "return=minimal").expect(204);
      expect(members.text).toBe("");
      expect(members.headers.etag).toBe('W/"2"');
      expect(members.headers["preference-applied"]).toBe("return=minimal");
      const renamed = await scim
        .patch(`/Groups/${group.id}`, patchOp({ op: "replace", path: "displayName", value: uniqueName("minimal") }))
        .set("Prefer", "return=minimal")
        .expect(204);
      expect(renamed.headers.etag).toBe('W/"3"');
    });

    it("the tenant's default applies without Prefer (Entra expects 204 for groups)", async () => {
      const tenant = uniqueName("entra-like");
      const client = await app.client(tenant);
      await app.server.tenants.setPatchReturn(tenant, "minimal");
      const group = await createGroup(client);
      const response = await client.patch(`/Groups/${group.id}`, patchOp({ op: "replace", path: "displayName", value: uniqueName("x") })).expect(204);
      expect(response.headers["preference-applied"]).toBe("return=minimal");
      await client.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: "members" })).set("Prefer", "return=representation").expect(200);
    });
  });

  describe("versions", () => {
    it.each([
      ["a member change", () => addMembers(...ids(1))],
      ["an attribute change", () => patchOp({ op: "replace", path: "displayName", value: uniqueName("lost") })],
      ["both", () => patchOp({ op: "replace", path: "displayName", value: uniqueName("lost") }, { op: "remove", path: "members" })],
    ])("If-Match with a stale ETag answers 412 to %s and changes nothing", async (_name, body) => {
      const group = await createGroup(scim, ids(0));
      const current = await scim.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "externalId", value: "v2" })).expect(200);
      expectScimError(await scim.patch(`/Groups/${group.id}`, body()).set("If-Match", 'W/"1"'), 412);
      expect((await scim.get(`/Groups/${group.id}`).expect(200)).body).toStrictEqual(current.body);
      await scim.patch(`/Groups/${group.id}`, body()).set("If-Match", 'W/"2"').expect(200);
    });
  });

  describe("errors", () => {
    it.each([
      ["a random UUID", randomUUID()],
      ["a non-UUID id", "no-such-id"],
    ])("an unknown group (%s) answers 404, for member and attribute changes", async (_name, id) => {
      expectScimError(await scim.patch(`/Groups/${id}`, addMembers(...ids(0))), 404);
      expectScimError(await scim.patch(`/Groups/${id}`, patchOp({ op: "replace", path: "displayName", value: "x" })), 404);
      expectScimError(await scim.patch(`/Groups/${id}`, patchOp({ op: "remove", path: "members" })).set("Prefer", "return=minimal"), 404);
    });

    it("a missing group or a stale If-Match answers before the members are looked at", async () => {
      const unknownMembers = patchOp({ op: "replace", path: "members", value: [{ value: randomUUID() }] });
      expectScimError(await scim.patch(`/Groups/${randomUUID()}`, unknownMembers), 404);
      const group = await createGroup(scim, ids(0));
      expectScimError(await scim.patch(`/Groups/${group.id}`, unknownMembers).set("If-Match", 'W/"9"'), 412);
      expectScimError(await scim.patch(`/Groups/${group.id}`, unknownMembers), 400, "invalidValue");
      expect((await scim.get(`/Groups/${group.id}`).expect(200)).body).toStrictEqual(group);
    });

    it.each([
      ["an empty object", {}],
      ["empty Operations", patchOp()],
      ["an unknown op", patchOp({ op: "move", path: "members" })],
      ["a group instead of a PatchOp", { schemas: [groupUrn], displayName: "x" }],
    ])("a malformed PatchOp (%s) answers 400 invalidSyntax", async (_name, body) => {
      const group = await createGroup();
      expectScimError(await scim.patch(`/Groups/${group.id}`, body), 400, "invalidSyntax");
    });

    it.each([
      ["a replace with an unknown member id", "invalidValue", () => patchOp({ op: "replace", path: "members", value: [{ value: randomUUID() }] })],
      ["a replace with a known member and an unknown one", "invalidValue", () => patchOp({ op: "replace", path: "members", value: [{ value: ids(1)[0] }, { value: "no-such-user" }] })],
      ["a member without a value", "invalidValue", () => patchOp({ op: "add", path: "members", value: [{ display: "nobody" }] })],
      ["a member sub-attribute through a filter", "invalidPath", () => patchOp({ op: "replace", path: `members[value eq "${ids(0)[0]}"].display`, value: "x" })],
      ["an unknown path", "invalidPath", () => patchOp({ op: "add", path: "owner", value: "x" })],
      ["a remove of displayName", "invalidValue", () => patchOp({ op: "remove", path: "displayName" })],
      [
        "a rename and an add, then a bad member list",
        "invalidValue",
        () => patchOp(
          { op: "replace", path: "displayName", value: "lost" },
          { op: "add", path: "members", value: [{ value: ids(1)[0] }] },
          { op: "replace", path: "members", value: [{ value: "ghost" }] },
        ),
      ],
      ["a member change, then a bad attribute", "mutability", () => patchOp({ op: "remove", path: "members" }, { op: "replace", path: "id", value: "x" })],
    ] as const)("%s answers 400 %s and changes nothing", async (_name, scimType, body) => {
      const group = await createGroup(scim, ids(0));
      expectScimError(await scim.patch(`/Groups/${group.id}`, body()), 400, scimType);
      expect((await scim.get(`/Groups/${group.id}`).expect(200)).body).toStrictEqual(group);
    });

    it("a group cannot be a member of itself", async () => {
      const group = await createGroup();
      expectScimError(await scim.patch(`/Groups/${group.id}`, addMembers(group.id)), 400, "invalidValue");
      expect(await memberIdsOf(group.id)).toStrictEqual([]);
    });
  });

  describe("tenants", () => {
    it("another tenant's group answers 404 and is not changed", async () => {
      const other = await app.client(uniqueName("other-tenant"));
      const theirs = await createGroup(other);
      expectScimError(await scim.patch(`/Groups/${theirs.id}`, addMembers(...ids(0))), 404);
      expectScimError(await scim.patch(`/Groups/${theirs.id}`, patchOp({ op: "replace", path: "displayName", value: "Intruder" })), 404);
      expectScimError(await scim.patch(`/Groups/${theirs.id}`, patchOp({ op: "remove", path: "members" })), 404);
      expect((await other.get(`/Groups/${theirs.id}`).expect(200)).body).toStrictEqual(theirs);
    });

    const foreignMembers = async () => {
      const other = await app.client(uniqueName("other-tenant"));
      const theirUser = (await other.post("/Users", { schemas: [userUrn], userName: uniqueName("theirs") }).expect(201)).body;
      const theirGroup = await createGroup(other);
      return { other, theirUser, theirGroup, foreign: [theirUser.id as string, theirGroup.id as string] };
    };
    const expectNoReferenceTo = async (foreign: readonly string[]) => {
      const rows = await app.server.database.prisma.groupMember.findMany({ where: { memberId: { in: [...foreign] } } });
      expect(rows).toStrictEqual([]);
    };

    it("replace with another tenant's user or group answers 400 invalidValue, naming nothing of theirs", async () => {
      const { other, theirUser, foreign } = await foreignMembers();
      const group = await createGroup(scim, ids(0));
      for (const id of foreign) {
        const response = await scim.patch(`/Groups/${group.id}`, patchOp({ op: "replace", path: "members", value: [{ value: ids(1)[0] }, { value: id }] }));
        expectScimError(response, 400, "invalidValue");
        expect(response.body.detail).not.toContain(theirUser.userName);
      }
      expect((await scim.get(`/Groups/${group.id}`).expect(200)).body).toStrictEqual(group);
      await expectNoReferenceTo(foreign);
      expect((await other.get(`/Users/${theirUser.id}`).expect(200)).body).not.toHaveProperty("groups");
    });

    it("add of another tenant's user or group leaves them out: never a cross-tenant reference", async () => {
      const { other, theirUser, foreign } = await foreignMembers();
      const group = await createGroup(scim, ids(0));
      const response = await scim.patch(`/Groups/${group.id}`, addMembers(...foreign, ids(1)[0]!)).expect(200);
      expect(response.body.members.map((member: { value: string }) => member.value).sort()).toStrictEqual(sorted(ids(0, 1)));
      expect(response.text).not.toContain(theirUser.userName);
      await expectNoReferenceTo(foreign);
      expect((await other.get(`/Users/${theirUser.id}`).expect(200)).body).not.toHaveProperty("groups");
      const filtered = await scim.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${theirUser.id}"]`)}`).expect(200);
      expect(filtered.body.totalResults).toBe(0);
    });

    it("removing another tenant's member id from one's own group is no change to either", async () => {
      const other = await app.client(uniqueName("other-tenant"));
      const theirUser = (await other.post("/Users", { schemas: [userUrn], userName: uniqueName("theirs") }).expect(201)).body;
      const theirGroup = await createGroup(other, [theirUser.id]);
      const group = await createGroup(scim, ids(0));
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${theirUser.id}"]` })).expect(200);
      await scim.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: "members", value: [{ value: theirUser.id }] })).expect(200);
      expect(await memberIdsOf(group.id)).toStrictEqual(ids(0));
      expect(await memberIdsOf(theirGroup.id, other)).toStrictEqual([theirUser.id]);
    });

    it("a read-only token answers 403 and changes nothing", async () => {
      const group = await createGroup(scim, ids(0));
      const reader = await app.client("acme", ["scim:read"]);
      expectScimError(await reader.patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: "members" })), 403);
      expect((await scim.get(`/Groups/${group.id}`).expect(200)).body).toStrictEqual(group);
    });
  });
});
