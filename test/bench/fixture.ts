import { openDatabase, type Database } from "../../src/store/database.ts";
import { analyze, seedGroup, seedUsers, syntheticUsers, type SeedOptions, type SyntheticUser } from "../support/seed.ts";
import { SqlTenantStore } from "../../src/store/tenants.ts";
import { seedBaseline, type BaselineGroup } from "./baseline.ts";
import { seedBaselinePostgres } from "./baseline-pg.ts";
import { progress } from "./progress.ts";

// The data both servers start from: the same users (ids, attributes, timestamps), the same small
// teams, one large group, and reserve users that belong to no group, for workload (f) to add.

export interface FixtureSize {
  readonly users: number;
  readonly reserve: number;
}

export interface Fixture {
  readonly userIds: readonly string[];
  readonly userNames: readonly string[];
  readonly reserveIds: readonly string[];
  // Whether each reserve user is active, in the order of reserveIds.
  readonly reserveActive: readonly boolean[];
  readonly bigGroupName: string;
  readonly bigGroupSize: number;
}

const teams = 50;
const teamSize = 20;
const bigGroupName = "All Staff";
// The large group is this size, or every user when there are fewer.
const bigGroupLimit = 100_000;

function seedOptions(size: FixtureSize, now: Date): { users: SeedOptions; reserve: SeedOptions } {
  return {
    users: { seed: 1, now },
    reserve: { seed: 2, now, firstNumber: size.users + 1 },
  };
}

function groupsOf(userIds: readonly string[]): BaselineGroup[] {
  const groups: BaselineGroup[] = [];
  for (let team = 0; team < teams && team * teamSize < userIds.length; team++) {
    groups.push({ displayName: `Team ${String(team + 1).padStart(2, "0")}`, memberIds: userIds.slice(team * teamSize, (team + 1) * teamSize) });
  }
  groups.push({ displayName: bigGroupName, memberIds: userIds.slice(0, bigGroupLimit) });
  return groups;
}

// Seeds the baseline's database (a SQLite file, or an empty PostgreSQL database), and returns
// the fixture both servers share.
export async function seedBaselineFixture(database: string, size: FixtureSize, now: Date): Promise<Fixture> {
  const options = seedOptions(size, now);
  const userIds: string[] = [];
  const userNames: string[] = [];
  const reserveIds: string[] = [];
  const reserveActive: boolean[] = [];
  function* collected(): Generator<SyntheticUser> {
    for (const user of syntheticUsers(size.users, options.users)) {
      userIds.push(user.id);
      userNames.push(String(user.attributes.userName));
      yield user;
    }
    for (const user of syntheticUsers(size.reserve, options.reserve)) {
      reserveIds.push(user.id);
      reserveActive.push(user.attributes.active === true);
      yield user;
    }
  }
  const bar = progress("baseline: users and groups", size.users + size.reserve);
  if (/^postgres(ql)?:/.test(database)) await seedBaselinePostgres(database, collected(), () => groupsOf(userIds), bar.update);
  else seedBaseline(database, collected(), () => groupsOf(userIds), bar.update);
  bar.done();
  return { userIds, userNames, reserveIds, reserveActive, bigGroupName, bigGroupSize: Math.min(bigGroupLimit, userIds.length) };
}

// Seeds our database (migrated first) for the tenant, with the fixture's users and groups. The
// ids come out the same as the baseline's, which is checked.
export async function seedOurFixture(url: string, tenantName: string, size: FixtureSize, now: Date, fixture: Fixture): Promise<void> {
  const options = seedOptions(size, now);
  const database = await openDatabase(url);
  try {
    const tenant = await new SqlTenantStore(database.sql).ensure(tenantName);
    const bar = progress("ours: users", size.users + size.reserve);
    let userIds: string[] = [];
    let reserveIds: string[] = [];
    await loadedWithoutIndexes(database, ["User", "UserValue", "ExtensionValue"], async () => {
      userIds = await seedUsers(database, tenant.id, size.users, { ...options.users, onProgress: bar.update });
      reserveIds = await seedUsers(database, tenant.id, size.reserve, {
        ...options.reserve,
        onProgress: (inserted) => bar.update(size.users + inserted),
      });
    });
    bar.done();
    if (userIds.some((id, i) => id !== fixture.userIds[i]) || reserveIds.some((id, i) => id !== fixture.reserveIds[i])) {
      throw new Error("our users and the baseline's differ");
    }
    const groups = groupsOf(userIds);
    const groupBar = progress(`ours: groups (one of ${fixture.bigGroupSize} members)`, groups.length);
    for (const [i, group] of groups.entries()) {
      await seedGroup(database, tenant.id, group.displayName, group.memberIds);
      groupBar.update(i + 1);
    }
    groupBar.done();
    await analyze(database);
  } finally {
    await database.close();
  }
}

// A bulk load is faster into tables without their secondary indexes, each built afterwards by one
// sort, than with every row added to each index as it comes; on SQLite the page cache is made
// large enough for the whole load meanwhile. The indexes are built again whatever happens,
// the unique ones checking what was loaded.
async function loadedWithoutIndexes(database: Database, tables: readonly string[], load: () => Promise<void>): Promise<void> {
  const listed = tables.map(() => "?").join(", ");
  // Indexes that back no constraint (primary keys stay).
  const indexes =
    database.kind === "sqlite"
      ? await database.sql.query<{ name: string; sql: string }>(
          `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${listed})`,
          [...tables],
        )
      : await database.sql.query<{ name: string; sql: string }>(
          `SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (${listed})
             AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
          [...tables],
        );
  const [{ cache_size: cacheSize } = { cache_size: -2000 }] =
    database.kind === "sqlite" ? await database.sql.query<{ cache_size: number }>("PRAGMA cache_size", []) : [];
  if (database.kind === "sqlite") await database.sql.execute("PRAGMA cache_size = -1000000", []);
  for (const { name } of indexes) await database.sql.execute(`DROP INDEX "${name}"`, []);
  try {
    await load();
  } finally {
    for (const { sql } of indexes) await database.sql.execute(sql, []);
    if (database.kind === "sqlite") await database.sql.execute(`PRAGMA cache_size = ${Number(cacheSize)}`, []);
  }
}
