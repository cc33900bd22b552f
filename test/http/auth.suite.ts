import { generateKeyPairSync, randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";
import { expectScimError } from "../support/responses.ts";
import { publicBaseUrl } from "./resource.behaviour.ts";

// The shared auth suite (RFC 6750, RFC 7644 §2): every endpoint given answers 401 with
// WWW-Authenticate to anything but a valid, unrevoked HS256 token of this server, and 403 to a
// token whose scopes do not allow the request. Paths may name the fixtures ":user" and ":group".

export interface AuthEndpoint {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  readonly path: string;
  readonly body?: unknown;
  // A POST that only reads (/.search), open to read-only tokens.
  readonly reads?: boolean;
}

const secret = "auth-suite-secret-0123456789-abcdefghijklmnop";
const issuer = "scim-server";

interface Credentials {
  // A valid token of the fixture tenant and its claims.
  readonly token: string;
  readonly claims: jwt.JwtPayload;
  readonly revoked: string;
  readonly otherTenantId: string;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const unsigned = (alg: string, claims: object) => `${base64url({ alg, typ: "JWT" })}.${base64url(claims)}.`;
const now = () => Math.floor(Date.now() / 1000);
const rsaKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const ecKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;

// Authorization header values the server must answer 401 to; undefined sends none.
const rejectedCredentials: readonly [string, (credentials: Credentials) => string | undefined][] = [
  ["no Authorization header", () => undefined],
  ["Okta's `Authorization: non-token`", () => "non-token"],
  ["Basic credentials", () => `Basic ${Buffer.from("admin:admin").toString("base64")}`],
  ["the token without the Bearer scheme", (c) => c.token],
  ["the token under another scheme", (c) => `Token ${c.token}`],
  ["an empty bearer token", () => "Bearer "],
  ["a bearer token that is no JWT", () => "Bearer not-a-jwt"],
  ["two bearer tokens", (c) => `Bearer ${c.token} ${c.token}`],
  ["a token signed with another secret", (c) => `Bearer ${jwt.sign(c.claims, `${secret}-but-another`, { algorithm: "HS256" })}`],
  ["an unsigned token (alg none)", (c) => `Bearer ${unsigned("none", c.claims)}`],
  ["an unsigned token (alg None)", (c) => `Bearer ${unsigned("None", c.claims)}`],
  ["an unsigned token (alg NONE)", (c) => `Bearer ${unsigned("NONE", c.claims)}`],
  ["an HS256 header with the signature stripped", (c) => `Bearer ${c.token.slice(0, c.token.lastIndexOf(".") + 1)}`],
  ["a token signed with the right secret but HS384", (c) => `Bearer ${jwt.sign(c.claims, secret, { algorithm: "HS384" })}`],
  ["a token signed with the right secret but HS512", (c) => `Bearer ${jwt.sign(c.claims, secret, { algorithm: "HS512" })}`],
  ["a token signed with RS256", (c) => `Bearer ${jwt.sign(c.claims, rsaKey, { algorithm: "RS256" })}`],
  ["a token signed with ES256", (c) => `Bearer ${jwt.sign(c.claims, ecKey, { algorithm: "ES256" })}`],
  ["an expired token", (c) => `Bearer ${jwt.sign({ ...c.claims, exp: now() - 60 }, secret, { algorithm: "HS256" })}`],
  ["a token not valid yet", (c) => `Bearer ${jwt.sign({ ...c.claims, nbf: now() + 3600 }, secret, { algorithm: "HS256" })}`],
  ["a token of another issuer", (c) => `Bearer ${jwt.sign({ ...c.claims, iss: "someone-else" }, secret, { algorithm: "HS256" })}`],
  ["a token without an issuer", (c) => `Bearer ${jwt.sign({ ...c.claims, iss: undefined }, secret, { algorithm: "HS256" })}`],
  ["a token without an id (jti)", (c) => `Bearer ${jwt.sign({ ...c.claims, jti: undefined }, secret, { algorithm: "HS256" })}`],
  ["a token whose id was never issued", (c) => `Bearer ${jwt.sign({ ...c.claims, jti: randomUUID() }, secret, { algorithm: "HS256" })}`],
  [
    "a correctly signed token claiming another tenant",
    (c) => `Bearer ${jwt.sign({ ...c.claims, tenant: c.otherTenantId }, secret, { algorithm: "HS256" })}`,
  ],
  [
    "a token whose payload was swapped for another tenant's, keeping the signature",
    (c) => {
      const [header, , signature] = c.token.split(".");
      return `Bearer ${header}.${base64url({ ...c.claims, tenant: c.otherTenantId })}.${signature}`;
    },
  ],
  ["a revoked token", (c) => `Bearer ${c.revoked}`],
];

const isSafe = (endpoint: AuthEndpoint) => endpoint.method === "GET" || endpoint.reads === true;

export function describeAuthentication(endpoints: readonly AuthEndpoint[]): void {
  describe("authentication (shared auth suite)", () => {
    let app: TestApp;
    let scim: ScimClient;
    let credentials: Credentials;
    const fixtures = { user: "", group: "" };
    const snapshot: Record<string, unknown> = {};

    beforeAll(async () => {
      app = await startTestApp({ TOKEN_SECRET: secret, TOKEN_ISSUER: issuer, PUBLIC_BASE_URL: publicBaseUrl });
      scim = await app.client("auth-suite");
      fixtures.user = (await scim.post("/Users", { schemas: [userUrn], userName: "fixture-user" }).expect(201)).body.id;
      fixtures.group = (await scim.post("/Groups", { schemas: [groupUrn], displayName: "fixture-group" }).expect(201)).body.id;
      for (const path of ["/Users", "/Groups"]) snapshot[path] = (await scim.get(path).expect(200)).body;
      const revoked = await app.token("auth-suite");
      const revokedId = (jwt.decode(revoked) as jwt.JwtPayload).jti as string;
      expect(await app.server.tokens.revoke(revokedId)).toBe(true);
      credentials = {
        token: scim.token,
        claims: jwt.decode(scim.token) as jwt.JwtPayload,
        revoked,
        otherTenantId: (await app.server.tenants.ensure("auth-suite-other")).id,
      };
    });
    afterAll(() => app.close());

    const send = (endpoint: AuthEndpoint, authorization: string | undefined) => {
      const path = endpoint.path.replace(":user", fixtures.user).replace(":group", fixtures.group);
      let test = app.http()[endpoint.method.toLowerCase() as "get"](`/scim/v2${path}`);
      if (authorization !== undefined) test = test.set("Authorization", authorization);
      if (endpoint.body !== undefined) test = test.set("Content-Type", "application/scim+json").send(JSON.stringify(endpoint.body));
      return test;
    };

    it("the valid token's claims are what the forged ones are built from", () => {
      const header = JSON.parse(Buffer.from(credentials.token.split(".")[0] as string, "base64url").toString());
      expect(header).toStrictEqual({ alg: "HS256", typ: "JWT" });
      expect(credentials.claims).toMatchObject({ iss: issuer, jti: expect.any(String), tenant: expect.any(String) });
    });

    describe.each(endpoints)("$method $path", (endpoint) => {
      it.each(rejectedCredentials)("answers 401 with WWW-Authenticate to %s", async (_name, authorization) => {
        const response = await send(endpoint, authorization(credentials));
        expectScimError(response, 401);
        expect(response.headers["www-authenticate"]).toBe('Bearer realm="scim"');
      });

      if (isSafe(endpoint)) {
        it("accepts the valid token, with the scheme name in any case, and a read-only token alike", async () => {
          const expected = await send(endpoint, `Bearer ${credentials.token}`);
          expect([401, 403]).not.toContain(expected.status);
          for (const authorization of [`bearer ${credentials.token}`, `BEARER  ${credentials.token}`]) {
            expect((await send(endpoint, authorization)).status).toBe(expected.status);
          }
          const readOnly = await send(endpoint, `Bearer ${await app.token("auth-suite", ["scim:read"])}`);
          expect({ status: readOnly.status, body: readOnly.body }).toStrictEqual({ status: expected.status, body: expected.body });
        });
      } else {
        it("answers 403 to a read-only token", async () => {
          expectScimError(await send(endpoint, `Bearer ${await app.token("auth-suite", ["scim:read"])}`), 403);
        });
      }

      it("answers 403 to a token without SCIM scopes", async () => {
        expectScimError(await send(endpoint, `Bearer ${await app.token("auth-suite", [])}`), 403);
      });
    });

    it("none of the rejected requests changed anything", async () => {
      for (const path of ["/Users", "/Groups"]) expect((await scim.get(path).expect(200)).body).toStrictEqual(snapshot[path]);
    });
  });
}
