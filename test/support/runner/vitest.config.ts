import { defineConfig } from "vitest/config";

// The suite runner's own test (test/runner.test.ts) runs it on these files only.
export default defineConfig({
  test: { root: import.meta.dirname, include: [process.env.RUNNER_FIXTURES ?? "*.fixture.ts"], pool: "forks" },
});
