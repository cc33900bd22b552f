import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Express } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { userInput } from "../../src/compat/bytebase/contract.ts";
import { egUserSchema } from "../../src/compat/express-gateway/contract.ts";
import type { CompatApiName } from "../../src/compat/apis.ts";
import { routesOf } from "../../src/http/routes.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { schemaRegistry } from "../support/schemas.ts";

// GET /openapi.json describes every route the app serves and no other, in a valid OpenAPI 3.1
// document whose bodies are derived from the zod contracts and the SCIM schema registry; GET /docs
// renders it from files the server serves itself.

type Schema = Record<string, unknown>;
interface DocumentedOperation {
  readonly parameters?: readonly { name: string; in: string }[];
  readonly requestBody?: { content: Record<string, { schema: Schema }> };
  readonly responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Document {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, DocumentedOperation>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

let app: TestApp;
let document: Document;
beforeAll(async () => {
  app = await startTestApp();
  document = (await app.http().get("/openapi.json").expect(200)).body as Document;
});
afterAll(() => app.close());

// The zod contract's own JSON Schema, as a component should carry it.
const zodSchema = (schema: z.ZodType, io: "input" | "output") => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });
  return json;
};

const methods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

// "get /scim/v2/Users/{id}" for every documented operation. An AIP-136 custom method
// (/v1/users/{name}:undelete) is routed on its resource's path, the verb being part of the segment.
function documentedOperations(): Set<string> {
  return new Set(
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => methods.has(method))
        .map((method) => `${method} ${path.replace(/\}:[A-Za-z]+$/, "}")}`),
    ),
  );
}

// "get /scim/v2/Users/{id}" for every route of the app's route tables (src/http/routes.ts reads
// them from the router stack, without the catch-alls that answer 405). A wildcard ({*page}) is
// one parameter that spans segments.
function routedOperations(express: Express): Set<string> {
  return new Set(
    routesOf(express).flatMap((route) =>
      route.methods.map((method) => `${method.toLowerCase()} ${route.path.replace(/:(\w+)/g, "{$1}").replace(/\{\*(\w+)\}/g, "{$1}")}`),
    ),
  );
}

// Every component as a $def of one schema resource, so that ajv checks each against the JSON
// Schema 2020-12 meta-schema, resolves every reference, and validates instances.
function schemaChecker() {
  const base = "https://scim-server.invalid/openapi.json";
  const rebased = (schema: unknown) =>
    JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/components/schemas/', `"$ref":"${base}#/$defs/`)) as Schema;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: base, $defs: rebased(document.components.schemas) });
  for (const name of Object.keys(document.components.schemas)) expect(ajv.getSchema(`${base}#/$defs/${name}`), name).toBeTypeOf("function");
  return (schema: Schema, value: unknown) => {
    const validate = ajv.compile(rebased(schema));
    return validate(value) ? [] : (validate.errors ?? []);
  };
}

describe("GET /openapi.json", () => {
  it("answers JSON without a token", async () => {
    const response = await app.http().get("/openapi.json").expect(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await new Validator().validate(structuredClone(document) as never);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it("would be refused by the validator if it were broken", async () => {
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, { responses: Record<string, Schema> }>> };
    delete broken.paths["/scim/v2/Users"]?.get?.responses["200"]?.description;
    const result = await new Validator().validate(broken as never);
    expect(result.valid).toBe(false);
  });

  it("has component schemas that are JSON Schema 2020-12 and references that resolve", () => {
    expect(() => schemaChecker()).not.toThrow();
  });

  it("declares every parameter its paths name", () => {
    for (const [path, item] of Object.entries(document.paths)) {
      const named = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(item)) {
        const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === "path").map((parameter) => parameter.name);
        expect(declared.sort(), `${method} ${path}`).toEqual(named.sort());
      }
    }
  });

  it("documents every route of the app, and routes every operation it documents", () => {
    const routed = routedOperations(app.server.app);
    const documented = documentedOperations();
    expect(routed.size).toBeGreaterThan(80);
    expect([...routed].filter((operation) => !documented.has(operation))).toEqual([]);
    expect([...documented].filter((operation) => !routed.has(operation))).toEqual([]);
  });
});

describe("derived bodies", () => {
  const component = (name: string) => document.components.schemas[name] as Schema & { properties: Record<string, Schema>; required?: string[] };
  const bodyOf = (path: string, method: string) => document.paths[path]?.[method]?.requestBody?.content["application/json"]?.schema;

  it("takes compat bodies from the zod contracts", () => {
    expect(bodyOf("/compat/bytebase/v1/users", "post")).toEqual({ $ref: "#/components/schemas/bytebase.UserInput" });
    expect(component("bytebase.UserInput")).toEqual(zodSchema(userInput, "input"));
    expect(Object.keys(component("bytebase.UserInput").properties)).toEqual(expect.arrayContaining(["email", "title", "userType", "password"]));
    expect(component("expressGateway.User")).toEqual(zodSchema(egUserSchema, "output"));
    // A field whose preprocess sits in a pipe is still required when the parser requires it.
    expect(component("permApi.UserCreate").required).toEqual(["email", "password"]);
  });

  it("takes SCIM resources from the schema registry", () => {
    for (const resourceType of schemaRegistry.resourceTypes()) {
      const resource = component(`scim.${resourceType.name}`);
      const core = schemaRegistry.schemaById(resourceType.schema);
      for (const attribute of core?.attributes ?? []) expect(resource.properties[attribute.name], attribute.name).toBeDefined();
      expect(resource.required).toEqual(core?.attributes.filter((attribute) => attribute.required).map((attribute) => attribute.name));
      for (const extension of resourceType.schemaExtensions) {
        const name = schemaRegistry.schemaById(extension.schema)?.name;
        expect(resource.properties[extension.schema]).toEqual({ $ref: `#/components/schemas/scim.${name}` });
      }
    }
    const user = component("scim.User").properties;
    expect(user.id).toMatchObject({ type: "string", readOnly: true });
    expect(user.password).toMatchObject({ type: "string", writeOnly: true });
    expect(user.emails).toMatchObject({ type: "array", items: { type: "object", properties: { value: { type: "string" }, primary: { type: "boolean" } } } });
    expect(user.groups).toMatchObject({ items: { patternProperties: { "^\\$ref$": { type: "string", format: "uri-reference" } } } });
  });
});

// Real requests and answers checked against the operation the document gives for them: the
// request body against its requestBody, the answer against the response for its status.
describe("requests and answers fit the document", () => {
  type Surface = "none" | "scim" | CompatApiName;
  const exchanges: { surface: Surface; method: "get" | "post"; template: string; path?: string; body?: object; status: number }[] = [
    { surface: "none", method: "get", template: "/healthz", status: 200 },
    { surface: "none", method: "get", template: "/readyz", status: 200 },
    { surface: "none", method: "get", template: "/metrics", status: 200 },
    {
      surface: "scim",
      method: "post",
      template: "/scim/v2/Users",
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        userName: "openapi@example.com",
        name: { givenName: "Open", familyName: "Api" },
        emails: [{ value: "openapi@example.com", type: "work", primary: true }],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { employeeNumber: "42" },
      },
      status: 201,
    },
    { surface: "scim", method: "get", template: "/scim/v2/Users", status: 200 },
    { surface: "scim", method: "post", template: "/scim/v2/Groups", body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "OpenAPI" }, status: 201 },
    { surface: "scim", method: "post", template: "/scim/v2/.search", body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: "userName pr" }, status: 200 },
    {
      surface: "scim",
      method: "post",
      template: "/scim/v2/Bulk",
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [{ method: "POST", path: "/Users", bulkId: "b1", data: { userName: "bulk@example.com" } }],
      },
      status: 200,
    },
    { surface: "scim", method: "get", template: "/scim/v2/Groups/{id}", path: "/scim/v2/Groups/nope", status: 404 },
    { surface: "scim", method: "get", template: "/scim/v2/ServiceProviderConfig", status: 200 },
    { surface: "scim", method: "get", template: "/scim/v2/Schemas", status: 200 },
    { surface: "scim", method: "get", template: "/events", status: 200 },
    { surface: "scim", method: "get", template: "/events", path: "/events?after=nope", status: 400 },
    { surface: "scim", method: "post", template: "/events/poll", body: { returnImmediately: true }, status: 404 },
    { surface: "scim", method: "post", template: "/events/poll", path: "/events/poll", body: { maxEvents: -1 }, status: 400 },
    { surface: "none", method: "get", template: "/events/jwks.json", status: 200 },
    { surface: "bytebase", method: "post", template: "/compat/bytebase/v1/users", body: { email: "bb@example.com", title: "BB", userType: "USER" }, status: 200 },
    { surface: "bytebase", method: "get", template: "/compat/bytebase/v1/users/{name}", path: "/compat/bytebase/v1/users/99999", status: 404 },
    { surface: "bytebase", method: "post", template: "/compat/bytebase/v1/auth/login", body: { email: "bb@example.com", password: "wrong" }, status: 401 },
    { surface: "vyte", method: "get", template: "/compat/vyte/v2/users", status: 200 },
    { surface: "vyte", method: "post", template: "/compat/vyte/v2/teams", body: { name: "Team", extid: "t-1" }, status: 200 },
    { surface: "perm-api", method: "post", template: "/compat/perm-api/api/v2/user", body: { email: "perm@example.com", password: "Secret-123" }, status: 201 },
    { surface: "perm-api", method: "post", template: "/compat/perm-api/api/v2/user", body: { password: "Secret-123" }, status: 400 },
    { surface: "qase", method: "post", template: "/compat/qase/scim/v2/Users", body: { userName: "qase@example.com", name: { givenName: "Q", familyName: "A" } }, status: 201 },
    { surface: "express-gateway", method: "post", template: "/compat/express-gateway/users", body: { username: "eg", firstname: "E", lastname: "G" }, status: 200 },
    { surface: "express-gateway", method: "get", template: "/compat/express-gateway/users", status: 200 },
  ];

  let checker: ReturnType<typeof schemaChecker> | undefined;
  const authorization = async (surface: Surface) => {
    if (surface === "none") return undefined;
    if (surface === "scim") return `Bearer ${await app.token()}`;
    const credential = await app.credential(surface);
    return surface === "vyte" ? credential : surface === "express-gateway" ? `apiKey ${credential}` : `Bearer ${credential}`;
  };

  it.each(exchanges)("$surface $method $template answers $status", async ({ surface, method, template, path, body, status }) => {
    const check = (checker ??= schemaChecker());
    const operation = document.paths[template]?.[method];
    expect(operation).toBeDefined();
    if (body && status < 400) expect(check(operation?.requestBody?.content["application/json"]?.schema ?? {}, body)).toEqual([]);

    const credential = await authorization(surface);
    const request = credential ? app.http()[method](path ?? template).set("Authorization", credential) : app.http()[method](path ?? template);
    const response = await (body ? request.send(body) : request);
    expect(response.status).toBe(status);
    const documented = operation?.responses[String(status)]?.content;
    expect(documented).toBeDefined();
    const mediaType = Object.keys(documented ?? {})[0] as string;
    expect(response.headers["content-type"]).toContain(mediaType.split(";")[0]);
    const answer = /json/.test(mediaType) ? JSON.parse(response.text) : response.text;
    expect(check(documented?.[mediaType]?.schema ?? {}, answer)).toEqual([]);
  });
});

describe("GET /docs", () => {
  it("answers an HTML page, with headers that keep it to this server", async () => {
    const response = await app.http().get("/docs").expect(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    const policy = String(response.headers["content-security-policy"]).split(/;\s*/);
    expect(policy).toEqual(expect.arrayContaining(["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]));
    expect(policy.filter((directive) => /unsafe|https?:|\*/.test(directive))).toEqual([]);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["x-frame-options"]).toBe("DENY");
  });

  it("loads every script and stylesheet from this server", async () => {
    const page = (await app.http().get("/docs").expect(200)).text;
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/);
    const scripts = [...page.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1] as string);
    const links = [...page.matchAll(/<link[^>]*\bhref="([^"]+)"/g)].map((match) => match[1] as string);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    expect(links.some((href) => href.endsWith(".css"))).toBe(true);
    for (const url of [...scripts, ...links]) {
      expect(url, url).toMatch(/^\/(?!\/)/);
      const asset = await app.http().get(url);
      expect(asset.status, url).toBe(200);
      expect(asset.headers["x-content-type-options"], url).toBe("nosniff");
      if (scripts.includes(url)) expect(asset.headers["content-type"], url).toMatch(/javascript/);
      if (url.endsWith(".css")) expect(asset.headers["content-type"], url).toMatch(/^text\/css/);
    }
  });

  it("starts Swagger UI on this server's document, without asking another host", async () => {
    const page = (await app.http().get("/docs").expect(200)).text;
    const starter = [...page.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1] as string).find((url) => !url.includes("swagger-ui"));
    const script = (await app.http().get(starter ?? "").expect(200)).text;
    expect(script).toContain('url: "/openapi.json"');
    expect(script).toContain("validatorUrl: null");
    expect(script).not.toMatch(/https?:\/\//);
  });

  it("serves only the page's own files below /docs/assets", async () => {
    await app.http().get("/docs/assets/index.html").expect(404);
    await app.http().get("/docs/assets/swagger-initializer.js").expect(404);
    await app.http().get("/docs/assets/%2e%2e%2fpackage.json").expect(404);
  });
});
