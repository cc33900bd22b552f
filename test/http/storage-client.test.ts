import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { adminClient, newUser, type BytebaseClient } from "../compat/bytebase/client.ts";

// The server sends every statement as SQL through the driver layer (src/store/driver/).
// Prisma's client is created only when something asks for it, and the server never does: its
// query compiler, once loaded, would hold about 50 MB of compiled WebAssembly.

let app: TestApp;
let scim: ScimClient;
let bytebase: BytebaseClient;
let clientCreated: MockInstance;

beforeAll(async () => {
  app = await startTestApp();
  clientCreated = vi.spyOn(app.server.database, "prisma", "get");
  scim = await app.client();
  bytebase = await adminClient(app);
});
afterAll(() => app.close());

const patch = (operations: unknown[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations });

describe("a provisioning flow on the server", () => {
  it("never creates Prisma's client", async () => {
    const created = await scim
      .post("/Users", { schemas: [userUrn], userName: "flow@example.com", emails: [{ value: "flow@example.com", primary: true }], password: "Secret-1" })
      .expect(201);
    const id = created.body.id as string;
    await scim.put(`/Users/${id}`, { schemas: [userUrn], userName: "flow@example.com", title: "Engineer" }).expect(200);
    await scim.patch(`/Users/${id}`, patch([{ op: "replace", path: "active", value: false }])).expect(200);
    await scim.patch(`/Users/${id}`, patch([{ op: "add", path: "emails", value: [{ value: "second@example.com" }] }])).expect(200);
    await scim.get(`/Users?filter=${encodeURIComponent('emails.value eq "second@example.com"')}`).expect(200);
    const group = await scim.post("/Groups", { displayName: "Flow", members: [{ value: id }] }).expect(201);
    await scim.patch(`/Groups/${group.body.id}`, patch([{ op: "remove", path: `members[value eq "${id}"]` }])).expect(200);
    await bytebase.post("/v1/users", newUser()).expect(200);
    await scim.delete(`/Groups/${group.body.id}`).expect(204);
    await scim.delete(`/Users/${id}`).expect(204);
    await app.token("another-tenant");

    expect(clientCreated).not.toHaveBeenCalled();
  });
});
