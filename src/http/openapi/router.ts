import { Router, type RequestHandler } from "express";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { OpenApiDocument } from "./document.ts";

// GET /openapi.json, and GET /docs: Swagger UI rendering it, every file served from here. The
// page loads nothing from elsewhere, so its Content-Security-Policy allows only 'self' (and data:
// images, which swagger-ui.css embeds). Neither needs a credential.

// swagger-ui-dist's directory: its files are served as they are, never bundled or loaded by Node.
const swaggerUiDist = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const packageAssets = new Set(["swagger-ui.css", "index.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png"]);

// Swagger UI starts from a script file rather than an inline one, which script-src 'self' forbids.
// validatorUrl: null keeps it from asking validator.swagger.io about the document.
const starter = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  layout: "BaseLayout",
});
`;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>scim-server API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="stylesheet" href="/docs/assets/index.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="/docs/assets/favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/starter.js"></script>
</body>
</html>
`;

const securityHeaders = {
  "Content-Security-Policy": [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
};

const assets: RequestHandler = (req, res, next) => {
  if (req.method !== "GET" && req.method !== "HEAD") return next();
  const name = req.path.slice(1);
  if (name === "starter.js") return void res.set(securityHeaders).type("text/javascript").send(starter);
  if (!packageAssets.has(name)) return next();
  res.set(securityHeaders).sendFile(name, { root: swaggerUiDist, maxAge: "1h" });
};

// The document is serialised once, when the router is made.
export function openApiRouter(document: OpenApiDocument): Router {
  const json = JSON.stringify(document);
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.set({ "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" }).type("application/json").send(json);
  });
  router.get("/docs", (_req, res) => {
    res.set(securityHeaders).type("html").send(page);
  });
  router.use("/docs/assets", assets);
  return router;
}
