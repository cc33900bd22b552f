import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet } from "jose";
import pino from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../../src/config.ts";
import { setClaims, signSet } from "../../src/events/set.ts";
import { eventSigningKey } from "../../src/events/signing-key.ts";
import { buildServer, type Server } from "../../src/server.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { publicBaseUrl } from "./fixture.ts";

// The key that signs SETs: published as a JWK Set without credentials, generated once per
// database and shared by every server on it, or the operator's EVENTS_SIGNING_KEY.

const pem = (key: ReturnType<typeof generateKeyPairSync>["privateKey"]) => key.export({ type: "pkcs8", format: "pem" }) as string;
const p256 = () => pem(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);

interface Jwks {
  keys: Record<string, string>[];
}

let database: TestDatabase;
const servers: Server[] = [];

async function start(env: Record<string, string> = {}): Promise<Server> {
  const server = await buildServer(readConfig({ DATABASE_URL: database.url, PUBLIC_BASE_URL: publicBaseUrl, ...env }), pino({ level: "silent" }));
  servers.push(server);
  return server;
}

async function jwksOf(server: Server): Promise<Jwks> {
  const response = await request(server.app).get("/events/jwks.json").expect(200);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  return response.body as Jwks;
}

async function storedKeys(server: Server): Promise<number> {
  const rows = await server.database.sql.query<{ key: string }>(`SELECT "key" FROM "Setting" WHERE "key" LIKE 'events.%'`, []);
  return rows.length;
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await database.drop();
});

describe("GET /events/jwks.json", () => {
  it("publishes the public key only, for ES256 signatures, named by its RFC 7638 thumbprint", async () => {
    const { keys } = await jwksOf(await start());
    expect(keys).toHaveLength(1);
    const [key] = keys as [Record<string, string>];
    expect(Object.keys(key).sort()).toStrictEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    expect(key).toMatchObject({ kty: "EC", crv: "P-256", use: "sig", alg: "ES256" });
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: "EC", crv: "P-256", x: key.x, y: key.y }, "sha256"));
  });

  it("is the key SETs verify with", async () => {
    const server = servers[0] as Server;
    const event = {
      id: "e-1", type: "user.deleted", tenant: "acme", sequence: 1, occurredAt: new Date().toISOString(),
      resource: { type: "User", id: "u-1", externalId: null, version: 3 }, data: {},
    } as const;
    const token = signSet(setClaims(event, "full", publicBaseUrl, undefined, new Date()), server.securityEvents.key);
    const verified = await compactVerify(token, createLocalJWKSet((await jwksOf(server)) as never));
    expect(verified.protectedHeader.kid).toBe(server.securityEvents.key.kid);
  });
});

describe("the generated key", () => {
  it("is made once and kept with the data: a second server on the database signs with it", async () => {
    const first = await jwksOf(servers[0] as Server);
    const second = await jwksOf(await start());
    expect(second).toStrictEqual(first);
    expect(await storedKeys(servers[0] as Server)).toBe(1);
  });

  it("is one key when servers on one database make it at the same time", async () => {
    const [first, second] = servers as [Server, Server];
    await first.database.sql.execute(`DELETE FROM "Setting" WHERE "key" LIKE 'events.%'`, []);
    const made = await Promise.all([first, second, first, second].map((server) => eventSigningKey(undefined, (key, create) => server.credentials.setting(key, create))));
    expect(new Set(made.map((key) => key.kid)).size).toBe(1);
    expect(await storedKeys(first)).toBe(1);
  });
});

describe("EVENTS_SIGNING_KEY", () => {
  it("signs instead of a generated key, and is not stored", async () => {
    const scratch = await createTestDatabase();
    try {
      const key = p256();
      const server = await buildServer(readConfig({ DATABASE_URL: scratch.url, EVENTS_SIGNING_KEY: key.replaceAll("\n", "\\n") }), pino({ level: "silent" }));
      try {
        const { keys } = await jwksOf(server);
        const { x, y } = createPublicKey(key).export({ format: "jwk" });
        expect(keys[0]).toMatchObject({ x, y });
        expect(await storedKeys(server)).toBe(0);
      } finally {
        await server.close();
      }
    } finally {
      await scratch.drop();
    }
  });

  it.each([
    ["text that is no key", "not a key", "not a PEM private key"],
    ["an RSA key", pem(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey), "P-256"],
    ["a P-384 key", pem(generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey), "P-256"],
    ["a public key", generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }) as string, "not a PEM private key"],
  ])("refuses %s at start, naming the variable", (_name, value, problem) => {
    expect(() => readConfig({ EVENTS_SIGNING_KEY: value })).toThrow(ConfigError);
    expect(() => readConfig({ EVENTS_SIGNING_KEY: value })).toThrow(new RegExp(`^EVENTS_SIGNING_KEY: .*${problem}`));
  });
});
