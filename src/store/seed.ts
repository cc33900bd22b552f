import type { Attributes, StoredGroup } from "../scim/ports.ts";
import { enterpriseUserUrn } from "../scim/schema/urns.ts";
import type { Db } from "./database.ts";
import { PrismaGroupStore } from "./groups.ts";
import { userColumnValues, userValueRows } from "./user-columns.ts";

// Synthetic users for tests and benchmarks, inserted in bulk. The rows are the ones the write
// path (users.ts) writes for the same attributes: columns and value rows come from
// user-columns.ts, the resource is kept in `doc`. The same seed gives the same users and ids.

export interface SeedOptions {
  // The pseudo-random sequence; the same seed gives the same users.
  readonly seed?: number;
  // Users are created over the three years before this instant.
  readonly now?: Date;
  // Numbers userNames from here, so that several calls can fill one tenant.
  readonly firstNumber?: number;
}

// Rows per INSERT: far below the bind-parameter limits of SQLite (32766) and PostgreSQL (65535).
const userChunk = 500;
const valueChunk = 1000;

const givenNames = [
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William",
  "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Amélie", "Jürgen",
  "Søren", "Zoë", "Björn", "Anaïs", "José", "Łukasz",
];
// About one family name in four starts with "Sm", so that `sw "sm"` selects a large range.
const familyNames = [
  "Smith", "Smyth", "Smart", "Small", "Smalley", "Smedley", "Smiley", "Smithers", "Smoot", "Smollett", "Johnson",
  "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
  "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
  "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Müller", "Østergaard", "O'Brien", "van der Berg",
];
const departments = ["Engineering", "Sales", "Marketing", "Finance", "Support", "Legal", "Operations", "Research"];
const domains = ["example.com", "example.org", "corp.example.net"];

const yearMillis = 365 * 24 * 3600 * 1000;

// mulberry32: a small, fast generator whose sequence is fixed by its seed.
export function pseudoRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

// A version 4 UUID drawn from the sequence, so that ids are repeatable.
function uuidOf(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = "89ab"[Math.floor(random() * 4)] as string;
  const text = hex.join("");
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

// The attributes of user number n, as the core would have them after reading a POST body.
function userAttributes(random: () => number, n: number): Attributes {
  const givenName = pick(random, givenNames);
  const familyName = random() < 0.03 ? undefined : pick(random, familyNames);
  const domain = pick(random, domains);
  const local = `${givenName}.${familyName ?? "x"}${n}`.replace(/[^A-Za-z0-9.]/g, "");
  const userName = `${local}@${domain}`;
  const emails = [{ value: userName.toLowerCase(), type: "work", primary: true }];
  if (random() < 0.3) emails.push({ value: `${local.toLowerCase()}@home.example`, type: "home", primary: false });
  const enterprise = {
    employeeNumber: String(100000 + n),
    ...(random() < 0.8 ? { department: pick(random, departments) } : {}),
  };
  return {
    userName,
    name: {
      formatted: familyName ? `${givenName} ${familyName}` : givenName,
      givenName,
      ...(familyName ? { familyName } : {}),
    },
    displayName: familyName ? `${givenName} ${familyName}` : givenName,
    active: random() >= 0.1,
    emails,
    ...(random() < 0.5 ? { phoneNumbers: [{ value: `+1 555 ${String(n).padStart(7, "0")}`, type: "work" }] } : {}),
    ...(random() < 0.95 ? { externalId: `ext-${n.toString(36)}-${Math.floor(random() * 1e6)}` } : {}),
    [enterpriseUserUrn]: enterprise,
  };
}

// Inserts `count` users into an existing tenant and returns their ids, in insertion order.
export async function seedUsers(prisma: Db, tenantId: string, count: number, options: SeedOptions = {}): Promise<string[]> {
  const random = pseudoRandom(options.seed ?? 1);
  const now = (options.now ?? new Date()).getTime();
  const first = options.firstNumber ?? 1;
  const ids: string[] = [];
  for (let start = 0; start < count; start += userChunk) {
    const users = [];
    const values = [];
    for (let n = first + start; n < first + Math.min(count, start + userChunk); n++) {
      const id = uuidOf(random);
      const attributes = userAttributes(random, n);
      const created = new Date(now - Math.floor(random() * 3 * yearMillis));
      const lastModified = new Date(created.getTime() + Math.floor(random() * (now - created.getTime())));
      users.push({ id, tenantId, created, lastModified, ...userColumnValues(attributes), doc: JSON.stringify(attributes) });
      values.push(...userValueRows(tenantId, id, attributes));
      ids.push(id);
    }
    await prisma.user.createMany({ data: users });
    for (let i = 0; i < values.length; i += valueChunk) await prisma.userValue.createMany({ data: values.slice(i, i + valueChunk) });
  }
  return ids;
}

// A group with the given users as members, through the store's own write path.
export function seedGroup(prisma: Db, tenantId: string, displayName: string, memberIds: readonly string[]): Promise<StoredGroup> {
  return new PrismaGroupStore(prisma).create(tenantId, {
    attributes: { displayName },
    members: memberIds.map((value) => ({ value, type: "User" })),
  });
}

// Refreshes the planner's statistics, as after any bulk load.
export async function analyze(prisma: Db): Promise<void> {
  await prisma.$executeRawUnsafe("ANALYZE");
}
