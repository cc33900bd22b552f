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
  readonly failures: readonly string[];
  readonly ok: boolean;
}

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  testResults?: {
    name: string;
    status?: string;
    message?: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

/**
 * One line per failed test (file, name, first line of its error), so the end of a log says what
 * broke. A file that failed without a failed test (it did not load, or a hook or an unhandled
 * error failed it) counts as one failure of its own.
 */
function failuresOf(report: Report, database: string): string[] {
  const lines: string[] = [];
  for (const file of report.testResults ?? []) {
    const path = file.name.replace(`${process.cwd()}/`, "");
    const failed = (file.assertionResults ?? []).filter((result) => result.status === "failed");
    for (const result of failed) {
      const message = (result.failureMessages?.[0] ?? "").split("\n")[0]!.slice(0, 300);
      lines.push(`[${database}] ${path} > ${result.fullName}: ${message}`);
    }
    if (failed.length === 0 && (file.status === "failed" || file.message)) {
      lines.push(`[${database}] ${path}: ${(file.message || "the file failed").split("\n")[0]!.slice(0, 300)}`);
    }
  }
  return lines;
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
  let failures: string[] = [];
  try {
    const json = JSON.parse(readFileSync(report, "utf8")) as Report;
    passed = json.numPassedTests;
    failures = failuresOf(json, database);
  } catch {
    failures = [`[${database}] vitest wrote no readable report (exit status ${result.status})`];
  }
  // The summary line and the exit status always agree: a run vitest failed (an unhandled error,
  // say) with nothing failed in its report counts as one failure.
  if (failures.length === 0 && result.status !== 0) failures = [`[${database}] vitest exited with status ${result.status}`];
  if (failures.length === 0 && passed === 0) failures = [`[${database}] no test ran`];
  return { database, passed, failed: failures.length, failures, ok: failures.length === 0 };
}

const outcomes = [run("sqlite")];
if (await postgresReachable(postgresUrl)) {
  outcomes.push(run("postgresql"));
} else if (process.env.CI === "true") {
  console.error(`\nPostgreSQL is not reachable at ${postgresUrl}, and CI requires it.`);
  outcomes.push({ database: "postgresql", passed: 0, failed: 1, failures: [`[postgresql] not reachable at ${postgresUrl}`], ok: false });
} else {
  console.log(`\n*** PostgreSQL was NOT run: nothing answers at ${postgresUrl} (set TEST_POSTGRES_URL). ***`);
}

console.log("");
const failures = outcomes.flatMap((outcome) => outcome.failures);
if (failures.length > 0) {
  console.log("Failed:");
  for (const line of failures) console.log(`  ${line}`);
  console.log("");
}
for (const outcome of outcomes) console.log(`${outcome.database}: ${outcome.passed} passed, ${outcome.failed} failed`);
const passed = outcomes.reduce((sum, outcome) => sum + outcome.passed, 0);
const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(outcomes.every((outcome) => outcome.ok) ? 0 : 1);
