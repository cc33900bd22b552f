import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPostgresUrl } from "../support/databases.ts";
import { buildBundle, serverEnv, startProcess } from "../support/process.ts";

// A start that cannot succeed prints one line on stderr naming the setting and the cause, with
// no stack trace, and exits non-zero. Each case starts the bundle `npm start` runs.

let bundle: string;
let dir: string;
let occupied: Server;
let occupiedPort: number;

beforeAll(async () => {
  bundle = await buildBundle("startup-failures");
  dir = mkdtempSync(join(tmpdir(), "scim-startup-"));
  writeFileSync(join(dir, "garbage.pem"), "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n");
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  writeFileSync(join(dir, "ec.pem"), publicKey.export({ type: "spki", format: "pem" }));
  occupied = createServer();
  await new Promise<void>((done) => occupied.listen(0, "127.0.0.1", done));
  occupiedPort = (occupied.address() as { port: number }).port;
}, 180_000);

afterAll(() => {
  occupied?.close();
  rmSync(dir, { recursive: true, force: true });
});

const postgres = new URL(process.env.TEST_POSTGRES_URL ?? defaultPostgresUrl);

async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const server = startProcess(process.execPath, ["--enable-source-maps", bundle], {
    cwd: dir,
    env: serverEnv({ HOST: "127.0.0.1", PORT: "0", DATABASE_URL: `file:${join(dir, "scim.db")}`, LOG_LEVEL: "silent", ...env }),
  });
  const { code } = await server.exited();
  return { code, stderr: server.stderr() };
}

describe("start-up failures", { timeout: 60_000 }, () => {
  it.each([
    { name: "port in use", env: () => ({ PORT: String(occupiedPort) }), setting: "PORT", cause: /already in use/ },
    { name: "an address this machine lacks", env: () => ({ HOST: "10.255.255.1" }), setting: "HOST", cause: /not an address of this machine/ },
    { name: "a host name that does not resolve", env: () => ({ HOST: "no-such-host.invalid" }), setting: "HOST", cause: /does not resolve/ },
    { name: "a HOST that is no address", env: () => ({ HOST: "http://x/" }), setting: "HOST", cause: /IP address or a host name/ },
    { name: "a value that is not a number", env: () => ({ PORT: "eighty" }), setting: "PORT", cause: /whole number/ },
    {
      name: "PostgreSQL unreachable",
      env: () => ({ DATABASE_URL: `postgresql://scim:pw-unseen@127.0.0.1:1/scim` }),
      setting: "DATABASE_URL",
      cause: /postgresql 127\.0\.0\.1:1\/scim: connection refused/,
    },
    {
      name: "PostgreSQL database missing",
      env: () => ({ DATABASE_URL: `postgresql://${postgres.username}:pw-unseen@${postgres.host}/no_such_database_here` }),
      setting: "DATABASE_URL",
      cause: /no_such_database_here: the database does not exist/,
    },
    {
      name: "a SQLite path whose folder does not exist",
      env: () => ({ DATABASE_URL: `file:${join(dir, "missing", "scim.db")}` }),
      setting: "DATABASE_URL",
      cause: /folder .*missing does not exist/,
    },
    { name: "a file that is not a SQLite database", env: () => ({ DATABASE_URL: `file:${join(dir, "garbage.pem")}` }), setting: "DATABASE_URL", cause: /not a SQLite database/ },
    {
      name: "a key file that does not exist",
      env: () => ({ TOKEN_ALGORITHM: "RS256", TOKEN_PUBLIC_KEY_FILE: join(dir, "absent.pem") }),
      setting: "TOKEN_PUBLIC_KEY_FILE",
      cause: /absent\.pem: no such file/,
    },
    {
      name: "a key file that holds no key",
      env: () => ({ TOKEN_ALGORITHM: "RS256", TOKEN_PUBLIC_KEY_FILE: join(dir, "garbage.pem") }),
      setting: "TOKEN_PUBLIC_KEY_FILE",
      cause: /not a PEM public key/,
    },
    {
      name: "a key file with a key of the wrong type",
      env: () => ({ TOKEN_ALGORITHM: "RS256", TOKEN_PUBLIC_KEY_FILE: join(dir, "ec.pem") }),
      setting: "TOKEN_PUBLIC_KEY_FILE",
      cause: /RS256 needs an RSA key, not EC/,
    },
  ])("$name: one line naming $setting, no stack trace, non-zero exit", async ({ env, setting, cause }) => {
    const { code, stderr } = await start(env());
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^scim-server cannot start: ${setting}: `));
    expect(lines[0]).toMatch(cause);
    expect(stderr).not.toMatch(/\n\s+at |pw-unseen/);
  });
});
