import { storeEvents } from "./schemas.ts";
import type { Attributes, StoredGroup } from "../../src/scim/ports.ts";
import { bytebaseUserSchema } from "../../src/compat/bytebase/extension.ts";
import { vyteUserSchema } from "../../src/compat/vyte/extension.ts";
import { enterpriseUserUrn } from "../../src/scim/schema/urns.ts";
import type { Database } from "../../src/store/database.ts";
import type { DatabaseKind } from "../../src/store/driver/sql.ts";
import { groupColumns, SqlGroupStore } from "../../src/store/groups.ts";
import { extensionValueRows, indexedAttributesOf } from "../../src/store/extension-values.ts";
import { userColumnValues, userValueRows } from "../../src/store/user-columns.ts";

// Synthetic users for tests and benchmarks, inserted in bulk. The rows are the ones the write
// path (users.ts) writes for the same attributes: columns and value rows come from
// user-columns.ts, the resource is kept in `doc`. The same seed gives the same users and ids.
// Each chunk of rows goes in as one JSON parameter that the database unpacks: Prisma's
// createMany, or an INSERT with a parameter per value, spends far longer binding than inserting.

export interface SeedOptions {
  // The pseudo-random sequence; the same seed gives the same users.
  readonly seed?: number;
  // Users are created over the three years before this instant.
  readonly now?: Date;
  // Numbers userNames from here, so that several calls can fill one tenant.
  readonly firstNumber?: number;
  // Called after each chunk with the number of users inserted so far.
  readonly onProgress?: (inserted: number) => void;
  // Gives every user the Bytebase extension (uid 100 + n, userType) and a Vyte object id.
  readonly withExtensions?: boolean;
}

// One synthetic user: its id, timestamps and attributes as the core would have them.
export interface SyntheticUser {
  readonly id: string;
  readonly created: Date;
  readonly lastModified: Date;
  readonly attributes: Attributes;
}

// Users per INSERT.
const chunkSize = 5000;

type Row = Record<string, string | number | boolean | Date | null>;

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

// A version 7 UUID (RFC 9562) drawn from the sequence, so that ids are repeatable. Its time field
// is number n's millisecond after a fixed instant: seeded ids come in the order they are inserted,
// as the server's own do (src/store/ids.ts), and a bulk load appends to the indexes led by id.
function uuidOf(random: () => number, n: number): string {
  const hex = Array.from({ length: 4 }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, "0")).join("");
  const time = (idEpochMs + n).toString(16).padStart(12, "0");
  const variant = "89ab"[parseInt(hex[16] as string, 16) % 4] as string;
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const idEpochMs = Date.UTC(2024, 0, 1);

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

function withExtensions(attributes: Attributes, random: () => number, n: number): Attributes {
  const objectId = Array.from({ length: 3 }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, "0")).join("");
  return {
    ...attributes,
    [bytebaseUserSchema.id]: { uid: 100 + n, userType: random() < 0.05 ? "SERVICE_ACCOUNT" : "USER" },
    [vyteUserSchema.id]: { objectId, linked: true },
  };
}

// The users seedUsers inserts, in order, for stores of other shapes (the benchmark's baseline).
export function* syntheticUsers(count: number, options: SeedOptions = {}): Generator<SyntheticUser> {
  const random = pseudoRandom(options.seed ?? 1);
  const now = (options.now ?? new Date()).getTime();
  const first = options.firstNumber ?? 1;
  for (let n = first; n < first + count; n++) {
    const id = uuidOf(random, n);
    const attributes = options.withExtensions ? withExtensions(userAttributes(random, n), random, n) : userAttributes(random, n);
    const created = new Date(now - Math.floor(random() * 3 * yearMillis));
    const lastModified = new Date(created.getTime() + Math.floor(random() * (now - created.getTime())));
    yield { id, created, lastModified, attributes };
  }
}

// Inserts `count` users into an existing tenant and returns their ids, in insertion order.
// Run analyze() once the data is in.
// The extensions the synthetic users carry values of, whose attributes are indexed.
const seededExtensions = indexedAttributesOf([bytebaseUserSchema, vyteUserSchema]);

export async function seedUsers(
  database: Pick<Database, "kind" | "sql">,
  tenantId: string,
  count: number,
  options: SeedOptions = {},
): Promise<string[]> {
  const ids: string[] = [];
  let users: Row[] = [];
  let values: Row[] = [];
  let extensionValues: Row[] = [];
  const flush = async () => {
    await insertRows(database, "User", users);
    await insertRows(database, "UserValue", values);
    await insertRows(database, "ExtensionValue", extensionValues);
    users = [];
    values = [];
    extensionValues = [];
    options.onProgress?.(ids.length);
  };
  for (const { id, attributes, created, lastModified } of syntheticUsers(count, options)) {
    users.push({ id, tenantId, version: 1, created, lastModified, ...userColumnValues(attributes), doc: JSON.stringify(attributes) });
    for (const row of userValueRows(tenantId, id, attributes)) values.push(row as unknown as Row);
    for (const row of extensionValueRows(tenantId, attributes, seededExtensions)) extensionValues.push({ ...row, userId: id } as unknown as Row);
    ids.push(id);
    if (users.length === chunkSize) await flush();
  }
  if (users.length > 0) await flush();
  return ids;
}

// Columns the INSERT fills from the JSON array of rows; the others keep their defaults. SQLite
// reads the array as JSONB, so that each column is not parsed out of the row's text again.
const insertFromJson: Record<DatabaseKind, (table: string, columns: readonly string[]) => string> = {
  sqlite: (table, columns) =>
    `INSERT INTO "${table}" (${quoted(columns)}) SELECT ${columns.map((column) => `value ->> '$.${column}'`).join(", ")} FROM jsonb_each(?)`,
  postgresql: (table, columns) =>
    `INSERT INTO "${table}" (${quoted(columns)}) SELECT ${quoted(columns)} FROM json_populate_recordset(NULL::"${table}", $1::json)`,
};

// DateTime as each database keeps it: the Prisma SQLite adapter's ISO 8601 text (its default
// timestampFormat), an ISO string PostgreSQL reads into timestamp(3).
const dateText: Record<DatabaseKind, (date: Date) => string> = {
  sqlite: (date) => date.toISOString().replace("Z", "+00:00"),
  postgresql: (date) => date.toISOString(),
};

async function insertRows(database: Pick<Database, "kind" | "sql">, table: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const toText = dateText[database.kind];
  const columns = new Set<string>();
  const stored = rows.map((row) => {
    const values: Record<string, string | number | boolean> = {};
    for (const column in row) {
      const value = row[column];
      if (value === null || value === undefined) continue;
      values[column] = value instanceof Date ? toText(value) : value;
      columns.add(column);
    }
    return values;
  });
  await database.sql.execute(insertFromJson[database.kind](table, [...columns]), [JSON.stringify(stored)]);
}

function quoted(columns: readonly string[]): string {
  return columns.map((column) => `"${column}"`).join(", ");
}

// A group with the given users as members, through the store's own write path.
export function seedGroup(
  database: Pick<Database, "sql">,
  tenantId: string,
  displayName: string,
  memberIds: readonly string[],
): Promise<StoredGroup> {
  return new SqlGroupStore(database.sql).create(tenantId, {
    attributes: { displayName },
    members: memberIds.map((value) => ({ value, type: "User" })),
    extensions: [],
  }, storeEvents());
}

// Inserts `count` groups without members ("Group 00001", ...), as the write path stores them.
export async function seedGroups(
  database: Pick<Database, "kind" | "sql">,
  tenantId: string,
  count: number,
  options: Pick<SeedOptions, "seed" | "now"> = {},
): Promise<string[]> {
  const random = pseudoRandom(options.seed ?? 1);
  const now = options.now ?? new Date();
  const ids: string[] = [];
  for (let start = 0; start < count; start += chunkSize) {
    const rows: Row[] = [];
    for (let n = start + 1; n <= Math.min(count, start + chunkSize); n++) {
      const id = uuidOf(random, n);
      const attributes = { displayName: `Group ${String(n).padStart(5, "0")}`, externalId: `group-${n}` };
      rows.push({ id, tenantId, version: 1, created: now, lastModified: now, ...groupColumns({ attributes }), doc: JSON.stringify(attributes) });
      ids.push(id);
    }
    await insertRows(database, "Group", rows);
  }
  return ids;
}

// Refreshes the planner's statistics of every table, as after any bulk load (the server's own
// refresh, src/store/driver/statistics.ts). PostgreSQL also vacuums, so that its visibility map
// lets counts be answered from indexes alone, as autovacuum would in time.
export async function analyze(database: Pick<Database, "refreshStatistics">): Promise<void> {
  await database.refreshStatistics("all");
}
