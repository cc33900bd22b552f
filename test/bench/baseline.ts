import { randomUUID, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import express, { type Request, type Response } from "express";
import type { SyntheticUser } from "../support/seed.ts";

// The bare-metal baseline: Express 5 over prepared better-sqlite3 statements (or pg's on
// PostgreSQL, baseline-pg.ts), nothing else. It
// answers workloads (a)-(e) with the JSON our server sends (a ListResponse of full User
// resources with their groups, 201 with the resource, PATCH 200 with the resource), and skips
// everything else a SCIM server does: no token verification beyond comparing one string, no
// schema validation, no filter grammar (two regular expressions), no request log, no ORM. Like
// ours it keeps a tenant column and scopes every query by it: one tenant, whose id is fixed.
//
// Run as a child process (bundled by the runner, as `npm start` bundles ours) with BASELINE_DB (a
// SQLite file, or a postgresql:// URL) and BASELINE_TOKEN set; it sends `{ port }` to its parent
// once it listens on 127.0.0.1.

const coreUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
const enterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const listUrn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const errorUrn = "urn:ietf:params:scim:api:messages:2.0:Error";
const contentType = "application/scim+json; charset=utf-8";
const maxCodePoint = String.fromCodePoint(0x10ffff);
export const baselineTenantId = "00000000-0000-4000-8000-000000000001";
const tenantId = baselineTenantId;

const tables = `
  CREATE TABLE users (
    id TEXT PRIMARY KEY, tenantId TEXT NOT NULL, userName TEXT NOT NULL, familyName TEXT, active INTEGER NOT NULL,
    version INTEGER NOT NULL, created TEXT NOT NULL, lastModified TEXT NOT NULL, doc TEXT NOT NULL
  );
  CREATE TABLE groups (id TEXT PRIMARY KEY, tenantId TEXT NOT NULL, displayName TEXT NOT NULL, UNIQUE (tenantId, displayName));
  CREATE TABLE members (groupId TEXT NOT NULL, userId TEXT NOT NULL, PRIMARY KEY (groupId, userId));
  CREATE INDEX members_userId ON members (userId, groupId);
`;
// Built once the users are in, each by one sort (as ours are, fixture.ts).
const userIndexes = `
  CREATE UNIQUE INDEX users_userName ON users (tenantId, userName);
  CREATE INDEX users_id ON users (tenantId, id);
  CREATE INDEX users_familyName ON users (tenantId, familyName, id);
`;

export function fold(value: string): string {
  return value.normalize("NFC").toLowerCase();
}

function open(path: string): Database.Database {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  return db;
}

export interface BaselineGroup {
  readonly displayName: string;
  readonly memberIds: readonly string[];
}

// Creates the baseline's database with the same users (ids, attributes, timestamps), then the
// groups, which are asked for once the users are in.
export function seedBaseline(
  path: string,
  users: Iterable<SyntheticUser>,
  groups: () => readonly BaselineGroup[],
  onProgress?: (inserted: number) => void,
): void {
  const db = open(path);
  db.pragma("cache_size = -1000000");
  db.exec(tables);
  const insertUser = db.prepare(
    "INSERT INTO users (id, tenantId, userName, familyName, active, version, created, lastModified, doc) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
  );
  const insertGroup = db.prepare("INSERT INTO groups (id, tenantId, displayName) VALUES (?, ?, ?)");
  const insertMember = db.prepare("INSERT INTO members (groupId, userId) VALUES (?, ?)");
  let inserted = 0;
  const batch: SyntheticUser[] = [];
  const flush = db.transaction((rows: SyntheticUser[]) => {
    for (const { id, created, lastModified, attributes } of rows) {
      const name = attributes.name as { familyName?: string } | undefined;
      insertUser.run(
        id,
        tenantId,
        fold(String(attributes.userName)),
        name?.familyName === undefined ? null : fold(name.familyName),
        attributes.active === false ? 0 : 1,
        created.toISOString(),
        lastModified.toISOString(),
        JSON.stringify(attributes),
      );
    }
  });
  for (const user of users) {
    batch.push(user);
    if (batch.length === 5000) {
      flush(batch);
      inserted += batch.splice(0).length;
      onProgress?.(inserted);
    }
  }
  flush(batch);
  onProgress?.(inserted + batch.length);
  db.exec(userIndexes);
  db.transaction(() => {
    for (const group of groups()) {
      const id = randomUUID();
      insertGroup.run(id, tenantId, group.displayName);
      for (const userId of group.memberIds) insertMember.run(id, userId);
    }
  })();
  db.exec("ANALYZE");
  db.close();
}

export interface UserRow {
  id: string;
  version: number;
  // ISO text on SQLite, a Date from PostgreSQL.
  created: string | Date;
  lastModified: string | Date;
  doc: string;
}

type Answer<T> = T | Promise<T>;

// The statements the baseline runs, prepared: better-sqlite3's answer at once, pg's (baseline-pg.ts)
// as a promise. Every one is scoped to the one tenant.
export interface BaselineStore {
  byUserName(userName: string, count: number, skip: number): Answer<UserRow[]>;
  countByUserName(userName: string): Answer<number>;
  byFamilyPrefix(low: string, high: string, count: number, skip: number): Answer<UserRow[]>;
  countByFamilyPrefix(low: string, high: string): Answer<number>;
  all(count: number, skip: number): Answer<UserRow[]>;
  countAll(): Answer<number>;
  // The 100 users after `id`, in id order.
  after(id: string): Answer<UserRow[]>;
  byId(id: string): Answer<UserRow | undefined>;
  groupsOf(userIds: readonly string[]): Answer<Array<{ userId: string; id: string; displayName: string }>>;
  // Undefined when the userName is taken.
  insert(user: { id: string; userName: string; familyName: string | null; active: boolean; now: string; doc: string }): Answer<UserRow | undefined>;
  update(id: string, active: boolean, doc: string, now: string): Answer<UserRow>;
}

function sqliteStore(path: string): BaselineStore {
  const db = open(path);
  const columns = "id, version, created, lastModified, doc";
  const statements = {
    byUserName: db.prepare(`SELECT ${columns} FROM users WHERE tenantId = ? AND userName = ? ORDER BY id LIMIT ? OFFSET ?`),
    countByUserName: db.prepare("SELECT COUNT(*) AS n FROM users WHERE tenantId = ? AND userName = ?"),
    byFamilyPrefix: db.prepare(
      `SELECT ${columns} FROM users WHERE tenantId = ? AND familyName >= ? AND familyName < ? ORDER BY id LIMIT ? OFFSET ?`,
    ),
    countByFamilyPrefix: db.prepare("SELECT COUNT(*) AS n FROM users WHERE tenantId = ? AND familyName >= ? AND familyName < ?"),
    all: db.prepare(`SELECT ${columns} FROM users WHERE tenantId = ? ORDER BY id LIMIT ? OFFSET ?`),
    countAll: db.prepare("SELECT COUNT(*) AS n FROM users WHERE tenantId = ?"),
    after: db.prepare(`SELECT ${columns} FROM users WHERE tenantId = ? AND id > ? ORDER BY id LIMIT 100`),
    byId: db.prepare(`SELECT ${columns} FROM users WHERE tenantId = ? AND id = ?`),
    groupsOf: db.prepare(
      "SELECT m.userId, g.id, g.displayName FROM members m JOIN groups g ON g.id = m.groupId WHERE g.tenantId = ? AND m.userId IN (SELECT value FROM json_each(?)) ORDER BY g.id",
    ),
    insert: db.prepare(
      `INSERT INTO users (id, tenantId, userName, familyName, active, version, created, lastModified, doc) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING ${columns}`,
    ),
    update: db.prepare(
      `UPDATE users SET active = ?, doc = ?, version = version + 1, lastModified = ? WHERE tenantId = ? AND id = ? RETURNING ${columns}`,
    ),
  };
  const count = (row: unknown) => (row as { n: number }).n;
  return {
    byUserName: (userName, n, skip) => statements.byUserName.all(tenantId, userName, n, skip) as UserRow[],
    countByUserName: (userName) => count(statements.countByUserName.get(tenantId, userName)),
    byFamilyPrefix: (low, high, n, skip) => statements.byFamilyPrefix.all(tenantId, low, high, n, skip) as UserRow[],
    countByFamilyPrefix: (low, high) => count(statements.countByFamilyPrefix.get(tenantId, low, high)),
    all: (n, skip) => statements.all.all(tenantId, n, skip) as UserRow[],
    countAll: () => count(statements.countAll.get(tenantId)),
    after: (id) => statements.after.all(tenantId, id) as UserRow[],
    byId: (id) => statements.byId.get(tenantId, id) as UserRow | undefined,
    groupsOf: (userIds) => statements.groupsOf.all(tenantId, JSON.stringify(userIds)) as Array<{ userId: string; id: string; displayName: string }>,
    insert: (user) => {
      try {
        return statements.insert.get(user.id, tenantId, user.userName, user.familyName, user.active ? 1 : 0, user.now, user.now, user.doc) as UserRow;
      } catch (error) {
        if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return undefined;
        throw error;
      }
    },
    update: (id, active, doc, now) => statements.update.get(active ? 1 : 0, doc, now, tenantId, id) as UserRow,
  };
}

// The baseline on the store's database: SQLite, or PostgreSQL for --db postgres.
export async function baselineApp(database: string, token: string): Promise<express.Express> {
  const store = /^postgres(ql)?:/.test(database) ? (await import("./baseline-pg.ts")).postgresStore(database) : sqliteStore(database);
  return appOver(store, token);
}

function appOver(store: BaselineStore, token: string): express.Express {
  const expected = Buffer.from(`Bearer ${token}`);

  const groupsOf = async (ids: readonly string[]) => {
    const byUser = new Map<string, { value: string; display: string; type: string }[]>();
    for (const row of await store.groupsOf(ids)) {
      const list = byUser.get(row.userId) ?? [];
      list.push({ value: row.id, display: row.displayName, type: "direct" });
      byUser.set(row.userId, list);
    }
    return byUser;
  };
  const render = (req: Request, row: UserRow, groups: { value: string; display: string; type: string }[] | undefined) => {
    const base = `${req.protocol}://${req.get("host")}/scim/v2`;
    const attributes = JSON.parse(row.doc) as Record<string, unknown>;
    return {
      schemas: attributes[enterpriseUrn] === undefined ? [coreUrn] : [coreUrn, enterpriseUrn],
      id: row.id,
      ...attributes,
      ...(groups?.length ? { groups: groups.map((group) => ({ ...group, $ref: `${base}/Groups/${group.value}` })) } : {}),
      meta: {
        resourceType: "User",
        created: new Date(row.created).toISOString(),
        lastModified: new Date(row.lastModified).toISOString(),
        location: `${base}/Users/${row.id}`,
        version: `W/"${row.version}"`,
      },
    };
  };
  const send = (res: Response, status: number, body: unknown) => res.status(status).type(contentType).send(JSON.stringify(body));
  const fail = (res: Response, status: number, detail: string) => send(res, status, { schemas: [errorUrn], status: String(status), detail });

  const app = express();
  app.use((req, res, next) => {
    const given = Buffer.from(req.headers.authorization ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void fail(res, 401, "unauthorized");
    next();
  });
  app.use(express.json({ type: ["application/json", "application/scim+json"], limit: "1mb" }));

  app.get("/scim/v2/Users", async (req, res) => {
    const filter = typeof req.query.filter === "string" ? req.query.filter : "";
    const startIndex = Math.max(1, Number(req.query.startIndex ?? 1) || 1);
    const count = Math.min(1000, Math.max(0, Number(req.query.count ?? 100)));
    const skip = startIndex - 1;
    let rows: UserRow[];
    let total: number;
    let match: RegExpExecArray | null;
    if ((match = /^userName eq "(.*)"$/i.exec(filter))) {
      const userName = fold(match[1] as string);
      rows = await store.byUserName(userName, count, skip);
      total = await store.countByUserName(userName);
    } else if ((match = /^name\.familyName sw "(.*)"$/i.exec(filter))) {
      const prefix = fold(match[1] as string);
      rows = await store.byFamilyPrefix(prefix, prefix + maxCodePoint, count, skip);
      total = await store.countByFamilyPrefix(prefix, prefix + maxCodePoint);
    } else if (filter === "") {
      rows = await store.all(count, skip);
      total = await store.countAll();
    } else {
      return void fail(res, 400, "unsupported filter");
    }
    const groups = await groupsOf(rows.map((row) => row.id));
    const resources = rows.map((row) => render(req, row, groups.get(row.id)));
    send(res, 200, { schemas: [listUrn], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources });
  });

  // The full import's yardstick (import.ts): every user read once, in id order a hundred rows at
  // a time from where the last hundred ended, and serialised as pages would render them, in one
  // streamed answer.
  app.get("/bench/all-users", async (req, res) => {
    const total = await store.countAll();
    res.status(200).type(contentType);
    res.write(`{"schemas":["${listUrn}"],"totalResults":${total},"Resources":[`);
    for (let after = "", first = true; ; first = false) {
      const rows = await store.after(after);
      if (rows.length === 0) break;
      const groups = await groupsOf(rows.map((row) => row.id));
      const text = rows.map((row) => JSON.stringify(render(req, row, groups.get(row.id)))).join(",");
      if (!res.write(first ? text : `,${text}`)) await new Promise((resolve) => res.once("drain", resolve));
      after = rows.at(-1)!.id;
    }
    res.end("]}");
  });

  app.post("/scim/v2/Users", async (req, res) => {
    const { schemas: _schemas, id: _id, meta: _meta, ...attributes } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof attributes.userName !== "string" || attributes.userName === "") return void fail(res, 400, "userName is required");
    if (attributes.active === undefined) attributes.active = true;
    const familyName = (attributes.name as { familyName?: unknown } | undefined)?.familyName;
    const row = await store.insert({
      id: randomUUID(),
      userName: fold(attributes.userName),
      familyName: typeof familyName === "string" ? fold(familyName) : null,
      active: attributes.active !== false,
      now: new Date().toISOString(),
      doc: JSON.stringify(attributes),
    });
    if (row === undefined) return void fail(res, 409, "userName is taken");
    const resource = render(req, row, undefined);
    res.setHeader("ETag", `W/"${row.version}"`).setHeader("Location", resource.meta.location);
    send(res, 201, resource);
  });

  // Only what workload (e) sends: replace of `active`, with or without a path.
  app.patch("/scim/v2/Users/:id", async (req, res) => {
    const current = await store.byId(req.params.id);
    if (!current) return void fail(res, 404, "not found");
    const attributes = JSON.parse(current.doc) as Record<string, unknown>;
    const operations = ((req.body ?? {}) as { Operations?: { op?: string; path?: string; value?: unknown }[] }).Operations ?? [];
    for (const operation of operations) {
      if (operation.op?.toLowerCase() !== "replace") return void fail(res, 400, "unsupported operation");
      if (operation.path?.toLowerCase() === "active") attributes.active = operation.value === true;
      else if (!operation.path && typeof operation.value === "object" && operation.value !== null) Object.assign(attributes, operation.value);
      else return void fail(res, 400, "unsupported path");
    }
    const row = await store.update(current.id, attributes.active !== false, JSON.stringify(attributes), new Date().toISOString());
    res.setHeader("ETag", `W/"${row.version}"`);
    send(res, 200, render(req, row, (await groupsOf([row.id])).get(row.id)));
  });

  app.use((_req: Request, res: Response) => fail(res, 404, "not found"));
  return app;
}

if (process.argv[1] === import.meta.filename) {
  const path = process.env.BASELINE_DB;
  const token = process.env.BASELINE_TOKEN;
  if (!path || !token) throw new Error("BASELINE_DB and BASELINE_TOKEN are required");
  const listener = (await baselineApp(path, token)).listen(0, "127.0.0.1", () => {
    process.send?.({ port: (listener.address() as AddressInfo).port });
  });
  process.on("SIGTERM", () => listener.close(() => process.exit(0)));
  process.on("disconnect", () => process.exit(0));
}
