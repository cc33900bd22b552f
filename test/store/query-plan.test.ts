import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListQuery } from "../../src/scim/ports.ts";
import { readListQuery, type QueryParameters } from "../../src/scim/query.ts";
import { bytebaseUserSchema } from "../../src/compat/bytebase/extension.ts";
import { vyteUserSchema } from "../../src/compat/vyte/extension.ts";
import { groupResourceType, userResourceType } from "../../src/scim/schema/resource-types.ts";
import { openDatabase, type Database } from "../../src/store/database.ts";
import type { QueryEvent } from "../../src/store/driver/sql.ts";
import { SqlGroupStore } from "../../src/store/groups.ts";
import { encodeCursor } from "../../src/store/query/cursor.ts";
import { sortKeyOf } from "../../src/store/query/sort.ts";
import { userTarget } from "../../src/store/query/targets.ts";
import { analyze, seedGroups, seedUsers, syntheticUsers } from "../support/seed.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { SqlUserStore } from "../../src/store/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { schemaRegistry } from "../support/schemas.ts";

// The statements Prisma sends for list requests over 100,000 users, run through the database's
// own planner (EXPLAIN QUERY PLAN on SQLite, EXPLAIN (FORMAT JSON) on PostgreSQL): each filter
// the IdPs send is answered from the index the migration made for it, filtered counts are a plain
// COUNT over an index, unfiltered ones the tenant's count, and a cursor deep in the list starts an
// index range at the cursor.

const userCount = 100_000;
const groupCount = 10_000;
const limits = { defaultPageSize: 100, maxPageSize: 1000, filter: { maxLength: 4096, maxDepth: 16, maxTerms: 64 } };

let testDatabase: TestDatabase;
let database: Database;
let tenantId: string;
let statements: QueryEvent[] = [];
// User number 777 of the seeded sequence, whose values the filters look for.
const sample = [...syntheticUsers(777, { withExtensions: true })].at(-1)!;
const sampleEmail = (sample.attributes.emails as Array<{ value: string }>)[0]!.value;
const sampleObjectId = (sample.attributes[vyteUserSchema.id] as { objectId: string }).objectId;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url, { onQuery: (event) => statements.push(event) });
  const tenants = new SqlTenantStore(database.sql);
  tenantId = (await tenants.ensure("acme")).id;
  const other = (await tenants.ensure("other")).id;
  await seedUsers(database, tenantId, userCount, { withExtensions: true });
  await seedUsers(database, other, 300, { seed: 2 });
  await seedGroups(database, tenantId, groupCount);
  await seedGroups(database, other, 30, { seed: 2 });
  await analyze(database);
}, 600_000);

afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

// How one table is read in a plan: through which index, and whether the index condition narrows
// the rows beyond the tenant (a walk of the whole tenant reads every row of it).
interface Access {
  readonly table: string;
  readonly index?: string;
  readonly narrowed: boolean;
  // Answered from the index alone (SQLite COVERING INDEX, PostgreSQL Index Only Scan).
  readonly indexOnly: boolean;
}

interface Statement {
  readonly sql: string;
  readonly accesses: readonly Access[];
  readonly plan: string;
}

async function explain(event: QueryEvent): Promise<Statement> {
  const params = JSON.parse(event.params) as unknown[];
  if (testDatabaseKind === "sqlite") {
    const rows = await database.prisma.$queryRawUnsafe<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${event.query}`, ...params);
    return { sql: event.query, accesses: rows.flatMap((row) => sqliteAccess(row.detail, event.query)), plan: rows.map((row) => row.detail).join("\n") };
  }
  const rows = await database.prisma.$queryRawUnsafe<Array<{ "QUERY PLAN": unknown }>>(`EXPLAIN (FORMAT JSON) ${event.query}`, ...params);
  const raw = rows[0]!["QUERY PLAN"];
  const [root] = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{ Plan: PgNode }>;
  return { sql: event.query, accesses: pgAccesses(root!.Plan), plan: JSON.stringify(root!.Plan, null, 1) };
}

// "SEARCH main.User USING COVERING INDEX User_tenantId_userName_key (tenantId=? AND userName>? AND userName<?)",
// "SEARCH t0 USING INDEX UserValue_tenantId_attr_value_idx (...)", "SCAN main.User".
function sqliteAccess(detail: string, sql: string): Access[] {
  const match = /^(SEARCH|SCAN) (\S+)(?: USING (COVERING )?INDEX (\S+)(?: \((.*)\))?)?/.exec(detail);
  if (!match) return [];
  const [, , name, covering, index, condition = ""] = match;
  const alias = new RegExp(`\`main\`\\.\`(\\w+)\` AS \`${name}\``).exec(sql);
  const table = alias ? alias[1]! : name!.replace(/^main\./, "");
  const terms = condition.split(" AND ").filter((term) => term !== "" && !/^(tenantId|attr)=/.test(term));
  return [{ table, ...(index ? { index } : {}), narrowed: terms.length > 0, indexOnly: covering !== undefined }];
}

interface PgNode {
  readonly "Node Type": string;
  readonly "Relation Name"?: string;
  readonly "Index Name"?: string;
  readonly "Index Cond"?: string;
  readonly Plans?: readonly PgNode[];
}

function pgAccesses(node: PgNode): Access[] {
  const type = node["Node Type"];
  if (type === "Seq Scan") return [{ table: node["Relation Name"]!, narrowed: false, indexOnly: false }];
  if (type === "Index Scan" || type === "Index Only Scan") {
    return [{ table: node["Relation Name"]!, index: node["Index Name"]!, narrowed: pgNarrowed(node["Index Cond"]), indexOnly: type === "Index Only Scan" }];
  }
  if (type === "Bitmap Heap Scan") {
    const indexScans = bitmapIndexScans(node);
    return [{
      table: node["Relation Name"]!,
      index: indexScans[0]!["Index Name"]!,
      narrowed: indexScans.every((scan) => pgNarrowed(scan["Index Cond"])),
      indexOnly: false,
    }];
  }
  return (node.Plans ?? []).flatMap(pgAccesses);
}

function bitmapIndexScans(node: PgNode): PgNode[] {
  return node["Node Type"] === "Bitmap Index Scan" ? [node] : (node.Plans ?? []).flatMap(bitmapIndexScans);
}

// An index condition that says more than the tenant (and the multi-valued attribute's name).
function pgNarrowed(condition = ""): boolean {
  const rest = condition.replace(/\("tenantId" = '[^']*'::text( COLLATE "C")?\)/g, "").replace(/\(attr = '[^']*'::text\)/g, "");
  return /[<>=]|IS NOT NULL/.test(rest);
}

type ResourceType = "User" | "Group";

// Runs one list request through the store and explains every statement it sent.
async function listStatements(resourceType: ResourceType, parameters: QueryParameters, adjust?: (query: ListQuery) => ListQuery): Promise<Statement[]> {
  const base = readListQuery(parameters, resourceType === "User" ? userResourceType : groupResourceType, schemaRegistry, limits);
  const query = adjust ? adjust(base) : base;
  statements = [];
  if (resourceType === "User") await new SqlUserStore(database.sql).list(tenantId, query, { withRelations: false });
  else await new SqlGroupStore(database.sql).list(tenantId, query, { withRelations: false });
  const sent = statements;
  return Promise.all(sent.map(explain));
}

const isCount = (statement: Statement) => /^SELECT (COUNT\(\*\)|SUM\("count"\))/.test(statement.sql);
const isPage = (statement: Statement) => !isCount(statement);

function describePlan(statement: Statement): string {
  return `${statement.sql}\n${statement.plan}`;
}

// The statement reads `table` through `index`, narrowed beyond the tenant, and nothing is read
// without an index or across a whole tenant.
function expectIndexed(statement: Statement, table: string, index: string | readonly string[]): void {
  const message = describePlan(statement);
  const indexes = typeof index === "string" ? [index] : index;
  expect(statement.accesses.filter((access) => access.index === undefined), message).toEqual([]);
  expect(statement.accesses.filter((access) => !access.narrowed), message).toEqual([]);
  expect(statement.accesses.some((access) => access.table === table && indexes.includes(access.index as string)), message).toBe(true);
}

// RFC 7644 §3.4.2: totalResults as a plain COUNT(*) over an index, with no subquery around the
// filtered rows.
function expectPlainCount(statement: Statement, index?: string): void {
  const message = describePlan(statement);
  expect(statement.sql, message).toMatch(/^SELECT COUNT\(\*\) AS \S+ FROM \S+ WHERE /);
  expect(statement.sql.match(/SELECT/g), message).toHaveLength(1);
  expect(statement.accesses, message).toHaveLength(1);
  expect(statement.accesses[0]!.indexOnly, message).toBe(true);
  if (index) expect(statement.accesses[0]!.index, message).toBe(index);
}

// An unfiltered total: the tenant's rows of ResourceCount, found by their key.
function expectTenantCount(statement: Statement): void {
  const message = describePlan(statement);
  expect(statement.sql, message).toMatch(/^SELECT SUM\("count"\) AS "n" FROM "ResourceCount" WHERE /);
  expect(statement.accesses.map((access) => access.table), message).toStrictEqual(["ResourceCount"]);
  // PostgreSQL reads a table of a few rows whole; SQLite, by its key.
  if (testDatabaseKind === "sqlite") expect(statement.accesses[0]!.narrowed, message).toBe(true);
}

async function pageAndCount(resourceType: ResourceType, filter: string): Promise<{ page: Statement; count: Statement }> {
  const [page] = (await listStatements(resourceType, { filter, count: 10 })).filter(isPage);
  const [count] = (await listStatements(resourceType, { filter, count: 0 })).filter(isCount);
  return { page: page!, count: count! };
}

describe(`planner statistics after analyze() (${testDatabaseKind})`, () => {
  const samples = async (index: string) =>
    (await database.sql.query<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_stat4 WHERE idx = ?", [index]))[0]!.n;

  it(testDatabaseKind === "sqlite" ? "keep per-value samples for attribute indexes only" : "are taken for every table, and the table vacuumed", async () => {
    if (testDatabaseKind === "postgresql") {
      const [user] = await database.sql.query<{ analyzed: boolean; vacuumed: boolean }>(
        `SELECT last_analyze IS NOT NULL AS analyzed, last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE relname = 'User'`,
        [],
      );
      expect(user).toStrictEqual({ analyzed: true, vacuumed: true });
      return;
    }
    // A sample on a key index makes each new key value prepare its statements again (seed.ts).
    expect(await samples("User_tenantId_familyName_id_idx")).toBeGreaterThan(0);
    expect(await samples("User_tenantId_lastModified_id_idx")).toBeGreaterThan(0);
    expect(await samples("UserValue_tenantId_attr_value_idx")).toBeGreaterThan(0);
    for (const key of ["User_tenantId_userName_key", "User_tenantId_id_idx", "sqlite_autoindex_User_1", "GroupMember_tenantId_memberId_idx", "UserValue_userId_attr_idx"]) {
      expect(await samples(key), key).toBe(0);
    }
    const stat1 = await database.sql.query<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_stat1 WHERE idx = 'User_tenantId_userName_key'", []);
    expect(stat1[0]!.n).toBe(1);
  });
});

describe(`query plans over ${userCount} users (${testDatabaseKind})`, () => {
  const userName = String(sample.attributes.userName);
  const externalId = String(sample.attributes.externalId);

  it("userName eq and sw use User_tenantId_userName_key", async () => {
    const eq = await pageAndCount("User", `userName eq "${userName.toUpperCase()}"`);
    // Through the index of userNames in every tenant (the Bytebase login's) the page reads the
    // same rows and drops other tenants' few: PostgreSQL, whose statistics see one tenant here,
    // may pick it.
    const userNameIndexes = ["User_tenantId_userName_key", "User_userName_idx"];
    expectIndexed(eq.page, "User", userNameIndexes);
    expectPlainCount(eq.count, "User_tenantId_userName_key");
    const sw = await pageAndCount("User", `userName sw "${userName.slice(0, userName.indexOf("@") - 1)}"`);
    expectIndexed(sw.page, "User", userNameIndexes);
    expectPlainCount(sw.count, "User_tenantId_userName_key");
  });

  it("externalId eq and sw use User_tenantId_externalId_idx", async () => {
    const eq = await pageAndCount("User", `externalId eq "${externalId}"`);
    expectIndexed(eq.page, "User", "User_tenantId_externalId_idx");
    expectPlainCount(eq.count, "User_tenantId_externalId_idx");
    const sw = await pageAndCount("User", `externalId sw "${externalId.slice(0, externalId.lastIndexOf("-") + 1)}"`);
    expectIndexed(sw.page, "User", "User_tenantId_externalId_idx");
    expectPlainCount(sw.count, "User_tenantId_externalId_idx");
  });

  it("displayName eq and sw use User_tenantId_displayName_id_idx", async () => {
    const eq = await pageAndCount("User", `displayName eq "${String(sample.attributes.displayName).toLowerCase()}"`);
    expectIndexed(eq.page, "User", "User_tenantId_displayName_id_idx");
    expectPlainCount(eq.count, "User_tenantId_displayName_id_idx");
    const sw = await pageAndCount("User", `displayName sw "${String(sample.attributes.displayName).slice(0, -2)}"`);
    expectIndexed(sw.page, "User", "User_tenantId_displayName_id_idx");
    expectPlainCount(sw.count, "User_tenantId_displayName_id_idx");
  });

  it("Group displayName eq and sw use Group_tenantId_displayName_key", async () => {
    const eq = await pageAndCount("Group", `displayName eq "GROUP 00777"`);
    expectIndexed(eq.page, "Group", "Group_tenantId_displayName_key");
    expectPlainCount(eq.count, "Group_tenantId_displayName_key");
    const sw = await pageAndCount("Group", `displayName sw "Group 0077"`);
    expectIndexed(sw.page, "Group", "Group_tenantId_displayName_key");
    expectPlainCount(sw.count, "Group_tenantId_displayName_key");
  });

  it("name.familyName sw counts over User_tenantId_familyName_id_idx", async () => {
    // About one user in 40 matches: a page ordered by id may instead walk the id index and stop
    // after ten matches, which reads a few hundred rows. The count must read the matches only.
    const { page, count } = await pageAndCount("User", `name.familyName sw "smoll"`);
    expect(page.accesses.filter((access) => access.index === undefined), describePlan(page)).toEqual([]);
    expectPlainCount(count, "User_tenantId_familyName_id_idx");
    // The range alone: a NULL familyName fails it as it is, and a test of each row for NULL
    // would cost a third of the count. Under a not, the test is kept, so that NOT stays exact.
    expect(count.sql).not.toMatch(/IS NOT NULL/);
    const [negated] = (await listStatements("User", { filter: `not (name.familyName sw "smoll")`, count: 0 })).filter(isCount);
    expect(negated!.sql).toMatch(/NOT \(+"User"\."familyName" IS NOT NULL/);
    const eq = await listStatements("User", { filter: `name.familyName eq "Smollett"`, count: 10 });
    expectIndexed(eq.find(isPage)!, "User", "User_tenantId_familyName_id_idx");
  });

  it("emails.value eq and sw look up UserValue_tenantId_attr_value_idx, then the users by id", async () => {
    for (const filter of [`emails.value eq "${sampleEmail.toUpperCase()}"`, `emails.value sw "${sampleEmail.slice(0, sampleEmail.indexOf("@"))}"`]) {
      for (const count of [10, 0]) {
        // The element condition is looked up in UserValue first (list.ts whereOf); the page or the
        // count then reads users by the ids found, never walking the tenant's users.
        const [lookup, ...rest] = await listStatements("User", { filter, count });
        expect(lookup!.sql, describePlan(lookup!)).toMatch(/FROM \S*UserValue\W/);
        expectIndexed(lookup!, "UserValue", "UserValue_tenantId_attr_value_idx");
        expect(rest.length, filter).toBeGreaterThan(0);
        for (const statement of rest) {
          const message = describePlan(statement);
          expect(statement.accesses.filter((access) => access.index === undefined), message).toEqual([]);
          expect(statement.accesses.filter((access) => !access.narrowed), message).toEqual([]);
          expect(statement.accesses.some((access) => access.table === "UserValue"), message).toBe(false);
        }
      }
    }
  });

  it.each([
    [`${bytebaseUserSchema.id}:uid eq 877`, "ExtensionValue_tenantId_attr_num_idx"],
    [`${bytebaseUserSchema.id}:uid ge 100095`, "ExtensionValue_tenantId_attr_num_idx"],
    [`${vyteUserSchema.id}:objectId eq "${sampleObjectId}"`, "ExtensionValue_tenantId_attr_value_idx"],
  ])("%s looks up %s, then the users by id", async (filter, index) => {
    const [lookup, ...rest] = await listStatements("User", { filter, count: 10 });
    expect(lookup!.sql, describePlan(lookup!)).toMatch(/FROM \S*ExtensionValue\W/);
    expectIndexed(lookup!, "ExtensionValue", index);
    const page = rest.find(isPage);
    expect(page, filter).toBeDefined();
    expect(page!.accesses.filter((access) => access.index === undefined), describePlan(page!)).toEqual([]);
    expect(page!.accesses.some((access) => access.table === "ExtensionValue"), describePlan(page!)).toBe(false);
  });

  describe("a cursor deep in the list starts an index range at the cursor", () => {
    const cases: Array<[string, QueryParameters, "id" | "userName" | "created", string | readonly string[]]> = [
      // Ids are time-ordered, so the primary key is in the table's own order, and PostgreSQL may
      // walk it from the cursor, dropping other tenants' rows, rather than the tenant's index.
      ["by id", {}, "id", ["User_tenantId_id_idx", "User_pkey"]],
      ["by userName", { sortBy: "userName" }, "userName", "User_tenantId_userName_key"],
      ["by meta.created descending", { sortBy: "meta.created", sortOrder: "descending" }, "created", "User_tenantId_created_id_idx"],
    ];
    for (const [name, parameters, sortColumn, index] of cases) {
      it(name, async () => {
        const query = readListQuery({ ...parameters, count: 10, cursor: "" }, userResourceType, schemaRegistry, limits);
        const key = sortKeyOf(query, userTarget);
        const direction = key.direction;
        // The row 60,000 places in, as a previous page would have ended on it.
        const [row] = await database.prisma.user.findMany({
          where: { tenantId },
          orderBy: sortColumn === "id" ? [{ id: direction }] : [{ [sortColumn]: direction }, { id: direction }],
          skip: 60_000,
          take: 1,
          select: { id: true, userName: true, created: true },
        });
        const value = sortColumn === "id" ? undefined : row![sortColumn];
        const sent = await listStatements("User", { ...parameters, count: 10, cursor: "" }, (base) => ({ ...base, cursor: encodeCursor(base, key, { id: row!.id, value }) }));
        const page = sent.find(isPage)!;
        expectIndexed(page, "User", index);
        expect(page.plan, describePlan(page)).not.toMatch(/TEMP B-TREE|"Sort"/);
        expectTenantCount(sent.find(isCount)!);
      });
    }
  });

  it("the total of an unfiltered list is the tenant's count, read by its key, not counted", async () => {
    for (const resourceType of ["User", "Group"] as const) {
      const sent = await listStatements(resourceType, { count: 0 });
      expect(sent).toHaveLength(1);
      expectTenantCount(sent[0]!);
    }
  });

  it("the Bytebase login, which looks in every tenant, finds the user by User_userName_idx", async () => {
    statements = [];
    await new SqlUserStore(database.sql).authenticate(undefined, sampleEmail, async () => false);
    const sent = await Promise.all(statements.map(explain));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.accesses.map((access) => [access.table, access.index]), describePlan(sent[0]!)).toStrictEqual([["User", "User_userName_idx"]]);
  });
});
