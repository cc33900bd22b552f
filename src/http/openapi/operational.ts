import { pathParameter, ref, reply, type ApiDescription } from "./spec.ts";

// The routes for operators and readers rather than provisioning clients: probes, metrics, and
// this description itself. None needs a tenant's credential.

export const operationalApi: ApiDescription = {
  tag: { name: "Operations", description: "Health and readiness probes, metrics, and this API description." },
  securitySchemes: {
    "metrics.bearer": { type: "http", scheme: "bearer", description: "The METRICS_TOKEN setting, when it is set." },
  },
  schemas: {
    "operations.Health": {
      type: "object",
      required: ["status"],
      properties: { status: { type: "string", const: "ok" } },
    },
    "operations.Readiness": {
      type: "object",
      required: ["status"],
      properties: {
        status: { type: "string", examples: ["ready", "unavailable"] },
        database: { type: "string", enum: ["reachable", "unreachable"] },
        migrations: { description: "\"applied\", or the migrations still pending." },
      },
    },
  },
  paths: {
    "/healthz": {
      get: {
        operationId: "operations.health",
        summary: "Liveness: the process serves HTTP",
        security: [],
        responses: {
          200: reply("The process is alive.", ref("operations.Health")),
        },
      },
    },
    "/readyz": {
      get: {
        operationId: "operations.readiness",
        summary: "Readiness: the database answers and every migration is applied",
        security: [],
        responses: {
          200: reply("Ready to serve.", ref("operations.Readiness")),
          503: reply("Not ready: the database does not answer or a migration is pending.", ref("operations.Readiness")),
        },
      },
    },
    "/metrics": {
      get: {
        operationId: "operations.metrics",
        summary: "Prometheus metrics",
        description: "Needs `Authorization: Bearer <METRICS_TOKEN>` when the METRICS_TOKEN setting is set; open otherwise.",
        security: [{ "metrics.bearer": [] }, {}],
        responses: {
          200: reply("Prometheus text exposition format 0.0.4.", { type: "string" }, "text/plain; version=0.0.4"),
          401: reply("METRICS_TOKEN is set and the request does not carry it."),
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "operations.openapi",
        summary: "This OpenAPI 3.1 document",
        security: [],
        responses: { 200: reply("The document.", { type: "object" }) },
      },
    },
    "/docs": {
      get: {
        operationId: "operations.docs",
        summary: "A reference page rendering this document (Swagger UI, served by this server)",
        security: [],
        responses: { 200: reply("The page.", { type: "string" }, "text/html") },
      },
    },
    "/admin": {
      get: {
        operationId: "operations.console",
        summary: "The admin console (docs/console.md), which signs in with an admin credential and calls /admin/v1",
        security: [],
        responses: { 200: reply("The console's page.", { type: "string" }, "text/html") },
      },
    },
    "/admin/{page}": {
      get: {
        operationId: "operations.consolePage",
        summary: "A page of the admin console, by its address (the same page, which shows the part the address names)",
        security: [],
        parameters: [pathParameter("page", "The rest of the address, such as tenants/acme/log.")],
        responses: { 200: reply("The console's page.", { type: "string" }, "text/html") },
      },
    },
    "/admin/assets/{name}": {
      get: {
        operationId: "operations.consoleAsset",
        summary: "The console's script and style sheet, served by this server (no CDN)",
        security: [],
        parameters: [pathParameter("name", "The asset's file name.")],
        responses: {
          200: reply("The asset.", { type: "string" }, "text/javascript"),
          404: reply("No such asset."),
        },
      },
    },
  },
};
