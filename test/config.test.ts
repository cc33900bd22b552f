import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../src/config.ts";

describe("configuration", () => {
  it("needs nothing: every variable has a default", () => {
    const config = readConfig({});
    expect(config).toMatchObject({ PORT: 8080, DATABASE_URL: "file:./data/scim.db", TOKEN_ALGORITHM: "HS256" });
    expect(config.TOKEN_SECRET).toBeUndefined();
  });

  it("treats empty values as unset", () => {
    expect(readConfig({ PORT: "", TOKEN_SECRET: "" }).PORT).toBe(8080);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ TOKEN_ALGORITHM: "none" }, "TOKEN_ALGORITHM"],
    [{ TOKEN_SECRET: "short" }, "TOKEN_SECRET"],
    [{ TOKEN_ALGORITHM: "RS256" }, "TOKEN_PUBLIC_KEY"],
    [{ MAX_PAGE_SIZE: "0" }, "MAX_PAGE_SIZE"],
    [{ DEFAULT_PAGE_SIZE: "500", MAX_PAGE_SIZE: "100" }, "DEFAULT_PAGE_SIZE"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
  ])("rejects %o naming %s", (env, variable) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(new RegExp(`\\b${variable}\\b`));
  });
});
