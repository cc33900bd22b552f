import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadEnvFile, readConfig, settingNames } from "../src/config.ts";

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
    [{ LOG_FORMAT: "xml" }, "LOG_FORMAT"],
    [{ PUBLIC_BASE_URL: "https://scim.example.com/scim/v2" }, "PUBLIC_BASE_URL"],
    [{ HOST: "0.0.0.0:8080" }, "HOST"],
    [{ SHUTDOWN_TIMEOUT_SECONDS: "-1" }, "SHUTDOWN_TIMEOUT_SECONDS"],
    [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN"],
    [{ METRICS_TENANT_LABEL: "yes" }, "METRICS_TENANT_LABEL"],
    [{ TOKEN_ALGORITHM: "RS256", TOKEN_PUBLIC_KEY: "not a key" }, "TOKEN_PUBLIC_KEY"],
    [{ TOKEN_ALGORITHM: "ES256", TOKEN_PUBLIC_KEY_FILE: "/no/such/key.pem" }, "TOKEN_PUBLIC_KEY_FILE"],
  ])("rejects %o naming %s, in one line", (env, variable) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(new RegExp(`^${variable}: [^\\n]+$`));
  });

  it("names every bad variable in one line", () => {
    expect(() => readConfig({ PORT: "x", LOG_LEVEL: "loud" })).toThrow(/^PORT, LOG_LEVEL: [^\n]+; [^\n]+$/);
  });

  it("reads RS256 and ES256 keys from files, and refuses a key of the wrong kind", () => {
    const dir = mkdtempSync(join(tmpdir(), "scim-keys-"));
    try {
      const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      writeFileSync(join(dir, "rsa.pem"), rsa.publicKey.export({ type: "spki", format: "pem" }));
      writeFileSync(join(dir, "rsa-private.pem"), rsa.privateKey.export({ type: "pkcs8", format: "pem" }));
      writeFileSync(join(dir, "ec.pem"), ec.publicKey.export({ type: "spki", format: "pem" }));
      const config = readConfig({ TOKEN_ALGORITHM: "RS256", TOKEN_PUBLIC_KEY_FILE: join(dir, "rsa.pem"), TOKEN_PRIVATE_KEY_FILE: join(dir, "rsa-private.pem") });
      expect(config.TOKEN_PUBLIC_KEY).toContain("BEGIN PUBLIC KEY");
      expect(config.TOKEN_PRIVATE_KEY).toContain("BEGIN PRIVATE KEY");
      expect(readConfig({ TOKEN_ALGORITHM: "ES256", TOKEN_PUBLIC_KEY_FILE: join(dir, "ec.pem") }).TOKEN_PUBLIC_KEY).toContain("BEGIN PUBLIC KEY");
      expect(() => readConfig({ TOKEN_ALGORITHM: "ES256", TOKEN_PUBLIC_KEY_FILE: join(dir, "rsa.pem") })).toThrow(/^TOKEN_PUBLIC_KEY_FILE: ES256 needs an EC key, not RSA$/);
      expect(() => readConfig({ TOKEN_ALGORITHM: "RS256", TOKEN_PUBLIC_KEY: "x", TOKEN_PUBLIC_KEY_FILE: join(dir, "rsa.pem") })).toThrow(/not both/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(".env.example", () => {
  const lines = readFileSync(join(import.meta.dirname, "..", ".env.example"), "utf8").split("\n");
  const listed = new Map(lines.flatMap((line) => {
    const match = /^#? ?([A-Z][A-Z0-9_]+)=(.*)$/.exec(line);
    return match ? [[match[1] as string, { value: match[2] as string, set: !line.startsWith("#") }] as const] : [];
  }));

  it("lists every variable the server reads, and no other", () => {
    expect([...listed.keys()].sort()).toStrictEqual([...settingNames].sort());
  });

  it("gives each default as the server has it", () => {
    const defaults = readConfig({}) as Record<string, unknown>;
    for (const [name, { value, set }] of listed) {
      if (set) expect(String(defaults[name]), name).toBe(value);
      else expect(defaults[name], name).toBeUndefined();
    }
  });
});

describe(".env", () => {
  const names = ["SCIM_TEST_FROM_FILE", "SCIM_TEST_FROM_BOTH", "SCIM_TEST_QUOTED"];
  afterEach(() => {
    for (const name of names) delete process.env[name];
  });

  it("is read from the given folder; variables already set win over the file's", () => {
    const dir = mkdtempSync(join(tmpdir(), "scim-env-"));
    try {
      writeFileSync(join(dir, ".env"), "# a comment\nSCIM_TEST_FROM_FILE=file\nSCIM_TEST_FROM_BOTH=file\nSCIM_TEST_QUOTED=\"two words\"\n");
      process.env.SCIM_TEST_FROM_BOTH = "environment";
      loadEnvFile(dir);
      expect(process.env.SCIM_TEST_FROM_FILE).toBe("file");
      expect(process.env.SCIM_TEST_FROM_BOTH).toBe("environment");
      expect(process.env.SCIM_TEST_QUOTED).toBe("two words");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is optional", () => {
    const dir = mkdtempSync(join(tmpdir(), "scim-env-"));
    try {
      expect(() => loadEnvFile(dir)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
