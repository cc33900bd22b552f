import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The repository stands alone: a clone with nothing beside it passes its tests. No source, test,
// script or configuration file reads a path outside the repository, and every document that code
// and docs cite is in it. Only the optional conformance runner looks for Microsoft's collection
// beside the checkout.

const root = resolve(import.meta.dirname, "..");
const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter((path) => path !== "" && existsSync(join(root, path)));

const code = tracked.filter((path) => /\.(ts|mts|js|mjs|json|ya?ml|sh)$/.test(path) || path.startsWith(".ci/") || path === "Dockerfile");
const texts = tracked.filter((path) => /\.(ts|mts|js|mjs|md|json|ya?ml|sh|prisma|sql)$/.test(path) || path.startsWith(".ci/") || path === "Dockerfile");
const conformanceRunner = "test/conformance/run.ts";

// String literals of a file, less its import and export-from lines.
function literals(text: string): string[] {
  const body = text
    .split("\n")
    .filter((line) => !/^\s*(import|export)\b.*\bfrom\s/.test(line) && !/^\s*import\s*\(/.test(line))
    .join("\n");
  return [...body.matchAll(/(["'`])((?:\\.|(?!\1)[^\\\n])*)\1/g)].map((match) => match[2] as string);
}

describe("the repository stands alone", () => {
  it("reads its own file list", () => {
    expect(code.length).toBeGreaterThan(100);
    expect(code).toContain("src/main.ts");
    expect(code).toContain(conformanceRunner);
  });

  // This file names those paths to look for them.
  const self = "test/repository.test.ts";

  it.each(code.filter((path) => path !== conformanceRunner && path !== self))("%s names no file outside the repository", (path) => {
    const text = readFileSync(join(root, path), "utf8");
    expect(text).not.toMatch(/\.\.\/shared\b|\bshared\/(spec|conformance)\b|\/work\/|compat-contracts\.md|filter-vectors\.json/);
    // A relative path that climbs out of the repository from the file's own folder.
    for (const literal of literals(text)) {
      const climb = /^(?:\.\.\/)+[^\s]*/.exec(literal)?.[0];
      if (climb === undefined) continue;
      expect(relative(root, resolve(dirname(join(root, path)), climb)).startsWith(".."), literal).toBe(false);
    }
  });

  it("only the conformance runner looks beside the checkout, and it says so when the collection is absent", () => {
    const text = readFileSync(join(root, conformanceRunner), "utf8");
    expect(text).toContain("../shared/conformance/microsoft-postman");
    expect(text).toMatch(/not run|absent|missing/i);
  });

  it.each(texts.filter((path) => path !== self))("every repository file %s cites exists", (path) => {
    const text = readFileSync(join(root, path), "utf8");
    const cited = new Set<string>();
    // The repository's docs/... paths (not another site's docs/ folder), and relative links of
    // Markdown files.
    for (const match of text.matchAll(/(?<![\w./-])(docs\/[\w./-]+\.md)\b/g)) cited.add(match[1] as string);
    if (path.endsWith(".md")) {
      for (const match of text.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)/g)) cited.add(relative(root, resolve(dirname(join(root, path)), match[1] as string)));
    }
    for (const target of cited) expect(existsSync(join(root, target)), `${path} cites ${target}`).toBe(true);
  });
});
