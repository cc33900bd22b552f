import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The two schema files are one model: they may differ only in provider and generated-client path.
describe("prisma schema files", () => {
  it("prisma/sqlite and prisma/postgresql describe the same model", () => {
    const normalise = (path: string) =>
      readFileSync(path, "utf8")
        .replace(/prisma\/(sqlite|postgresql)\/schema\.prisma/g, "prisma/<provider>/schema.prisma")
        .replace(/generated\/(sqlite|postgresql)/g, "generated/<provider>")
        .replace(/provider = "(sqlite|postgresql)"/g, 'provider = "<provider>"');
    const sqlite = normalise("prisma/sqlite/schema.prisma");
    expect(sqlite).toContain('provider = "<provider>"');
    expect(normalise("prisma/postgresql/schema.prisma")).toBe(sqlite);
  });
});
