import { randomUUID } from "node:crypto";
import pg from "pg";
import type { SyntheticUser } from "../support/seed.ts";
import { baselineTenantId as tenantId, fold, type BaselineGroup, type BaselineStore, type UserRow } from "./baseline.ts";

// The baseline on PostgreSQL (--db postgres): the same tables, indexes and statements as on
// SQLite (baseline.ts), through a pg pool of the size ours has by default, each statement a named
// prepared statement, as ours sends them.

const schema = `
  CREATE TABLE users (
    id TEXT COLLATE "C" PRIMARY KEY, "tenantId" TEXT COLLATE "C" NOT NULL, "userName" TEXT COLLATE "C" NOT NULL, "familyName" TEXT COLLATE "C",
    active BOOLEAN NOT NULL, version INTEGER NOT NULL, created TIMESTAMPTZ NOT NULL, "lastModified" TIMESTAMPTZ NOT NULL, doc TEXT NOT NULL
  );
  CREATE UNIQUE INDEX users_userName ON users ("tenantId", "userName");
  CREATE INDEX users_id ON users ("tenantId", id);
  CREATE INDEX users_familyName ON users ("tenantId", "familyName", id);
  CREATE TABLE groups (id TEXT COLLATE "C" PRIMARY KEY, "tenantId" TEXT COLLATE "C" NOT NULL, "displayName" TEXT NOT NULL, UNIQUE ("tenantId", "displayName"));
  CREATE TABLE members ("groupId" TEXT COLLATE "C" NOT NULL, "userId" TEXT COLLATE "C" NOT NULL, PRIMARY KEY ("groupId", "userId"));
  CREATE INDEX members_userId ON members ("userId", "groupId");
`;

// Ours keeps at most DATABASE_POOL_SIZE connections, 10 by default.
const poolSize = 10;
const columns = `id, version, created, "lastModified", doc`;

export function postgresStore(url: string): BaselineStore {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const rows = async <T>(name: string, text: string, values: unknown[]): Promise<T[]> => (await pool.query({ name, text, values })).rows as T[];
  const count = async (name: string, text: string, values: unknown[]) => Number((await rows<{ n: string }>(name, text, values))[0]!.n);
  return {
    byUserName: (userName, n, skip) =>
      rows<UserRow>("byUserName", `SELECT ${columns} FROM users WHERE "tenantId" = $1 AND "userName" = $2 ORDER BY id LIMIT $3 OFFSET $4`, [tenantId, userName, n, skip]),
    countByUserName: (userName) => count("countByUserName", `SELECT COUNT(*) AS n FROM users WHERE "tenantId" = $1 AND "userName" = $2`, [tenantId, userName]),
    byFamilyPrefix: (low, high, n, skip) =>
      rows<UserRow>(
        "byFamilyPrefix",
        `SELECT ${columns} FROM users WHERE "tenantId" = $1 AND "familyName" >= $2 AND "familyName" < $3 ORDER BY id LIMIT $4 OFFSET $5`,
        [tenantId, low, high, n, skip],
      ),
    countByFamilyPrefix: (low, high) =>
      count("countByFamilyPrefix", `SELECT COUNT(*) AS n FROM users WHERE "tenantId" = $1 AND "familyName" >= $2 AND "familyName" < $3`, [tenantId, low, high]),
    all: (n, skip) => rows<UserRow>("all", `SELECT ${columns} FROM users WHERE "tenantId" = $1 ORDER BY id LIMIT $2 OFFSET $3`, [tenantId, n, skip]),
    countAll: () => count("countAll", `SELECT COUNT(*) AS n FROM users WHERE "tenantId" = $1`, [tenantId]),
    after: (id) => rows<UserRow>("after", `SELECT ${columns} FROM users WHERE "tenantId" = $1 AND id > $2 ORDER BY id LIMIT 100`, [tenantId, id]),
    byId: async (id) => (await rows<UserRow>("byId", `SELECT ${columns} FROM users WHERE "tenantId" = $1 AND id = $2`, [tenantId, id]))[0],
    groupsOf: (userIds) =>
      rows(
        "groupsOf",
        `SELECT m."userId", g.id, g."displayName" FROM members m JOIN groups g ON g.id = m."groupId" WHERE g."tenantId" = $1 AND m."userId" = ANY($2::text[]) ORDER BY g.id`,
        [tenantId, userIds],
      ),
    insert: async (user) => {
      try {
        return (
          await rows<UserRow>(
            "insert",
            `INSERT INTO users (id, "tenantId", "userName", "familyName", active, version, created, "lastModified", doc) VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7) RETURNING ${columns}`,
            [user.id, tenantId, user.userName, user.familyName, user.active, user.now, user.doc],
          )
        )[0];
      } catch (error) {
        if ((error as { code?: string }).code === "23505") return undefined;
        throw error;
      }
    },
    update: async (id, active, doc, now) =>
      (
        await rows<UserRow>(
          "update",
          `UPDATE users SET active = $1, doc = $2, version = version + 1, "lastModified" = $3 WHERE "tenantId" = $4 AND id = $5 RETURNING ${columns}`,
          [active, doc, now, tenantId, id],
        )
      )[0]!,
  };
}

// Creates the baseline's tables in the (empty) database at `url` with the same users, then the
// groups, as seedBaseline does on SQLite.
export async function seedBaselinePostgres(
  url: string,
  users: Iterable<SyntheticUser>,
  groups: () => readonly BaselineGroup[],
  onProgress?: (inserted: number) => void,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(schema);
    let inserted = 0;
    let batch: SyntheticUser[] = [];
    const flush = async () => {
      const name = (user: SyntheticUser) => user.attributes.name as { familyName?: string } | undefined;
      await client.query(
        `INSERT INTO users (id, "tenantId", "userName", "familyName", active, version, created, "lastModified", doc)
         SELECT id, $1, "userName", "familyName", active, 1, created, "lastModified", doc
         FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::timestamptz[], $7::timestamptz[], $8::text[])
           AS u(id, "userName", "familyName", active, created, "lastModified", doc)`,
        [
          tenantId,
          batch.map((user) => user.id),
          batch.map((user) => fold(String(user.attributes.userName))),
          batch.map((user) => (name(user)?.familyName === undefined ? null : fold(name(user)!.familyName!))),
          batch.map((user) => user.attributes.active !== false),
          batch.map((user) => user.created.toISOString()),
          batch.map((user) => user.lastModified.toISOString()),
          batch.map((user) => JSON.stringify(user.attributes)),
        ],
      );
      inserted += batch.length;
      batch = [];
      onProgress?.(inserted);
    };
    for (const user of users) {
      batch.push(user);
      if (batch.length === 5000) await flush();
    }
    if (batch.length > 0) await flush();
    for (const group of groups()) {
      const id = randomUUID();
      await client.query(`INSERT INTO groups (id, "tenantId", "displayName") VALUES ($1, $2, $3)`, [id, tenantId, group.displayName]);
      await client.query(`INSERT INTO members ("groupId", "userId") SELECT $1, unnest($2::text[])`, [id, group.memberIds]);
    }
    await client.query("VACUUM ANALYZE");
  } finally {
    await client.end();
  }
}
