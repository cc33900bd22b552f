import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

// `npm test` (test/run.ts): its closing line and its exit status agree, and a test file that
// fails to load counts as failed and is named. Run here on fixture files of its own, on SQLite
// only (PostgreSQL pointed at a port where nothing listens).

function runSuite(fixtures: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      "npx",
      ["tsx", "test/run.ts", "--config", "test/support/runner/vitest.config.ts"],
      { env: { ...process.env, CI: "", RUNNER_FIXTURES: fixtures, TEST_POSTGRES_URL: "postgresql://nobody@127.0.0.1:1/none" }, timeout: 120_000 },
      (error, stdout) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout }),
    );
  });
}

function closingLine(stdout: string): string {
  return stdout.trimEnd().split("\n").at(-1) as string;
}

describe("npm test's summary", { timeout: 120_000 }, () => {
  it("counts a file that fails to load as failed, names it, and exits 1", async () => {
    const { code, stdout } = await runSuite("*.fixture.ts");
    expect(closingLine(stdout)).toBe("total: 1 passed, 1 failed");
    expect(stdout).toMatch(/\[sqlite\] .*fails-to-load\.fixture\.ts: .*this file cannot be loaded/);
    expect(code).toBe(1);
  });

  it("exits 0 when nothing failed", async () => {
    const { code, stdout } = await runSuite("passes.fixture.ts");
    expect(closingLine(stdout)).toBe("total: 1 passed, 0 failed");
    expect(code).toBe(0);
  });
});
