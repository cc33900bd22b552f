import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// docs/admin-api.md: tenants, tokens, users and groups, subscriptions and deliveries, as the
// console and an operator's scripts use them.

let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = (await app.server.adminCredentials.issue()).credential;
});
afterAll(() => app.close());

const as = () => ({ Authorization: `Bearer ${admin}` });
const get = (path: string) => app.http().get(`/admin/v1${path}`).set(as());
const post = (path: string, body: unknown) => app.http().post(`/admin/v1${path}`).set(as()).send(body as object);
const patch = (path: string, body: unknown) => app.http().patch(`/admin/v1${path}`).set(as()).send(body as object);
const del = (path: string) => app.http().delete(`/admin/v1${path}`).set(as());

function expectInvalid(response: { status: number; body: Record<string, unknown> }, scimType = "invalidValue"): void {
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType });
  expect(response.body.detail).toEqual(expect.any(String));
}

describe("tenants", () => {
  it("creates, lists, shows and changes a tenant", async () => {
    const created = await post("/tenants", { name: "initech" }).expect(201);
    expect(created.body).toMatchObject({ name: "initech", patchReturn: "representation", compatApis: [], options: {} });
    expect((await get("/tenants").expect(200)).body.data.map((tenant: { name: string }) => tenant.name)).toContain("initech");

    const shown = await get("/tenants/initech").expect(200);
    expect(shown.body).toMatchObject({ name: "initech", counts: { users: 0, groups: 0 } });
    expect(shown.body.scimBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);

    const changed = await patch("/tenants/initech", { patchReturn: "minimal", enableApis: ["qase"], options: { "qase.scim": "disabled" } }).expect(200);
    expect(changed.body).toMatchObject({ patchReturn: "minimal", compatApis: ["qase"], options: { "qase.scim": "disabled" } });
    const cleared = await patch("/tenants/initech", { options: { "qase.scim": null } }).expect(200);
    expect(cleared.body.options).toEqual({});
  });

  it("refuses a duplicate, a bad name and bad settings with a SCIM error, changing nothing", async () => {
    await post("/tenants", { name: "hooli" }).expect(201);
    const duplicate = await post("/tenants", { name: "hooli" }).expect(409);
    expect(duplicate.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    expectInvalid(await post("/tenants", { name: "no spaces" }));
    expectInvalid(await post("/tenants", {}));
    expectInvalid(await post("/tenants", { name: "x", extra: 1 }));
    expectInvalid(await patch("/tenants/hooli", { patchReturn: "everything" }));
    expectInvalid(await patch("/tenants/hooli", { enableApis: ["qase", "nope"] }));
    expectInvalid(await patch("/tenants/hooli", { patchReturn: "minimal", options: { "no.such.option": "1" } }));
    expect((await get("/tenants/hooli").expect(200)).body).toMatchObject({ patchReturn: "representation", compatApis: [] });
    const broken = await app.http().post("/admin/v1/tenants").set(as()).set("Content-Type", "application/json").send("{not json");
    expectInvalid(broken, "invalidSyntax");
    expect((await get("/tenants/nobody").expect(404)).body).toMatchObject({ status: "404" });
  });
});

describe("tokens", () => {
  it("issues a token shown once, lists it without its secret, and revokes it", async () => {
    await post("/tenants", { name: "tokens-co" }).expect(201);
    const issued = await post("/tenants/tokens-co/tokens", { scope: "write", ttl: "30d" }).expect(201);
    expect(issued.body).toMatchObject({ api: "scim", scope: "write", revokedAt: null });
    expect(Date.parse(issued.body.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const bearer = { Authorization: `Bearer ${issued.body.credential}` };
    await app.http().get("/scim/v2/Users").set(bearer).expect(200);

    const listed = await get("/tenants/tokens-co/tokens").expect(200);
    expect(listed.body.data).toEqual([{ id: issued.body.id, api: "scim", scope: "write", createdAt: issued.body.createdAt, expiresAt: issued.body.expiresAt, revokedAt: null }]);
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.credential);

    await del(`/tenants/tokens-co/tokens/${issued.body.id}`).expect(204);
    await app.http().get("/scim/v2/Users").set(bearer).expect(401);
    expect((await get("/tenants/tokens-co/tokens").expect(200)).body.data[0].revokedAt).toEqual(expect.any(String));
  });

  it("issues a read-only token and a compat API's credential", async () => {
    await post("/tenants", { name: "tokens-read" }).expect(201);
    const read = await post("/tenants/tokens-read/tokens", { scope: "read" }).expect(201);
    const bearer = { Authorization: `Bearer ${read.body.credential}`, "Content-Type": "application/scim+json" };
    await app.http().get("/scim/v2/Users").set(bearer).expect(200);
    await app.http().post("/scim/v2/Users").set(bearer).send(JSON.stringify({ userName: "x" })).expect(403);
    const qase = await post("/tenants/tokens-read/tokens", { api: "qase" }).expect(201);
    expect(qase.body.api).toBe("qase");
    expect((await get("/tenants/tokens-read").expect(200)).body.compatApis).toEqual(["qase"]);
  });

  it("refuses bad requests and another tenant's token", async () => {
    await post("/tenants", { name: "tokens-a" }).expect(201);
    await post("/tenants", { name: "tokens-b" }).expect(201);
    expectInvalid(await post("/tenants/tokens-a/tokens", { scope: "admin" }));
    expectInvalid(await post("/tenants/tokens-a/tokens", { api: "ldap" }));
    expectInvalid(await post("/tenants/tokens-a/tokens", { ttl: "forever" }));
    const other = await post("/tenants/tokens-b/tokens", {}).expect(201);
    await del(`/tenants/tokens-a/tokens/${other.body.id}`).expect(404);
    await app.http().get("/scim/v2/Users").set("Authorization", `Bearer ${other.body.credential}`).expect(200);
  });
});

describe("users and groups", () => {
  it("browses a tenant's users and groups through the core, with a SCIM filter and pages", async () => {
    const client = await app.client("browse-co");
    for (const name of ["amy", "andy", "bea"]) await client.post("/Users", { userName: name }).expect(201);
    await client.post("/Groups", { displayName: "Admins" }).expect(201);
    const all = await get("/tenants/browse-co/Users?count=2").expect(200);
    expect(all.body).toMatchObject({ totalResults: 3, itemsPerPage: 2, startIndex: 1 });
    const filtered = await get(`/tenants/browse-co/Users?filter=${encodeURIComponent('userName sw "an"')}`).expect(200);
    expect(filtered.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(["andy"]);
    expect(filtered.body.Resources[0].meta.location).toMatch(/\/scim\/v2\/Users\//);
    const groups = await get("/tenants/browse-co/Groups").expect(200);
    expect(groups.body.Resources.map((group: { displayName: string }) => group.displayName)).toEqual(["Admins"]);
    expect((await get("/tenants/browse-co").expect(200)).body.counts).toEqual({ users: 3, groups: 1 });
    expectInvalid(await get(`/tenants/browse-co/Users?filter=${encodeURIComponent("userName zz 1")}`), "invalidFilter");
    // Read-only: the admin API changes no user.
    await post("/tenants/browse-co/Users", { userName: "x" }).expect(405);
  });
});

describe("subscriptions and deliveries", () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it("adds a subscription, shows its deliveries, pauses, replays and removes it", async () => {
    const client = await app.client("subs-co");
    const created = await post("/tenants/subs-co/subscriptions", { url: receiver.url("/hook"), types: ["user.created"] }).expect(201);
    expect(created.body.secret).toEqual(expect.any(String));
    expect(created.body.subscription).toMatchObject({ format: "webhook", url: receiver.url("/hook"), types: ["user.created"], paused: false });
    const id = created.body.subscription.id;
    receiver.expect("/hook", created.body.secret);
    const listed = await get("/tenants/subs-co/subscriptions").expect(200);
    expect(listed.body.data.map((subscription: { id: string }) => subscription.id)).toEqual([id]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    await client.post("/Users", { userName: "sub-user" }).expect(201);
    await app.server.delivery.start();
    app.server.delivery.wake();
    let attempts: { outcome: string; status: number }[] = [];
    for (let tries = 0; tries < 100 && attempts.length === 0; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      attempts = (await get(`/tenants/subs-co/subscriptions/${id}/deliveries`).expect(200)).body.data;
    }
    expect(attempts).toEqual([expect.objectContaining({ outcome: "delivered", status: 200 })]);
    expect((await get(`/tenants/subs-co/subscriptions/${id}/deliveries?failed=true`).expect(200)).body.data).toEqual([]);

    expect((await patch(`/tenants/subs-co/subscriptions/${id}`, { paused: true }).expect(200)).body.paused).toBe(true);
    const replayed = await post(`/tenants/subs-co/subscriptions/${id}/replay`, { from: 1 }).expect(200);
    expect(replayed.body).toMatchObject({ subscription: id, kind: "from", from: 1 });
    await del(`/tenants/subs-co/subscriptions/${id}`).expect(204);
    expect((await get("/tenants/subs-co/subscriptions").expect(200)).body.data).toEqual([]);
  });

  it("refuses bad subscriptions, and another tenant's subscription is not found", async () => {
    await post("/tenants", { name: "subs-a" }).expect(201);
    await post("/tenants", { name: "subs-b" }).expect(201);
    expectInvalid(await post("/tenants/subs-a/subscriptions", {}));
    expectInvalid(await post("/tenants/subs-a/subscriptions", { url: "ftp://example.com/hook" }));
    expectInvalid(await post("/tenants/subs-a/subscriptions", { url: receiver.url("/hook"), types: ["user.exploded"] }));
    expectInvalid(await post("/tenants/subs-a/subscriptions", { url: receiver.url("/hook"), format: "poll" }));
    const other = await post("/tenants/subs-b/subscriptions", { url: receiver.url("/hook") }).expect(201);
    const id = other.body.subscription.id;
    await get(`/tenants/subs-a/subscriptions/${id}/deliveries`).expect(404);
    await patch(`/tenants/subs-a/subscriptions/${id}`, { paused: true }).expect(404);
    await del(`/tenants/subs-a/subscriptions/${id}`).expect(404);
    expect((await get("/tenants/subs-b/subscriptions").expect(200)).body.data[0]).toMatchObject({ id, paused: false });
  });
});
