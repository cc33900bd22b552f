import pino, { type Logger } from "pino";
import request from "supertest";
import type { Scope } from "../../src/auth/ports.ts";
import type { CompatApiName } from "../../src/compat/apis.ts";
import { readConfig, type Config } from "../../src/config.ts";
import { createHttpServer } from "../../src/http/listener.ts";
import { buildServer, type Server } from "../../src/server.ts";
import type { DatabaseOptions } from "../../src/store/database.ts";
import { createTestDatabase, type TestDatabase } from "./databases.ts";

// A server on a fresh database, with helpers to issue tokens and send SCIM requests.

export interface TestApp {
  readonly server: Server;
  readonly database: TestDatabase;
  // Issues a token for a tenant (created on first use).
  token(tenant?: string, scopes?: readonly Scope[], subject?: string): Promise<string>;
  // A credential for a compat API, in the form its clients send (a JWT or the product's API key).
  credential(surface: CompatApiName, tenant?: string, options?: { scopes?: readonly Scope[]; subject?: string }): Promise<string>;
  // A supertest agent bound to the app, served as src/main.ts serves it.
  http(): ReturnType<typeof request>;
  // A SCIM client for one tenant: paths are relative to /scim/v2.
  client(tenant?: string, scopes?: readonly Scope[]): Promise<ScimClient>;
  close(): Promise<void>;
}

export interface ScimClient {
  readonly token: string;
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
  patch(path: string, body?: unknown): request.Test;
  delete(path: string): request.Test;
}

// `logger` receives the server's log (silent unless given); `databaseOptions.onQuery` every
// statement the server sends.
export async function startTestApp(
  env: Record<string, string> = {},
  logger: Logger = pino({ level: "silent" }),
  databaseOptions: DatabaseOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config: Config = readConfig({ DATABASE_URL: database.url, ...env });
  const server = await buildServer(config, logger, databaseOptions);
  const http = () => request(createHttpServer(server.app));
  const token = async (tenant = "acme", scopes: readonly Scope[] = ["scim:read", "scim:write"], subject?: string) => {
    const { id } = await server.tenants.ensure(tenant);
    const issued = await server.tokens.issue({ tenantId: id, scopes, ...(subject ? { subject } : {}) });
    return issued.token;
  };
  return {
    server,
    database,
    token,
    http,
    async credential(surface, tenant = "acme", options = {}) {
      const { id } = await server.tenants.ensure(tenant);
      const issued = await server.issueCompatCredential({
        tenantId: id,
        surface,
        scopes: options.scopes ?? ["scim:read", "scim:write"],
        ...(options.subject ? { subject: options.subject } : {}),
      });
      return issued.credential;
    },
    async client(tenant = "acme", scopes = ["scim:read", "scim:write"] as readonly Scope[]) {
      const bearer = await token(tenant, scopes);
      const auth = (test: request.Test) => test.set("Authorization", `Bearer ${bearer}`);
      const withBody = (test: request.Test, body: unknown) =>
        body === undefined ? auth(test) : auth(test).set("Content-Type", "application/scim+json").send(JSON.stringify(body));
      return {
        token: bearer,
        get: (path) => auth(http().get(`/scim/v2${path}`)),
        post: (path, body) => withBody(http().post(`/scim/v2${path}`), body),
        put: (path, body) => withBody(http().put(`/scim/v2${path}`), body),
        patch: (path, body) => withBody(http().patch(`/scim/v2${path}`), body),
        delete: (path) => auth(http().delete(`/scim/v2${path}`)),
      };
    },
    async close() {
      await server.close();
      await database.drop();
    },
  };
}
