import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// STYLE.md "Arrows point inward": the core imports neither storage nor transport, only
// src/store talks to Prisma or a database driver, and a compat router calls the core, never
// storage and never another vendor's router.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === "generated" ? [] : sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(path: string): string[] {
  return [...readFileSync(path, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?from\s+["']([^"']+)["']/gm)].map((match) => match[1] as string);
}

const files = sourceFiles("src").map((path) => ({ path: relative("src", path), imports: importsOf(path) }));
const database = /^(@prisma\/|prisma$|pg$|better-sqlite3$)|\/generated\//;

describe("architecture", () => {
  it("reads the source tree", () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.some((file) => file.path.startsWith("scim/") && file.imports.length > 0)).toBe(true);
  });

  it.each(files.filter((file) => file.path.startsWith("scim/")).map((file) => [file.path, file.imports] as const))(
    "scim/ stays transport- and storage-free: %s",
    (_path, imports) => {
      expect(imports.filter((name) => /(^|\/)(store|http|compat|auth)\//.test(name) || name === "express" || database.test(name))).toEqual([]);
    },
  );

  it.each(files.filter((file) => !file.path.startsWith("store/")).map((file) => [file.path, file.imports] as const))(
    "only store/ imports Prisma or a database driver: %s",
    (_path, imports) => {
      expect(imports.filter((name) => database.test(name))).toEqual([]);
    },
  );

  const vendors = readdirSync("src/compat").filter((entry) => statSync(join("src/compat", entry)).isDirectory());

  it("finds the five compat routers", () => {
    expect(vendors.sort()).toEqual(["bytebase", "express-gateway", "perm-api", "qase", "vyte"]);
  });

  it.each(files.filter((file) => file.path.startsWith("compat/")).map((file) => [file.path, file.imports] as const))(
    "compat/ calls the core, never storage or another vendor: %s",
    (path, imports) => {
      const own = path.split("/")[1] as string;
      const otherVendor = (name: string) =>
        vendors.some((vendor) => vendor !== own && new RegExp(`(^|/)compat/${vendor}/|^\\.\\./${vendor}/`).test(name));
      expect(imports.filter((name) => /(^|\/)store\//.test(name) || database.test(name) || otherVendor(name))).toEqual([]);
    },
  );
});
