import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matches } from "../../src/scim/filter/evaluate.ts";
import { parseFilter } from "../../src/scim/filter/parse.ts";
import { groupResourceType, userResourceType } from "../../src/scim/schema/resource-types.ts";
import { enterpriseUserUrn, groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { pseudoRandom } from "../support/seed.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { testDatabaseKind } from "../support/databases.ts";
import { schemaRegistry } from "../support/schemas.ts";

// Differential test of the filter compiler (RFC 7644 §3.4.2.2): random filters from a seeded
// generator go through GET /Users and /Groups, and through the reference evaluator over the
// resources as the server renders them; both must select the same ids. Strings stay within the
// Basic Multilingual Plane, where JavaScript's and the databases' orders agree.

type Resource = Record<string, any>;

// DIFFERENTIAL_SEED draws another data set and other filters.
const random = pseudoRandom(Number(process.env.DIFFERENTIAL_SEED ?? 7643));
const chance = (p: number) => random() < p;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const upTo = (n: number) => Math.floor(random() * (n + 1));

const words = [
  "Smith", "SMITH", "smith", "Smythe", "Jensen", "jensen", "Ørsted", "Über", "straße", "STRASSE", "Ålborg", "Zoë",
  "José", "Ελένη", "Дмитрий", "李", "50%", "under_score", "back\\slash", "O'Brien", "a.b", "x y", "İstanbul", "ǅemal",
];
const emailTypes = ["work", "home", "other", "Work", "HOME"];
const domains = ["example.com", "Example.ORG", "corp.example.net"];

function word(): string {
  return pick(words);
}

function maybe<T>(p: number, make: () => T): T | undefined {
  return chance(p) ? make() : undefined;
}

// Drops undefined members, so that bodies only carry what was drawn.
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

function userBody(n: number, earlier: readonly string[]): Resource {
  const enterprise = compact({
    employeeNumber: maybe(0.6, () => String(1000 + upTo(50))),
    costCenter: maybe(0.3, () => pick(["CC-1", "cc-1", "CC-2"])),
    organization: maybe(0.4, word),
    division: maybe(0.3, word),
    department: maybe(0.6, () => pick(["Engineering", "engineering", "Sales", "Über Sales", "R&D"])),
    manager: earlier.length > 0 && chance(0.3) ? { value: pick(earlier) } : undefined,
  });
  const emails = Array.from({ length: upTo(3) }, (_, i) =>
    compact({
      value: maybe(0.93, () => `${word().replace(/[^\p{L}\p{N}._%'-]/gu, "")}${n}.${i}@${pick(domains)}`),
      type: maybe(0.8, () => pick(emailTypes)),
      primary: i === 0 ? maybe(0.6, () => chance(0.8)) : maybe(0.2, () => false),
      display: maybe(0.15, word),
    }),
  ).filter((email) => Object.keys(email).length > 0);
  const name = compact({
    givenName: maybe(0.8, word),
    familyName: maybe(0.8, word),
    middleName: maybe(0.2, word),
    formatted: maybe(0.4, () => `${word()} ${word()}`),
  });
  return compact({
    schemas: Object.keys(enterprise).length > 0 ? [userUrn, enterpriseUserUrn] : [userUrn],
    userName: `${word()}.${n}`,
    externalId: maybe(0.7, () => `${pick(["Ext", "ext", "EXT"])}-${n % 40}`),
    name: Object.keys(name).length > 0 ? name : undefined,
    displayName: maybe(0.7, () => `${word()} ${word()}`),
    nickName: maybe(0.3, () => (chance(0.2) ? "" : word())),
    title: maybe(0.4, () => pick(["Engineer", "engineer", "Manager", "Tech Lead", "50% lead"])),
    userType: maybe(0.4, () => pick(["Employee", "Contractor", "employee"])),
    preferredLanguage: maybe(0.3, () => pick(["en-US", "de-DE", "fr"])),
    locale: maybe(0.3, () => pick(["en-US", "de-DE", "fr-FR"])),
    timezone: maybe(0.3, () => pick(["America/Los_Angeles", "Europe/Berlin"])),
    profileUrl: maybe(0.2, () => `https://profiles.example.com/${word()}`),
    active: maybe(0.8, () => chance(0.7)),
    emails: emails.length > 0 ? emails : undefined,
    phoneNumbers: maybe(0.4, () => [compact({ value: `+1 555 01${String(upTo(99)).padStart(2, "0")}`, type: maybe(0.7, () => pick(["work", "mobile"])) })]),
    addresses: maybe(0.3, () => [
      compact({
        type: maybe(0.7, () => pick(["work", "home"])),
        streetAddress: maybe(0.5, () => `${upTo(200)} ${word()} Street`),
        locality: maybe(0.7, () => pick(["Hollywood", "hollywood", "Berlin", "Zürich"])),
        region: maybe(0.5, () => pick(["CA", "ca", "BE"])),
        postalCode: maybe(0.5, () => pick(["91608", "10115"])),
        country: maybe(0.6, () => pick(["USA", "DE", "CH"])),
        formatted: maybe(0.3, () => `${word()}\n${word()}`),
        primary: maybe(0.4, () => true),
      }),
    ]),
    roles: maybe(0.3, () => [compact({ value: pick(["Admin", "admin", "Reader"]), primary: maybe(0.5, () => chance(0.5)) })]),
    entitlements: maybe(0.2, () => [{ value: pick(["Licence-A", "licence-a", "Licence-B"]) }]),
    ims: maybe(0.15, () => [{ value: `${word()}@im.example`, type: "xmpp" }]),
    photos: maybe(0.15, () => [{ value: `https://photos.example.com/${word()}.jpg`, type: "photo" }]),
    x509Certificates: maybe(0.15, () => [{ value: pick(["MIIDQzCCAqygAwIBAgICEAAw", "miidqzccaqygawibagicEAAw", "TUlJQg=="]) }]),
    ...(Object.keys(enterprise).length > 0 ? { [enterpriseUserUrn]: enterprise } : {}),
  });
}

// Filterable paths by the kind of value they compare.
type Kind = "string" | "caseExact" | "binary" | "boolean" | "dateTime" | "id";
const enterprise = `${enterpriseUserUrn}:`;
const userPaths: ReadonlyArray<readonly [string, Kind]> = [
  ["id", "id"], ["userName", "string"], ["externalId", "caseExact"], ["displayName", "string"], ["name.formatted", "string"],
  ["name.familyName", "string"], ["name.givenName", "string"], ["name.middleName", "string"], ["nickName", "string"],
  ["title", "string"], ["userType", "string"], ["preferredLanguage", "string"], ["locale", "string"], ["timezone", "string"],
  ["profileUrl", "string"], ["active", "boolean"], ["emails", "string"], ["emails.value", "string"], ["emails.type", "string"],
  ["emails.display", "string"], ["emails.primary", "boolean"], ["phoneNumbers.value", "string"], ["phoneNumbers.type", "string"],
  ["addresses.locality", "string"], ["addresses.region", "string"], ["addresses.country", "string"],
  ["addresses.postalCode", "string"], ["addresses.formatted", "string"], ["addresses.streetAddress", "string"],
  ["addresses.type", "string"], ["addresses.primary", "boolean"], ["roles.value", "string"], ["roles.primary", "boolean"],
  ["entitlements.value", "string"], ["ims.value", "string"], ["photos.value", "string"], ["x509Certificates.value", "binary"],
  [`${enterprise}employeeNumber`, "string"], [`${enterprise}costCenter`, "string"], [`${enterprise}organization`, "string"],
  [`${enterprise}division`, "string"], [`${enterprise}department`, "string"], [`${enterprise}manager.value`, "id"],
  ["meta.created", "dateTime"], ["meta.lastModified", "dateTime"], ["groups.value", "id"], ["groups", "id"],
];
const groupPaths: ReadonlyArray<readonly [string, Kind]> = [
  ["id", "id"], ["displayName", "string"], ["externalId", "caseExact"], ["members.value", "id"], ["members", "id"],
  ["members.type", "string"], ["meta.created", "dateTime"], ["meta.lastModified", "dateTime"],
];
const valuePaths: Record<"User" | "Group", ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, Kind]>]>> = {
  User: [
    ["emails", [["value", "string"], ["type", "string"], ["primary", "boolean"], ["display", "string"]]],
    ["addresses", [["locality", "string"], ["country", "string"], ["type", "string"], ["primary", "boolean"], ["formatted", "string"]]],
    ["phoneNumbers", [["value", "string"], ["type", "string"]]],
    ["roles", [["value", "string"], ["primary", "boolean"]]],
    ["x509Certificates", [["value", "binary"]]],
    ["groups", [["value", "id"]]],
  ],
  Group: [["members", [["value", "id"], ["type", "string"]]]],
};

const operatorsOf: Record<Kind, readonly string[]> = {
  string: ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"],
  caseExact: ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"],
  id: ["eq", "ne", "co", "sw", "ew", "gt", "lt"],
  binary: ["eq", "ne"],
  boolean: ["eq", "ne"],
  dateTime: ["eq", "ne", "gt", "ge", "lt", "le"],
};

// Every value found at a path in the rendered resources (a bare multi-valued attribute: its values).
function valuesAt(resources: readonly Resource[], path: string): unknown[] {
  const urn = path.startsWith(enterprise) ? enterpriseUserUrn : undefined;
  const steps = (urn ? path.slice(enterprise.length) : path).split(".");
  if (steps.length === 1 && ["emails", "groups", "members"].includes(steps[0] as string)) steps.push("value");
  const found: unknown[] = [];
  const walk = (node: unknown, rest: readonly string[]): void => {
    if (Array.isArray(node)) return node.forEach((element) => walk(element, rest));
    if (rest.length === 0) {
      if (node !== undefined && node !== null && typeof node !== "object") found.push(node);
      return;
    }
    if (node !== null && typeof node === "object") walk((node as Record<string, unknown>)[rest[0] as string], rest.slice(1));
  };
  for (const resource of resources) walk(urn ? resource[urn] : resource, steps);
  return found;
}

function recase(text: string): string {
  return pick([text, text.toUpperCase(), text.toLowerCase()]);
}

function literal(kind: Kind, op: string, pool: readonly unknown[]): string {
  if (kind === "boolean") return String(chance(0.5));
  if (kind === "dateTime") {
    const seen = pool.length > 0 && chance(0.85) ? new Date(String(pick(pool))) : new Date(Date.now() - upTo(3_600_000));
    const shifted = new Date(seen.getTime() + pick([0, 0, 0, -1, 1, -1000, 1000]));
    const text = chance(0.2) ? shifted.toISOString().replace(/\.\d{3}Z$/, "Z") : shifted.toISOString();
    return JSON.stringify(text);
  }
  const strings = pool.filter((value): value is string => typeof value === "string");
  if (strings.length === 0 || chance(0.12)) return JSON.stringify(chance(0.2) ? "" : word());
  const seen = pick(strings);
  const start = upTo(seen.length);
  const text =
    op === "sw" ? seen.slice(0, Math.max(1, upTo(seen.length)))
    : op === "ew" ? seen.slice(start)
    : op === "co" ? seen.slice(start, start + 1 + upTo(seen.length - start))
    : seen;
  return JSON.stringify(kind === "string" || chance(0.15) ? recase(text) : text);
}

function comparison(path: string, kind: Kind, pool: readonly unknown[]): string {
  // UserValue.primary is stored false when a value has no "primary", where the evaluator sees
  // no value: only the comparisons that cannot tell the two apart are drawn.
  if (path.endsWith("primary")) return `${path} ${pick(["eq true", "ne false"])}`;
  const roll = random();
  if (roll < 0.1) return `${path} pr`;
  if (roll < 0.16) return `${path} ${pick(["eq", "ne"])} null`;
  const op = pick(operatorsOf[kind]);
  return `${path} ${chance(0.1) ? op.toUpperCase() : op} ${literal(kind, op, pool)}`;
}

function filterOf(resourceType: "User" | "Group", resources: readonly Resource[], depth = 0): string {
  const paths = resourceType === "User" ? userPaths : groupPaths;
  const roll = random();
  if (depth >= 3 || roll < 0.45) {
    const [path, kind] = pick(paths);
    return comparison(path, kind, valuesAt(resources, path));
  }
  if (roll < 0.62) return `(${filterOf(resourceType, resources, depth + 1)}) and (${filterOf(resourceType, resources, depth + 1)})`;
  if (roll < 0.79) return `(${filterOf(resourceType, resources, depth + 1)}) or (${filterOf(resourceType, resources, depth + 1)})`;
  if (roll < 0.88) return `not (${filterOf(resourceType, resources, depth + 1)})`;
  const [attribute, subs] = pick(valuePaths[resourceType]);
  const inner = () => {
    const [sub, kind] = pick(subs);
    return comparison(sub, kind, valuesAt(resources, `${attribute}.${sub}`));
  };
  const body = chance(0.5) ? inner() : `${inner()} ${pick(["and", "or"])} ${chance(0.3) ? `not (${inner()})` : inner()}`;
  return `${attribute}[${body}]`;
}

let app: TestApp;
let scim: ScimClient;
let users: Resource[] = [];
let groups: Resource[] = [];

beforeAll(async () => {
  app = await startTestApp();
  scim = await app.client();
  const ids: string[] = [];
  for (let n = 0; n < 300; n++) {
    const response = await scim.post("/Users", userBody(n, ids));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids.push(response.body.id);
  }
  const groupIds: string[] = [];
  for (let n = 0; n < 12; n++) {
    const members = [...new Set(Array.from({ length: upTo(40) }, () => pick(ids)))].map((value) => ({ value }));
    if (groupIds.length > 0 && chance(0.3)) members.push({ value: pick(groupIds) });
    const body = { schemas: [groupUrn], displayName: `${word()} Team ${n}`, ...(chance(0.6) ? { externalId: `G-${n % 5}` } : {}), members };
    const response = await scim.post("/Groups", body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    groupIds.push(response.body.id);
  }
  users = await Promise.all(ids.map(async (id) => (await scim.get(`/Users/${id}`).expect(200)).body));
  groups = await Promise.all(groupIds.map(async (id) => (await scim.get(`/Groups/${id}`).expect(200)).body));
}, 300_000);

afterAll(() => app?.close());

interface Mismatch {
  readonly filter: string;
  readonly detail: string;
}

async function compare(resourceType: "User" | "Group", resources: readonly Resource[], filter: string): Promise<Mismatch | undefined> {
  let expected: string[];
  try {
    const ast = parseFilter(filter, resourceType === "User" ? userResourceType : groupResourceType, schemaRegistry);
    expected = resources.filter((resource) => matches(ast, resource)).map((resource) => resource.id).sort();
  } catch (error) {
    return { filter, detail: `the generator wrote a filter the parser rejects: ${(error as Error).message}` };
  }
  const response = await scim.get(`/${resourceType}s?filter=${encodeURIComponent(filter)}&count=1000&attributes=id`);
  if (response.status !== 200) return { filter, detail: `HTTP ${response.status}: ${JSON.stringify(response.body)}` };
  const actual = (response.body.Resources as Resource[]).map((resource) => resource.id as string).sort();
  if (response.body.totalResults !== actual.length) return { filter, detail: `totalResults ${response.body.totalResults}, ${actual.length} resources` };
  const missing = expected.filter((id) => !actual.includes(id));
  const extra = actual.filter((id) => !expected.includes(id));
  if (missing.length === 0 && extra.length === 0) return undefined;
  const example = resources.find((resource) => resource.id === (missing[0] ?? extra[0]));
  return {
    filter,
    detail: `${missing.length} missing, ${extra.length} extra; ${missing.length > 0 ? "missing" : "extra"} e.g. ${JSON.stringify(example).slice(0, 700)}`,
  };
}

async function run(resourceType: "User" | "Group", resources: readonly Resource[], count: number): Promise<{ mismatches: Mismatch[]; selective: number }> {
  const mismatches: Mismatch[] = [];
  let selective = 0;
  for (let i = 0; i < count; i++) {
    const filter = filterOf(resourceType, resources);
    const mismatch = await compare(resourceType, resources, filter);
    if (mismatch) mismatches.push(mismatch);
    const ast = parseFilter(filter, resourceType === "User" ? userResourceType : groupResourceType, schemaRegistry);
    const matched = resources.filter((resource) => matches(ast, resource)).length;
    if (matched > 0 && matched < resources.length) selective++;
  }
  return { mismatches, selective };
}

function report(mismatches: readonly Mismatch[]): string {
  return `${mismatches.length} filters disagree:\n${mismatches.slice(0, 12).map((mismatch) => `filter=${mismatch.filter}\n  ${mismatch.detail}`).join("\n")}`;
}

describe(`random filters agree with the reference evaluator (${testDatabaseKind})`, () => {
  it("on 300 users", async () => {
    const { mismatches, selective } = await run("User", users, 400);
    expect(mismatches.length, report(mismatches)).toBe(0);
    // Most filters select some users but not all, so that the comparison says something.
    expect(selective).toBeGreaterThan(150);
  }, 300_000);

  it("on 12 groups", async () => {
    const { mismatches, selective } = await run("Group", groups, 120);
    expect(mismatches.length, report(mismatches)).toBe(0);
    expect(selective).toBeGreaterThan(30);
  }, 300_000);
});
