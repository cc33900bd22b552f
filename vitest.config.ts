import { defineConfig } from "vitest/config";

// TEST_DATABASE=sqlite|postgresql picks the database every test file runs against; `npm test`
// runs the suite once per database (test/run.ts).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
