import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/auth/passwords.ts";
import { enterpriseUserUrn, groupUrn, patchOpUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError, scimBody } from "../support/responses.ts";
import { baseUrl, describeResourceBehaviour, publicBaseUrl, resourceKinds, uniqueName } from "./resource.behaviour.ts";

describeResourceBehaviour(resourceKinds.User);

let app: TestApp;
let scim: ScimClient;
// A user other users name as their manager (RFC 7643 §4.3: a reference to a user of the tenant).
let boss: string;
beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
  scim = await app.client();
  boss = (await scim.post("/Users", { userName: "the-boss", displayName: "The Boss" }).expect(201)).body.id;
});
const bossRef = () => ({ value: boss, $ref: `${baseUrl}/Users/${boss}`, displayName: "The Boss" });
afterAll(() => app.close());

const meta = (id: string, version: number) => ({
  resourceType: "User",
  created: expect.any(String),
  lastModified: expect.any(String),
  location: `${baseUrl}/Users/${id}`,
  version: `W/"${version}"`,
});

// RFC 7643 §8.2, the full representation, with every §4.1 attribute and the §4.3 extension.
function fullUser(userName: string, managerId: string) {
  return {
    schemas: [userUrn, enterpriseUserUrn],
    externalId: "701984",
    userName,
    name: {
      formatted: "Ms. Barbara J Jensen, III",
      familyName: "Jensen",
      givenName: "Barbara",
      middleName: "Jane",
      honorificPrefix: "Ms.",
      honorificSuffix: "III",
    },
    displayName: "Babs Jensen",
    nickName: "Babs",
    profileUrl: "https://login.example.com/bjensen",
    emails: [
      { value: "bjensen@example.com", type: "work", primary: true, display: "Work" },
      { value: "babs@jensen.org", type: "home" },
    ],
    addresses: [
      {
        type: "work",
        streetAddress: "100 Universal City Plaza",
        locality: "Hollywood",
        region: "CA",
        postalCode: "91608",
        country: "USA",
        formatted: "100 Universal City Plaza\nHollywood, CA 91608 USA",
        primary: true,
      },
      { type: "home", streetAddress: "456 Hollywood Blvd", locality: "Hollywood", region: "CA", postalCode: "91608", country: "USA" },
    ],
    phoneNumbers: [
      { value: "555-555-5555", type: "work" },
      { value: "555-555-4444", type: "mobile", primary: true },
    ],
    ims: [{ value: "someaimhandle", type: "aim" }],
    photos: [
      { value: "https://photos.example.com/profilephoto/72930000000Ccne/F", type: "photo" },
      { value: "https://photos.example.com/profilephoto/72930000000Ccne/T", type: "thumbnail" },
    ],
    userType: "Employee",
    title: "Tour Guide",
    preferredLanguage: "en-US",
    locale: "en-US",
    timezone: "America/Los_Angeles",
    active: true,
    entitlements: [{ value: "premium", type: "tier", display: "Premium", primary: true }],
    roles: [{ value: "guide", type: "job", display: "Guide" }, { value: "driver" }],
    x509Certificates: [{ value: "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx", type: "signing" }],
    [enterpriseUserUrn]: {
      employeeNumber: "701984",
      costCenter: "4130",
      organization: "Universal Studios",
      division: "Theme Park",
      department: "Tour Operations",
      manager: { value: managerId, $ref: `../Users/${managerId}` },
    },
  };
}

// fullUser as the server answers it: the manager's $ref is the server's, with its current name.
function fullUserAnswered(userName: string, managerId: string, managerName: string) {
  const user = fullUser(userName, managerId);
  return {
    ...user,
    [enterpriseUserUrn]: { ...user[enterpriseUserUrn], manager: { value: managerId, $ref: `${baseUrl}/Users/${managerId}`, displayName: managerName } },
  };
}

describe("/Users: every RFC 7643 §4.1 and §4.3 attribute", () => {
  it("round-trips through POST, GET and list exactly, without the password or client-sent readOnly values", async () => {
    const managerName = uniqueName("manager");
    const manager = (await scim.post("/Users", { userName: managerName }).expect(201)).body.id as string;
    const user = fullUser(uniqueName("bjensen"), manager);
    const sent = {
      ...user,
      password: "t1meMa$heen",
      groups: [{ value: "e9e30dba-f08f-4109-8486-d5c6a331660a", display: "Tour Guides" }],
      [enterpriseUserUrn]: { ...user[enterpriseUserUrn], manager: { ...user[enterpriseUserUrn].manager, displayName: "John Smith" } },
    };
    const created = await scim.post("/Users", sent).expect(201);
    const id = created.body.id as string;
    const expected = { ...fullUserAnswered(user.userName, manager, managerName), id, meta: meta(id, 1) };
    expect(scimBody(created)).toStrictEqual(expected);
    expect((await scim.get(`/Users/${id}`).expect(200)).body).toStrictEqual(expected);
    const list = await scim.get("/Users?count=1000").expect(200);
    expect(list.body.Resources.find((resource: { id: string }) => resource.id === id)).toStrictEqual(expected);
  });

  it("PUT replaces everything: omitted attributes, the extension and its schema are cleared", async () => {
    const manager = (await scim.post("/Users", { userName: uniqueName("manager") }).expect(201)).body.id as string;
    const userName = uniqueName("cleared");
    const created = await scim.post("/Users", fullUser(userName, manager)).expect(201);
    const id = created.body.id as string;
    const replaced = await scim.put(`/Users/${id}`, { schemas: [userUrn], userName }).expect(200);
    expect(replaced.body).toStrictEqual({ schemas: [userUrn], id, userName, active: true, meta: meta(id, 2) });
    expect((await scim.get(`/Users/${id}`).expect(200)).body).toStrictEqual(replaced.body);
  });

  it("PUT can add the extension to a user created without it", async () => {
    const userName = uniqueName("extended");
    const id = (await scim.post("/Users", { userName }).expect(201)).body.id as string;
    const replaced = await scim.put(`/Users/${id}`, { userName, [enterpriseUserUrn]: { department: "Sales" } }).expect(200);
    expect(replaced.body).toStrictEqual({
      schemas: [userUrn, enterpriseUserUrn],
      id,
      userName,
      active: true,
      [enterpriseUserUrn]: { department: "Sales" },
      meta: meta(id, 2),
    });
  });

  it("a user with active: false stays retrievable and listed until DELETE (soft delete)", async () => {
    const created = await scim.post("/Users", { userName: uniqueName("inactive"), active: false }).expect(201);
    expect(created.body.active).toBe(false);
    const read = await scim.get(`/Users/${created.body.id}`).expect(200);
    expect(read.body.active).toBe(false);
    const list = await scim.get("/Users?count=1000").expect(200);
    expect(list.body.Resources.map((resource: { id: string }) => resource.id)).toContain(created.body.id);
  });
});

// RFC 7643 §4.1.1: password is writeOnly; the server keeps only a hash.
describe("/Users: password", () => {
  const storedHash = async (id: string) =>
    (await app.server.database.prisma.user.findFirstOrThrow({ where: { id }, select: { passwordHash: true, doc: true } }));

  it("is stored as a scrypt hash, never in the resource document", async () => {
    const created = await scim.post("/Users", { userName: uniqueName("hashed"), password: "t1meMa$heen" }).expect(201);
    const row = await storedHash(created.body.id);
    expect(row.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword("t1meMa$heen", row.passwordHash as string)).toBe(true);
    expect(await verifyPassword("t1meMa$heem", row.passwordHash as string)).toBe(false);
    expect(row.doc).not.toContain("t1meMa$heen");
    expect(row.doc).not.toContain("password");
  });

  it("a user created without one has none", async () => {
    const created = await scim.post("/Users", { userName: uniqueName("nopassword") }).expect(201);
    expect((await storedHash(created.body.id)).passwordHash).toBeNull();
  });

  it("PUT with a password replaces the hash; PUT without one keeps it (clients cannot read it back)", async () => {
    const userName = uniqueName("rotated");
    const id = (await scim.post("/Users", { userName, password: "first-Secret-1" }).expect(201)).body.id as string;
    const first = (await storedHash(id)).passwordHash as string;
    await scim.put(`/Users/${id}`, { userName, title: "Kept" }).expect(200);
    expect((await storedHash(id)).passwordHash).toBe(first);
    await scim.put(`/Users/${id}`, { userName, password: "second-Secret-2" }).expect(200);
    const second = (await storedHash(id)).passwordHash as string;
    expect(second).not.toBe(first);
    expect(await verifyPassword("second-Secret-2", second)).toBe(true);
  });
});

// docs/idp-requests.md §1.4, §1.7, §1.10, §1.14: lenient input, the same on POST and PUT.
describe.each(["POST", "PUT"] as const)("/Users: lenient input on %s", (method) => {
  const write = async (body: Record<string, unknown>) => {
    if (method === "POST") return scim.post("/Users", body).expect(201);
    const id = (await scim.post("/Users", { userName: uniqueName("before"), title: "Before" }).expect(201)).body.id as string;
    return scim.put(`/Users/${id}`, body).expect(200);
  };
  const enterpriseUpper = enterpriseUserUrn.toUpperCase();

  it.each([
    [
      "attribute names in any case come back canonical",
      (userName: string) => ({ UserName: userName, NAME: { GivenName: "Barbara", FAMILYNAME: "Jensen" }, DisplayName: "B", Emails: [{ VALUE: "b@example.com", Primary: true }] }),
      (userName: string) => ({ userName, name: { givenName: "Barbara", familyName: "Jensen" }, displayName: "B", emails: [{ value: "b@example.com", primary: true }], active: true }),
    ],
    [
      'booleans as strings ("True", "False", any case) become JSON booleans',
      (userName: string) => ({ userName, active: "False", emails: [{ value: "b@example.com", primary: "TRUE" }, { value: "c@example.com", primary: "false" }] }),
      (userName: string) => ({ userName, active: false, emails: [{ value: "b@example.com", primary: true }, { value: "c@example.com", primary: false }] }),
    ],
    [
      '"True" for active',
      (userName: string) => ({ userName, active: "True" }),
      (userName: string) => ({ userName, active: true }),
    ],
    [
      "nulls and empty arrays are unassigned",
      (userName: string) => ({ userName, displayName: null, name: null, emails: null, phoneNumbers: [], addresses: [null], title: "T", [enterpriseUserUrn]: null }),
      (userName: string) => ({ userName, title: "T", active: true }),
    ],
    [
      "a null sub-attribute is unassigned",
      (userName: string) => ({ userName, name: { givenName: "B", familyName: null } }),
      (userName: string) => ({ userName, name: { givenName: "B" }, active: true }),
    ],
    [
      "unknown attributes and sub-attributes are ignored",
      (userName: string) => ({ userName, nickname2: "x", name: { givenName: "B", nickname: "x" }, [`${enterpriseUserUrn}:foo`]: "x", "urn:example:unknown:attr": 1 }),
      (userName: string) => ({ userName, name: { givenName: "B" }, active: true }),
    ],
    [
      "unknown schema URNs in schemas are tolerated and schemas recomputed",
      (userName: string) => ({ schemas: [userUrn, "urn:ietf:params:scim:schemas:extension:ADSCIM:2.0:User", enterpriseUserUrn], userName }),
      (userName: string) => ({ userName, active: true }),
    ],
    [
      "schemas may be left out",
      (userName: string) => ({ userName }),
      (userName: string) => ({ userName, active: true }),
    ],
    [
      "client-sent groups are ignored (Okta's PUT sends groups: [])",
      (userName: string) => ({ userName, groups: [] }),
      (userName: string) => ({ userName, active: true }),
    ],
    [
      "client-sent groups with values are ignored too",
      (userName: string) => ({ userName, groups: [{ value: "6c5bb468-14b2-4183-baf2-06d523e03bd3", display: "Admins" }] }),
      (userName: string) => ({ userName, active: true }),
    ],
    [
      "emails[].display as Okta sends it is kept",
      (userName: string) => ({ userName, emails: [{ value: "b@example.com", display: "b@example.com", primary: true, type: "work" }] }),
      (userName: string) => ({ userName, emails: [{ value: "b@example.com", display: "b@example.com", primary: true, type: "work" }], active: true }),
    ],
    [
      "the extension under its URN key in another case, attribute names in any case",
      (userName: string) => ({ userName, [enterpriseUpper]: { Department: "Sales", EMPLOYEENUMBER: "42" } }),
      (userName: string) => ({ userName, [enterpriseUserUrn]: { department: "Sales", employeeNumber: "42" }, active: true }),
    ],
    [
      "extension attributes as URN-qualified keys",
      (userName: string) => ({ userName, [`${enterpriseUserUrn}:employeeNumber`]: "42", [`${enterpriseUserUrn}:manager`]: { value: boss } }),
      (userName: string) => ({ userName, [enterpriseUserUrn]: { employeeNumber: "42", manager: bossRef() }, active: true }),
    ],
    [
      "Entra's manager as a plain string id",
      (userName: string) => ({ userName, [enterpriseUserUrn]: { manager: boss } }),
      (userName: string) => ({ userName, [enterpriseUserUrn]: { manager: bossRef() }, active: true }),
    ],
    [
      'manager "" is no manager, and an empty extension is no extension',
      (userName: string) => ({ userName, [enterpriseUserUrn]: { manager: "" } }),
      (userName: string) => ({ userName, active: true }),
    ],
    [
      "the readOnly manager.displayName and $ref sent are replaced by the server's",
      (userName: string) => ({ userName, [enterpriseUserUrn]: { manager: { value: boss, displayName: "Boss", $ref: "https://elsewhere/Users/x" } } }),
      (userName: string) => ({ userName, [enterpriseUserUrn]: { manager: bossRef() }, active: true }),
    ],
  ])("%s", async (_name, body, expected) => {
    const userName = uniqueName("lenient");
    const response = await write(body(userName));
    const { schemas, id, meta: _meta, ...attributes } = scimBody(response);
    expect(attributes).toStrictEqual(expected(userName));
    expect(schemas).toStrictEqual(attributes[enterpriseUserUrn] === undefined ? [userUrn] : [userUrn, enterpriseUserUrn]);
    expect((await scim.get(`/Users/${id}`).expect(200)).body).toStrictEqual(response.body);
  });
});

// RFC 7643 §4.1.2: groups is computed from the groups' members, read-only.
describe("/Users: groups", () => {
  const groupRef = (id: string, display: string) => ({ value: id, $ref: `${baseUrl}/Groups/${id}`, display, type: "direct" });

  it("lists the groups a user is a direct member of, and follows renames, removals and deletions", async () => {
    const userName = uniqueName("member");
    const user = (await scim.post("/Users", { userName }).expect(201)).body.id as string;
    const [first, second] = [uniqueName("Alpha"), uniqueName("Beta")];
    const a = (await scim.post("/Groups", { schemas: [groupUrn], displayName: first, members: [{ value: user }] }).expect(201)).body.id as string;
    const b = (await scim.post("/Groups", { schemas: [groupUrn], displayName: second, members: [{ value: user }] }).expect(201)).body.id as string;
    const groupsOf = async () => (await scim.get(`/Users/${user}`).expect(200)).body.groups;
    const sorted = (refs: ReturnType<typeof groupRef>[]) => [...refs].sort((x, y) => (x.value < y.value ? -1 : 1));

    expect(await groupsOf()).toStrictEqual(sorted([groupRef(a, first), groupRef(b, second)]));
    const listed = await scim.get("/Users?count=1000").expect(200);
    expect(listed.body.Resources.find((resource: { id: string }) => resource.id === user).groups).toStrictEqual(await groupsOf());

    await scim.put(`/Groups/${a}`, { displayName: `${first} renamed`, members: [{ value: user }] }).expect(200);
    expect(await groupsOf()).toStrictEqual(sorted([groupRef(a, `${first} renamed`), groupRef(b, second)]));

    await scim.put(`/Groups/${b}`, { displayName: second }).expect(200);
    expect(await groupsOf()).toStrictEqual([groupRef(a, `${first} renamed`)]);

    await scim.delete(`/Groups/${a}`).expect(204);
    expect(await groupsOf()).toBeUndefined();
    expect((await scim.get(`/Users/${user}`).expect(200)).body).toStrictEqual({
      schemas: [userUrn],
      id: user,
      userName,
      active: true,
      meta: meta(user, 1),
    });
  });

  it("a user's PUT does not change its groups, and does not bump the groups' versions", async () => {
    const userName = uniqueName("steady");
    const user = (await scim.post("/Users", { userName }).expect(201)).body.id as string;
    const group = await scim.post("/Groups", { displayName: uniqueName("Steady"), members: [{ value: user }] }).expect(201);
    const replaced = await scim.put(`/Users/${user}`, { userName, groups: [] }).expect(200);
    expect(replaced.body.groups).toStrictEqual([groupRef(group.body.id, group.body.displayName)]);
    expect((await scim.get(`/Groups/${group.body.id}`).expect(200)).body).toStrictEqual(group.body);
  });
});

describe("/Users: locations without PUBLIC_BASE_URL", () => {
  it("come from the request's host", async () => {
    const local = await startTestApp();
    try {
      const client = await local.client();
      const created = await client.post("/Users", { userName: "located" }).expect(201);
      expect(created.headers.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/scim/v2/Users/${created.body.id}$`));
      expect(created.body.meta.location).toBe(created.headers.location);
    } finally {
      await local.close();
    }
  });
});

// RFC 7643 §4.3: manager.value names a user of the same tenant; its displayName and $ref are
// the server's, and show the manager as it is now.
describe("/Users: manager", () => {
  const withManager = (userName: string, manager: unknown) => ({ userName, [enterpriseUserUrn]: { manager } });

  it("refuses a manager that is not a user of the tenant, on POST, PUT and PATCH, and writes nothing", async () => {
    const other = await app.client("globex");
    const stranger = (await other.post("/Users", { userName: uniqueName("stranger") }).expect(201)).body.id as string;
    for (const value of [stranger, "no-such-user", ""]) {
      expectScimError(await scim.post("/Users", withManager(uniqueName("refused"), { value })), 400, "invalidValue");
    }
    const user = (await scim.post("/Users", { userName: uniqueName("kept") }).expect(201)).body;
    expectScimError(await scim.put(`/Users/${user.id}`, withManager(user.userName, { value: stranger })), 400, "invalidValue");
    const patch = { schemas: [patchOpUrn], Operations: [{ op: "add", path: `${enterpriseUserUrn}:manager`, value: { value: stranger } }] };
    expectScimError(await scim.patch(`/Users/${user.id}`, patch), 400, "invalidValue");
    expect((await scim.get(`/Users/${user.id}`).expect(200)).body).toStrictEqual(user);
  });

  it("shows the manager's current name, and loses a manager that is deleted", async () => {
    const managerName = uniqueName("mgr");
    const manager = (await scim.post("/Users", { userName: managerName }).expect(201)).body.id as string;
    const report = (await scim.post("/Users", withManager(uniqueName("report"), { value: manager })).expect(201)).body;
    expect(report[enterpriseUserUrn].manager).toStrictEqual({ value: manager, $ref: `${baseUrl}/Users/${manager}`, displayName: managerName });

    await scim.patch(`/Users/${manager}`, { schemas: [patchOpUrn], Operations: [{ op: "replace", path: "displayName", value: "Grace Hopper" }] }).expect(200);
    const renamed = (await scim.get(`/Users/${report.id}`).expect(200)).body;
    expect(renamed[enterpriseUserUrn].manager.displayName).toBe("Grace Hopper");
    const listed = await scim.get(`/Users?filter=${encodeURIComponent(`id eq "${report.id}"`)}`).expect(200);
    expect(listed.body.Resources[0][enterpriseUserUrn].manager.displayName).toBe("Grace Hopper");
    expect(renamed.meta.version).toBe(report.meta.version);

    await scim.delete(`/Users/${manager}`).expect(204);
    const orphan = (await scim.get(`/Users/${report.id}`).expect(200)).body;
    expect(orphan).not.toHaveProperty(enterpriseUserUrn);
    expect(orphan.meta.version).not.toBe(report.meta.version);
    const byManager = await scim.get(`/Users?filter=${encodeURIComponent(`${enterpriseUserUrn}:manager.value eq "${manager}"`)}`).expect(200);
    expect(byManager.body.totalResults).toBe(0);
  });
});

// src/scim/options.ts: a tenant whose IdP sends its own identifier of the manager.
describe("/Users: manager with scim.managerReferences=opaque", () => {
  it("keeps any string, shows a name only for a user of the tenant, and checks nothing else", async () => {
    const tenant = "opaque-managers";
    const client = await app.client(tenant);
    await app.server.tenants.setOption(tenant, "scim.managerReferences", "opaque");
    const created = (await client.post("/Users", { userName: uniqueName("okta"), [enterpriseUserUrn]: { manager: { value: "00u1abcd" } } }).expect(201)).body;
    expect(created[enterpriseUserUrn].manager).toStrictEqual({ value: "00u1abcd" });
    const stranger = (await scim.post("/Users", { userName: uniqueName("elsewhere") }).expect(201)).body.id as string;
    const other = (await client.post("/Users", { userName: uniqueName("okta"), [enterpriseUserUrn]: { manager: { value: stranger } } }).expect(201)).body;
    // Another tenant's user is never resolved: no name, no $ref.
    expect(other[enterpriseUserUrn].manager).toStrictEqual({ value: stranger });
  });
});
