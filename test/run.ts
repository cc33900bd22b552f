// Runs the whole suite once per database: SQLite always, PostgreSQL when reachable (required
// when CI=true). Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPostgresUrl, postgresReachable } from "./support/databases.ts";

const args = process.argv.slice(2);
const reports = mkdtempSync(join(tmpdir(), "scim-vitest-"));
const postgresUrl = process.env.TEST_POSTGRES_URL ?? defaultPostgresUrl;

interface Outcome {
  readonly database: string;
  readonly passed: number;
  readonly failed: number;
  readonly ok: boolean;
}

function run(database: "sqlite" | "postgresql"): Outcome {
  console.log(`\n=== test suite on ${database} ===`);
  const report = join(reports, `${database}.json`);
  const result = spawnSync(
    process.execPath,
    [join("node_modules", "vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
    { stdio: "inherit", env: { ...process.env, TEST_DATABASE: database, TEST_POSTGRES_URL: postgresUrl } },
  );
  let passed = 0;
  let failed = 0;
  try {
    const json = JSON.parse(readFileSync(report, "utf8")) as { numPassedTests: number; numFailedTests: number };
    passed = json.numPassedTests;
    failed = json.numFailedTests;
  } catch {
    failed = Math.max(failed, 1);
  }
  return { database, passed, failed, ok: result.status === 0 && passed > 0 };
}

const outcomes = [run("sqlite")];
if (await postgresReachable(postgresUrl)) {
  outcomes.push(run("postgresql"));
} else if (process.env.CI === "true") {
  console.error(`\nPostgreSQL is not reachable at ${postgresUrl}, and CI requires it.`);
  outcomes.push({ database: "postgresql", passed: 0, failed: 1, ok: false });
} else {
  console.log(`\n*** PostgreSQL was NOT run: nothing answers at ${postgresUrl} (set TEST_POSTGRES_URL). ***`);
}

console.log("");
for (const outcome of outcomes) console.log(`${outcome.database}: ${outcome.passed} passed, ${outcome.failed} failed`);
const passed = outcomes.reduce((sum, outcome) => sum + outcome.passed, 0);
const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(outcomes.every((outcome) => outcome.ok) ? 0 : 1);
