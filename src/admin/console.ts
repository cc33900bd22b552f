import { Router, type Response } from "express";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

// GET /admin: the web console (docs/console.md). Every console URL answers the same page, whose
// script (src/admin/console/) routes in the browser and reads nothing but /admin/v1; the script
// and its stylesheet are the only other files. The page loads nothing inline and nothing from
// elsewhere, hence a Content-Security-Policy of 'self' only.

const securityHeaders = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

// The empty data: icon keeps the browser from asking for /favicon.ico.
const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SCIM console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/admin/assets/console.css">
<script defer src="/admin/assets/console.js"></script>
</head>
<body>
<div id="app"><noscript><p>The console needs JavaScript.</p></noscript></div>
</body>
</html>
`;

// Paths under /admin that are not console pages: the admin API and the bundle's files.
const notPages = /^\/admin\/(v1|assets)(\/|$)/i;

export function consoleRouter(): Router {
  const router = Router();
  router.get("/admin/assets/:name", async (req, res, next) => {
    const asset = (await consoleBundle()).get(req.params.name);
    if (asset === undefined) return next();
    send(res, asset, req.get("If-None-Match"));
  });
  router.get(["/admin", "/admin/{*page}"], (req, res, next) => {
    if (notPages.test(req.path)) return next();
    res.set(securityHeaders).set("Cache-Control", "no-store").type("html").send(page);
  });
  return router;
}

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

function send(res: Response, asset: Asset, ifNoneMatch: string | undefined): void {
  res.set(securityHeaders).set({ "Cache-Control": "no-cache", ETag: asset.etag });
  if (ifNoneMatch === asset.etag) return void res.status(304).end();
  res.type(asset.type).send(asset.body);
}

let bundle: Promise<ReadonlyMap<string, Asset>> | undefined;

// The script and stylesheet, by file name: those `npm run build` wrote beside the running bundle
// (dist/main.js finds them in dist/admin/), or, when the server runs from source, bundled here
// once from src/admin/console/ on the first request. A failed build is tried again on the next.
function consoleBundle(): Promise<ReadonlyMap<string, Asset>> {
  bundle ??= (existsSync(fileURLToPath(new URL("./admin/console.js", import.meta.url))) ? builtBundle() : bundleFromSource()).catch((error: unknown) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}

async function builtBundle(): Promise<ReadonlyMap<string, Asset>> {
  const read = async (name: string) => asset(name, await readFile(fileURLToPath(new URL(`./admin/${name}`, import.meta.url))));
  return new Map([await read("console.js"), await read("console.css")]);
}

// The same options as the console's step of package.json's `build` script.
async function bundleFromSource(): Promise<ReadonlyMap<string, Asset>> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: { console: fileURLToPath(new URL("./console/main.tsx", import.meta.url)) },
    outdir: "admin",
    bundle: true,
    write: false,
    format: "iife",
    target: "es2020",
    minify: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    logLevel: "silent",
  });
  return new Map(result.outputFiles.map((file) => asset(basename(file.path), Buffer.from(file.contents))));
}

function asset(name: string, body: Buffer): [string, Asset] {
  const type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
  return [name, { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` }];
}
