import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchRequestUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";

// RFC 7644 §3.4.3: POST /.search per resource type and at the root.

let app: TestApp;
let scim: ScimClient;
beforeAll(async () => {
  app = await startTestApp();
  scim = await app.client();
  for (const name of ["ada", "alan", "grace", "linus"]) {
    await scim.post("/Users", { userName: name, displayName: `${name} display`, emails: [{ value: `${name}@example.com`, type: "work" }] }).expect(201);
  }
  await scim.post("/Groups", { displayName: "admins" }).expect(201);
  await scim.post("/Groups", { displayName: "analysts" }).expect(201);
});
afterAll(() => app.close());

const search = (path: string, body: Record<string, unknown>) => scim.post(path, { schemas: [searchRequestUrn], ...body });

describe("POST /Users/.search", () => {
  it("filters, sorts, pages and projects like GET", async () => {
    const response = await search("/Users/.search", {
      filter: 'userName sw "a"',
      sortBy: "userName",
      sortOrder: "descending",
      attributes: ["userName"],
      startIndex: 1,
      count: 1,
    }).expect(200);
    expect(response.body).toMatchObject({ totalResults: 2, startIndex: 1, itemsPerPage: 1 });
    expect(response.body.Resources).toEqual([{ schemas: expect.any(Array), id: expect.any(String), userName: "alan" }]);
  });

  it("accepts excludedAttributes", async () => {
    const response = await search("/Users/.search", { filter: 'userName eq "grace"', excludedAttributes: ["emails", "displayName"] }).expect(200);
    expect(response.body.Resources[0].emails).toBeUndefined();
    expect(response.body.Resources[0].displayName).toBeUndefined();
    expect(response.body.Resources[0].userName).toBe("grace");
  });

  it("needs only the read scope", async () => {
    const reader = await app.client("acme", ["scim:read"]);
    const response = await reader.post("/Users/.search", { schemas: [searchRequestUrn], filter: 'userName eq "ada"' }).expect(200);
    expect(response.body.totalResults).toBe(1);
  });

  it("rejects a bad filter with invalidFilter and a bad body with invalidValue", async () => {
    expectScimError(await search("/Users/.search", { filter: "nope eq 1" }), 400, "invalidFilter");
    expectScimError(await search("/Users/.search", { count: "ten" }), 400, "invalidValue");
  });
});

describe("POST /.search", () => {
  it("searches every resource type: Users, then Groups", async () => {
    const response = await search("/.search", { filter: 'displayName sw "a"', sortBy: "displayName", attributes: ["displayName"] }).expect(200);
    expect(response.body.totalResults).toBe(4);
    expect(response.body.Resources.map((resource: { displayName: string }) => resource.displayName)).toEqual([
      "ada display",
      "alan display",
      "admins",
      "analysts",
    ]);
  });

  it("pages across resource types", async () => {
    const response = await search("/.search", { filter: 'displayName sw "a"', sortBy: "displayName", startIndex: 2, count: 2 }).expect(200);
    expect(response.body).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
    expect(response.body.Resources.map((resource: { displayName: string }) => resource.displayName)).toEqual(["alan display", "admins"]);
  });

  it("matches nothing of a type that lacks a filtered attribute", async () => {
    const response = await search("/.search", { filter: 'userName eq "ada"' }).expect(200);
    expect(response.body.totalResults).toBe(1);
    expect(response.body.Resources[0].userName).toBe("ada");
  });

  // A comparison on an attribute one type lacks is false for that type; the rest still counts.
  const found = async (filter: string, extra: Record<string, unknown> = {}) => {
    const response = await search("/.search", { filter, sortBy: "displayName", ...extra }).expect(200);
    return {
      totalResults: response.body.totalResults,
      names: response.body.Resources.map((resource: { displayName: string; meta: { resourceType: string } }) => `${resource.meta.resourceType}:${resource.displayName}`),
    };
  };

  it.each([
    ['displayName sw "adm" or userName sw "li"', ["User:linus display", "Group:admins"]],
    ['userName sw "li" or displayName eq "analysts"', ["User:linus display", "Group:analysts"]],
    ['not (userName eq "ada") and displayName sw "a"', ["User:alan display", "Group:admins", "Group:analysts"]],
    ['emails[type eq "work"] and displayName sw "g"', ["User:grace display"]],
    ['members pr or userName eq "grace"', ["User:grace display"]],
  ])("%s", async (filter, names) => {
    expect(await found(filter)).toStrictEqual({ totalResults: names.length, names });
  });

  it.each([
    ['meta.resourceType eq "Group"', ["Group:admins", "Group:analysts"]],
    ['meta.resourceType eq "User" and displayName sw "a"', ["User:ada display", "User:alan display"]],
    ['meta.resourceType ne "User" and displayName ew "s"', ["Group:admins", "Group:analysts"]],
    ['meta.resourceType eq "group"', []],
    ['meta.resourceType pr and displayName eq "admins"', ["Group:admins"]],
  ])("meta.resourceType is filterable: %s", async (filter, names) => {
    expect(await found(filter)).toStrictEqual({ totalResults: names.length, names });
  });

  it("pages and counts across the types a mixed filter matches", async () => {
    const filter = 'displayName sw "a" or userName eq "grace"';
    expect(await found(filter)).toStrictEqual({
      totalResults: 5, names: ["User:ada display", "User:alan display", "User:grace display", "Group:admins", "Group:analysts"],
    });
    expect(await found(filter, { startIndex: 3, count: 2 })).toStrictEqual({ totalResults: 5, names: ["User:grace display", "Group:admins"] });
  });

  it("refuses a filter naming an attribute no resource type has", async () => {
    expectScimError(await search("/.search", { filter: 'nope eq "x" or userName eq "ada"' }), 400, "invalidFilter");
  });
});

describe("meta.resourceType on one resource type", () => {
  it("is decided by the type", async () => {
    const users = await scim.get(`/Users?filter=${encodeURIComponent('meta.resourceType eq "User"')}`).expect(200);
    expect(users.body.totalResults).toBe(4);
    const none = await scim.get(`/Users?filter=${encodeURIComponent('meta.resourceType eq "Group"')}`).expect(200);
    expect(none.body.totalResults).toBe(0);
    const groups = await scim.get(`/Groups?filter=${encodeURIComponent('meta.resourceType eq "Group" and displayName eq "admins"')}`).expect(200);
    expect(groups.body.totalResults).toBe(1);
  });
});
