import type { Writable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { translateDatabaseError } from "../../src/store/errors.ts";
import { openPostgres, type PostgresDriver } from "../../src/store/driver/postgresql.ts";
import { sqlDate } from "../../src/store/driver/sql.ts";
import { and, column, compare, conditionSql, isNull, never, not, notNull, or, orderSql, type Column, type Condition } from "../../src/store/query/condition.ts";
import { insertSql } from "../../src/store/query/statements.ts";
import type { SqlValue } from "../../src/store/driver/sql.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";

// The store's own SQL (src/store/driver/) next to Prisma's client on the same database: it keeps out
// of other requests' transactions, its batches are all or nothing, its values are stored as
// Prisma stores them, and conditions render as the SQL they mean.

let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url);
});

afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

const insertSetting = 'INSERT INTO "Setting" ("key", "value") VALUES (?, ?)';
const selectSetting = 'SELECT "value" FROM "Setting" WHERE "key" = ?';

describe(`statements beside Prisma's transactions (${testDatabaseKind})`, () => {
  it("a statement sent while another request's transaction is open is not undone by its rollback", async () => {
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const transaction = database.prisma.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "inside", value: "rolled back" } });
      opened();
      await finished;
      throw new Error("rollback");
    });
    await open;
    // On SQLite the one connection is inside the transaction now: this statement must wait.
    const outside = database.sql.execute(insertSetting, ["outside", "kept"]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    await expect(transaction).rejects.toThrow("rollback");
    expect(await outside).toBe(1);
    expect(await database.sql.query(selectSetting, ["outside"])).toStrictEqual([{ value: "kept" }]);
    expect(await database.sql.query(selectSetting, ["inside"])).toStrictEqual([]);
  });

  it("a read sent while a transaction is open does not see its uncommitted writes", async () => {
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const transaction = database.prisma.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "uncommitted", value: "x" } });
      opened();
      await finished;
      throw new Error("rollback");
    });
    await open;
    const read = database.sql.query(selectSetting, ["uncommitted"]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    await expect(transaction).rejects.toThrow("rollback");
    expect(await read).toStrictEqual([]);
  });

  it("a batch is all or nothing, and its unique violation is a SCIM uniqueness error", async () => {
    await database.sql.execute(insertSetting, ["taken", "first"]);
    const failed = database.sql.batch([
      { text: insertSetting, args: ["fresh", "1"] },
      { text: insertSetting, args: ["taken", "second"] },
    ]);
    await expect(failed.catch((error) => translateDatabaseError(error, "Setting"))).rejects.toMatchObject({ status: 409, scimType: "uniqueness" });
    expect(await database.sql.query(selectSetting, ["fresh"])).toStrictEqual([]);
    expect(await database.sql.batch([{ text: insertSetting, args: ["fresh", "1"] }, { text: insertSetting, args: ["fresher", "2"] }])).toStrictEqual([1, 1]);
  });

  it("dates and booleans written as SQL read back through Prisma as written, and the other way round", async () => {
    const when = new Date("2026-03-04T05:06:07.089Z");
    await database.prisma.tenant.create({ data: { id: "t-sql", name: "t-sql" } });
    const user = insertSql("User", [
      { id: "u-sql", tenantId: "t-sql", userName: "sql", active: false, created: when, lastModified: when, doc: "{}" },
    ]);
    await database.sql.execute(user.text, user.args);
    const read = await database.prisma.user.findFirstOrThrow({ where: { id: "u-sql" }, select: { active: true, created: true } });
    expect(read).toStrictEqual({ active: false, created: when });
    const later = new Date("2027-01-01T00:00:00.001Z");
    await database.prisma.user.update({ where: { id: "u-sql" }, data: { lastModified: later } });
    const [row] = await database.sql.query<{ lastModified: unknown; active: unknown }>('SELECT "lastModified", "active" FROM "User" WHERE "id" = ?', ["u-sql"]);
    expect(sqlDate(row?.lastModified)).toStrictEqual(later);
    const args: SqlValue[] = [];
    const where = conditionSql(and(compare(column("User", "tenantId"), "=", "t-sql"), compare(column("User", "active"), "=", false), compare(column("User", "created"), "<", later)), args);
    expect(await database.sql.query(`SELECT "id" FROM "User" WHERE ${where}`, args)).toStrictEqual([{ id: "u-sql" }]);
  });
});

describe("condition rendering", () => {
  const rendered = (condition: Condition) => {
    const args: SqlValue[] = [];
    return { sql: conditionSql(condition, args), args };
  };
  const title = column("User", "title");

  it.each<[string, Condition, string, SqlValue[]]>([
    ["tenant", compare(column("User", "tenantId"), "=", "t"), '"User"."tenantId" = ?', ["t"]],
    ["empty and", and(), "1 = 1", []],
    ["empty or", never, "1 = 0", []],
    ["empty in", { kind: "in", left: column("User", "id"), values: [] }, "1 = 0", []],
    ["is null", isNull(title), '"User"."title" IS NULL', []],
    ["is not null", notNull(title), '"User"."title" IS NOT NULL', []],
    ["differs", compare(title, "<>", "x"), '"User"."title" <> ?', ["x"]],
    ["not", not(compare(title, "=", "x")), 'NOT ("User"."title" = ?)', ["x"]],
    ["contains", { kind: "like", left: title, pattern: "%a\\%%" }, '"User"."title" LIKE ?', ["%a\\%%"]],
    ["ends with", { kind: "like", left: title, pattern: "%z" }, '"User"."title" LIKE ?', ["%z"]],
    [
      "range",
      and(compare(column("User", "familyName"), ">=", "sm"), compare(column("User", "familyName"), "<", "sm\u{10ffff}")),
      '("User"."familyName" >= ?) AND ("User"."familyName" < ?)',
      ["sm", "sm\u{10ffff}"],
    ],
    ["or", or(compare(title, "=", "a"), compare(title, "=", "b")), '("User"."title" = ? OR "User"."title" = ?)', ["a", "b"]],
    [
      "exists",
      {
        kind: "exists",
        table: "UserValue",
        owner: column("UserValue", "userId"),
        resource: column("User", "id"),
        where: and(compare(column("UserValue", "tenantId"), "=", "t"), compare(column("UserValue", "attr"), "=", "emails"), compare(column("UserValue", "value"), "=", "x")),
      },
      'EXISTS (SELECT 1 FROM "UserValue" WHERE "UserValue"."userId" = "User"."id" AND ("UserValue"."tenantId" = ?) AND ("UserValue"."attr" = ?) AND ("UserValue"."value" = ?))',
      ["t", "emails", "x"],
    ],
    [
      "an extension attribute's first value",
      compare({ kind: "firstExtensionValue", owner: "Group", column: "num", attr: "urn:x:Group:n" }, ">", 2),
      '(SELECT "ExtensionValue"."num" FROM "ExtensionValue" WHERE "ExtensionValue"."groupId" = "Group"."id" AND "ExtensionValue"."attr" = ? AND "ExtensionValue"."pos" = 0) > ?',
      ["urn:x:Group:n", 2],
    ],
  ])("%s", (_name, condition, sql, args) => {
    expect(rendered(condition)).toStrictEqual({ sql, args });
  });

  it("refuses what it does not know rather than dropping a condition", () => {
    expect(() => rendered({ kind: "startsWith", left: title, value: "x" } as unknown as Condition)).toThrow();
    expect(() => rendered(compare({ kind: "every" } as unknown as Column, "=", 1))).toThrow();
  });

  it("orders by each term, absent values where asked", () => {
    const args: SqlValue[] = [];
    const order = orderSql([{ by: column("User", "familyName"), direction: "asc", nulls: "last" }, { by: column("User", "id"), direction: "asc" }], args);
    expect(order).toBe('"User"."familyName" ASC NULLS LAST, "User"."id" ASC');
  });
});

describe(`concurrent batches (${testDatabaseKind})`, () => {
  let logged: string[] = [];
  let loggedArgs: string[] = [];
  let logging: Database;
  beforeAll(async () => {
    logging = await openDatabase(testDatabase.url, {
      onQuery: (event) => {
        logged.push(event.query);
        loggedArgs.push(event.params);
      },
    });
  });
  afterAll(() => logging?.close());

  const keysOf = async (prefix: string) =>
    (await logging.sql.query<{ key: string }>('SELECT "key" FROM "Setting" WHERE "key" LIKE ? ORDER BY "key"', [`${prefix}%`])).map((row) => row.key);

  it("are committed together, each with its own result", async () => {
    logged = [];
    const counts = await Promise.all(
      ["a", "b", "c"].map((name) =>
        logging.sql.batch([
          { text: insertSetting, args: [`group-${name}1`, "x"] },
          { text: insertSetting, args: [`group-${name}2`, "x"] },
        ]),
      ),
    );
    expect(counts).toStrictEqual([[1, 1], [1, 1], [1, 1]]);
    expect(await keysOf("group-")).toStrictEqual(["group-a1", "group-a2", "group-b1", "group-b2", "group-c1", "group-c2"]);
    expect(logged.filter((text) => /^(BEGIN|COMMIT)/.test(text))).toStrictEqual(["BEGIN", "COMMIT"]);
  });

  it.runIf(testDatabaseKind === "postgresql")("send each batch's locking tail after every other statement of the group, in key order", async () => {
    logged = [];
    loggedArgs = [];
    const tailed = (name: string, key: string) => [
      { text: insertSetting, args: [`tail-${name}-head`, "x"] },
      { text: insertSetting, args: [`tail-${name}-tail`, "x"], lockKey: key },
      { text: 'UPDATE "Setting" SET "value" = ? WHERE "key" = ?', args: ["y", `tail-${name}-tail`] },
    ];
    const counts = await Promise.all([logging.sql.batch(tailed("a", "k2")), logging.sql.batch(tailed("b", "k1")), logging.sql.batch([{ text: insertSetting, args: ["tail-c", "x"] }])]);
    expect(counts).toStrictEqual([[1, 1, 1], [1, 1, 1], [1]]);
    expect(logged.filter((text) => /^(BEGIN|COMMIT)/.test(text))).toStrictEqual(["BEGIN", "COMMIT"]);
    expect(loggedArgs.filter((args) => args !== "[]").map((args) => JSON.parse(args) as string[])).toStrictEqual([
      ["tail-a-head", "x"],
      ["tail-b-head", "x"],
      ["tail-c", "x"],
      ["tail-b-tail", "x"],
      ["y", "tail-b-tail"],
      ["tail-a-tail", "x"],
      ["y", "tail-a-tail"],
    ]);
    expect(await logging.sql.query('SELECT "key", "value" FROM "Setting" WHERE "key" LIKE ? ORDER BY "key"', ["tail-%"])).toStrictEqual([
      { key: "tail-a-head", value: "x" },
      { key: "tail-a-tail", value: "y" },
      { key: "tail-b-head", value: "x" },
      { key: "tail-b-tail", value: "y" },
      { key: "tail-c", value: "x" },
    ]);
  });

  it("fail one at a time: a batch that fails is undone alone, the others are written", async () => {
    await logging.sql.execute(insertSetting, ["apart-taken", "first"]);
    const [first, failing, last] = await Promise.allSettled([
      logging.sql.batch([{ text: insertSetting, args: ["apart-a", "x"] }]),
      logging.sql.batch([
        { text: insertSetting, args: ["apart-b", "x"] },
        { text: insertSetting, args: ["apart-taken", "second"] },
      ]),
      logging.sql.batch([
        { text: insertSetting, args: ["apart-c1", "x"] },
        { text: insertSetting, args: ["apart-c2", "x"] },
      ]),
    ]);
    expect(first).toStrictEqual({ status: "fulfilled", value: [1] });
    expect(last).toStrictEqual({ status: "fulfilled", value: [1, 1] });
    expect(failing?.status).toBe("rejected");
    await expect(Promise.reject((failing as PromiseRejectedResult).reason).catch((error) => translateDatabaseError(error, "Setting"))).rejects.toMatchObject({
      status: 409,
      scimType: "uniqueness",
    });
    expect(await keysOf("apart-")).toStrictEqual(["apart-a", "apart-c1", "apart-c2", "apart-taken"]);
    expect(await logging.sql.query(selectSetting, ["apart-taken"])).toStrictEqual([{ value: "first" }]);
  });

  const claim = (key: string, from: string, to: string) => ({
    text: 'UPDATE "Setting" SET "value" = ? WHERE "key" = ? AND "value" = ? RETURNING "key", "value"',
    args: [to, key, from],
  });

  it("a guarded batch runs its statements only when its guard returns a row, and answers that row", async () => {
    await logging.sql.execute(insertSetting, ["guard-1", "free"]);
    expect(await logging.sql.guardedBatch(claim("guard-1", "free", "taken"), [{ text: insertSetting, args: ["guarded-1", "x"] }])).toStrictEqual({
      key: "guard-1",
      value: "taken",
    });
    expect(await logging.sql.guardedBatch(claim("guard-1", "free", "again"), [{ text: insertSetting, args: ["guarded-2", "x"] }])).toBeUndefined();
    expect(await keysOf("guarded-")).toStrictEqual(["guarded-1"]);
    expect(await logging.sql.query(selectSetting, ["guard-1"])).toStrictEqual([{ value: "taken" }]);
  });

  it("guarded batches share a commit with other batches; one whose guard finds nothing leaves the others written", async () => {
    await logging.sql.execute(insertSetting, ["guard-2", "free"]);
    logged = [];
    const [winner, loser, plain] = await Promise.all([
      logging.sql.guardedBatch(claim("guard-2", "free", "first"), [{ text: insertSetting, args: ["raced-first", "x"] }]),
      logging.sql.guardedBatch(claim("guard-2", "free", "second"), [{ text: insertSetting, args: ["raced-second", "x"] }]),
      logging.sql.batch([{ text: insertSetting, args: ["raced-plain", "x"] }]),
    ]);
    // Exactly one guard takes the row: on SQLite the first queued, on PostgreSQL whichever
    // transaction gets the row lock first.
    const taken = [winner, loser].filter((row) => row !== undefined);
    expect(taken).toHaveLength(1);
    const value = winner === undefined ? "second" : "first";
    expect(taken[0]).toStrictEqual({ key: "guard-2", value });
    expect(plain).toStrictEqual([1]);
    expect(await keysOf("raced-")).toStrictEqual([`raced-${value}`, "raced-plain"].sort());
    if (testDatabaseKind === "sqlite") {
      expect(value).toBe("first");
      expect(logged.filter((text) => /^(BEGIN|COMMIT)/.test(text))).toStrictEqual(["BEGIN", "COMMIT"]);
    }
  });

  it("a guarded batch whose statement fails is undone whole, its guard's change too", async () => {
    await logging.sql.execute(insertSetting, ["guard-3", "free"]);
    await logging.sql.execute(insertSetting, ["guard-3-taken", "x"]);
    const [failing, other] = await Promise.allSettled([
      logging.sql.guardedBatch(claim("guard-3", "free", "claimed"), [{ text: insertSetting, args: ["guard-3-taken", "y"] }]),
      logging.sql.batch([{ text: insertSetting, args: ["guard-3-other", "x"] }]),
    ]);
    expect(failing?.status).toBe("rejected");
    expect(other).toStrictEqual({ status: "fulfilled", value: [1] });
    expect(await logging.sql.query(selectSetting, ["guard-3"])).toStrictEqual([{ value: "free" }]);
    expect(await keysOf("guard-3-")).toStrictEqual(["guard-3-other", "guard-3-taken"]);
  });

  it("reads sent together are each answered with their own rows", async () => {
    await logging.sql.execute(insertSetting, ["together-1", "one"]);
    const reads = ["together-1", "together-missing"].map((key) => ({ text: selectSetting, args: [key] }));
    expect(await logging.sql.queries(reads)).toStrictEqual([[{ value: "one" }], []]);
  });

  it("a batch of one statement sent alone runs without a transaction", async () => {
    logged = [];
    expect(await logging.sql.batch([{ text: insertSetting, args: ["alone", "x"] }])).toStrictEqual([1]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^INSERT INTO "Setting"/);
  });
});

// On PostgreSQL the pool's connections pipeline (driver/postgresql.ts): what does not depend on an
// answer goes out in one write, and a transaction is still all or nothing.
describe.runIf(testDatabaseKind === "postgresql")("pipelined statements (postgresql)", () => {
  let driver: PostgresDriver;
  let writes = 0;
  beforeAll(async () => {
    driver = openPostgres(testDatabase.url, 1);
    // The pool's one connection, its socket's writes counted.
    const client = await driver.pool.connect();
    const socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
    for (const method of ["_write", "_writev"] as const) {
      const original = socket[method]!.bind(socket) as (...args: unknown[]) => void;
      (socket as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        writes += 1;
        original(...args);
      };
    }
    client.release();
  });
  afterAll(() => driver?.close());

  async function writesOf(run: () => Promise<unknown>): Promise<number> {
    writes = 0;
    await run();
    return writes;
  }

  it("a batch's statements go out with BEGIN and COMMIT in one write", async () => {
    const statements = ["pipe-1", "pipe-2", "pipe-3"].map((key) => ({ text: insertSetting, args: [key, "x"] }));
    expect(await writesOf(() => driver.sql.batch(statements))).toBe(1);
    expect(await driver.sql.query(selectSetting, ["pipe-3"])).toStrictEqual([{ value: "x" }]);
  });

  it("a guarded batch goes out in one write, and its statements are undone when the guard finds no row", async () => {
    await driver.sql.execute(insertSetting, ["pipe-guard", "free"]);
    const claim = (from: string) => ({ text: 'UPDATE "Setting" SET "value" = ? WHERE "key" = ? AND "value" = ? RETURNING "value"', args: ["taken", "pipe-guard", from] });
    expect(await writesOf(() => driver.sql.guardedBatch(claim("free"), [{ text: insertSetting, args: ["pipe-guarded", "x"] }]))).toBe(1);
    expect(await writesOf(() => driver.sql.guardedBatch(claim("free"), [{ text: insertSetting, args: ["pipe-unguarded", "x"] }]))).toBe(1);
    expect(await driver.sql.query('SELECT "key" FROM "Setting" WHERE "key" LIKE ? ORDER BY "key"', ["pipe-guard%"])).toStrictEqual([
      { key: "pipe-guard" },
      { key: "pipe-guarded" },
    ]);
  });

  it("independent reads go out in one write, each answered with its rows", async () => {
    await driver.sql.execute(insertSetting, ["pipe-read", "r"]);
    let rows: unknown;
    const reads = [selectSetting, selectSetting].map((text, i) => ({ text, args: [["pipe-read", "pipe-missing"][i]!] }));
    expect(await writesOf(async () => (rows = await driver.sql.queries(reads)))).toBe(1);
    expect(rows).toStrictEqual([[{ value: "r" }], []]);
  });

  it("a transaction's BEGIN goes out with its first statement", async () => {
    const sent = await writesOf(() =>
      driver.sql.transaction(async (tx) => {
        await tx.execute(insertSetting, ["pipe-tx-1", "x"]);
        await tx.execute(insertSetting, ["pipe-tx-2", "x"]);
      }),
    );
    expect(sent).toBe(3);
  });

  it("a failed statement fails its batch whole, and the statements after it are not what is reported", async () => {
    await driver.sql.execute(insertSetting, ["pipe-taken", "x"]);
    const failing = driver.sql.batch([
      { text: insertSetting, args: ["pipe-before", "x"] },
      { text: insertSetting, args: ["pipe-taken", "y"] },
      { text: insertSetting, args: ["pipe-after", "x"] },
    ]);
    await expect(failing.catch((error) => translateDatabaseError(error, "Setting"))).rejects.toMatchObject({ status: 409, scimType: "uniqueness" });
    expect(await driver.sql.query('SELECT "key" FROM "Setting" WHERE "key" IN (?, ?)', ["pipe-before", "pipe-after"])).toStrictEqual([]);
  });

  it("a transaction whose body went on past a failed statement is not reported committed", async () => {
    await driver.sql.execute(insertSetting, ["pipe-held", "x"]);
    const ignoring = driver.sql.transaction(async (tx) => {
      await tx.execute(insertSetting, ["pipe-ignored", "x"]);
      await tx.execute(insertSetting, ["pipe-held", "y"]).catch(() => undefined);
      return "done";
    });
    await expect(ignoring).rejects.toThrow(/not committed: ROLLBACK/);
    expect(await driver.sql.query(selectSetting, ["pipe-ignored"])).toStrictEqual([]);
  });
});

// PostgreSQL ends the pool's connections (a restart, a failover) while a group is in flight: its
// batches fail rather than wait, none is written in part, and the writes after it are committed on
// new connections.
describe.runIf(testDatabaseKind === "postgresql")("group commit when PostgreSQL ends the connections (postgresql)", () => {
  it("fails the group in flight whole, and writes the next batches", async () => {
    const driver = openPostgres(testDatabase.url, 4);
    try {
      await driver.sql.batch([{ text: insertSetting, args: ["ended-before", "x"] }]);
      const during = Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          driver.sql.batch([
          { text: insertSetting, args: [`ended-during-${i}`, "x"] },
          // Keeps the group in flight until its connection is ended.
          ...(i === 0 ? [{ text: "SELECT pg_sleep(?)", args: [2] }] : []),
          { text: insertSetting, args: [`ended-during-${i}-too`, "x"] },
          ]),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const admin = new pg.Client({ connectionString: testDatabase.url });
      await admin.connect();
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
      await admin.end();
      const settled = await during;
      expect(settled.map((outcome) => outcome.status)).toStrictEqual(Array(6).fill("rejected"));
      expect(await driver.sql.query('SELECT "key" FROM "Setting" WHERE "key" LIKE ?', ["ended-during-%"])).toStrictEqual([]);
      const after = await Promise.all(
        ["a", "b", "c"].map((key) => driver.sql.batch([{ text: insertSetting, args: [`ended-after-${key}`, "x"] }, { text: insertSetting, args: [`ended-after-${key}-too`, "x"] }])),
      );
      expect(after).toStrictEqual([[1, 1], [1, 1], [1, 1]]);
    } finally {
      await driver.close();
    }
  });
});
