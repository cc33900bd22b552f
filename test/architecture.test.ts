import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { compatApis } from "../src/compat/apis.ts";

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

  // The driver layer (store/driver/) is where the store meets its databases; everything else in
  // the store speaks the Sql port.
  it.each(files.filter((file) => !file.path.startsWith("store/driver/")).map((file) => [file.path, file.imports] as const))(
    "only store/driver/ imports better-sqlite3 or pg: %s",
    (_path, imports) => {
      expect(imports.filter((name) => /^(pg|better-sqlite3)$/.test(name))).toEqual([]);
    },
  );

  // Conditions are the store's own typed union (store/query/condition.ts), not loosely typed
  // objects in another library's filter format.
  it("store/query/ builds no Record<string, unknown> conditions", () => {
    const query = files.filter((file) => file.path.startsWith("store/query/"));
    expect(query.map((file) => file.path)).toContain("store/query/condition.ts");
    const loose = query.filter((file) => /Record<string,\s*(unknown|any)>/.test(readFileSync(join("src", file.path), "utf8")));
    expect(loose.map((file) => file.path)).toStrictEqual([]);
  });

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

  // docs/compat/README.md §10: every API folder has the template's files and its page, and is
  // registered by one line of compat/apis.ts, which everything else derives from.
  const template = ["contract.ts", "translate.ts", "router.ts", "errors.ts", "index.ts"];

  it.each(vendors)("compat/%s has the template's files and its page in docs/compat/", (vendor) => {
    const missing = template.filter((file) => !existsSync(join("src/compat", vendor, file)));
    expect(missing).toEqual([]);
    expect(existsSync(join("docs/compat", `${vendor}.md`))).toBe(true);
  });

  it.each(vendors)("compat/%s/index.ts names the API after its folder", async (vendor) => {
    const { api } = (await import(`../src/compat/${vendor}/index.ts`)) as { api: { name: string } };
    expect(api.name).toBe(vendor);
  });

  it("compat/apis.ts lists every folder exactly once", () => {
    const names = compatApis.map((api) => api.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...vendors].sort());
  });

  it("each extension schema is brought by one API, from its own folder", async () => {
    const brought = compatApis.flatMap((api) => api.extensions.map((schema) => schema.id));
    expect(new Set(brought).size).toBe(brought.length);
    for (const api of compatApis.filter((entry) => entry.extensions.length > 0)) {
      const own = (await import(`../src/compat/${api.name}/extension.ts`)) as Record<string, { id?: string }>;
      expect(api.extensions.map((schema) => schema.id).sort()).toEqual(Object.values(own).flatMap((value) => value.id ?? []).sort());
    }
  });

  // The registry of the server's schemas is built where the server is composed (server.ts, from the
  // list of APIs) and passed to what uses it; no module holds one of its own.
  it("no module of src/ holds the server's schema registry", () => {
    const singletons = files.filter((file) => /export const \w+: SchemaRegistry\b|export const schemaRegistry\b/.test(readFileSync(join("src", file.path), "utf8")));
    expect(singletons.map((file) => file.path)).toStrictEqual([]);
    expect(files.filter((file) => file.path.startsWith("scim/schema/")).flatMap((file) => file.imports.filter((name) => /extensions\//.test(name)))).toStrictEqual([]);
  });

  it.each(files.filter((file) => !file.path.startsWith("compat/")).map((file) => [file.path, file.imports] as const))(
    "outside compat/, no file names an API's folder, only the list: %s",
    (_path, imports) => {
      expect(imports.filter((name) => /(^|\/)compat\/[^/]+\//.test(name))).toEqual([]);
    },
  );

  it("the app mounts the APIs it is given: app.ts imports nothing from compat/", () => {
    expect(files.find((file) => file.path === "app.ts")?.imports.filter((name) => /(^|\/)compat\//.test(name))).toEqual([]);
  });

  // No import circles (type-only imports count: a reader follows them the same way). Each group of
  // files that import one another in a ring is listed; the expected list is empty.
  it("has no import circles", () => {
    const graph = new Map(
      files.map((file) => [
        file.path,
        file.imports.filter((name) => name.startsWith(".")).map((name) => join(dirname(file.path), name).replace(/\.js$/, ".ts")),
      ]),
    );
    expect(graph.get("scim/users.ts")).toContain("scim/ports.ts");
    expect(circles(graph)).toStrictEqual([]);
  });

  // Figures belong in docs/benchmarks.md, not in code: a comment says what a mechanism does and
  // names the section that measured it.
  const measured = /\b\d+(\.\d+)?(-\d+)? ?(%|ms|us|µs|MB)(?![\w-])|half as many|a third of/;
  it("source comments quote no measured figures", () => {
    const quoting = sourceFiles("src").flatMap((path) =>
      readFileSync(path, "utf8")
        .split("\n")
        .map((line, index) => ({ line, at: `${relative("src", path)}:${index + 1}` }))
        .filter(({ line }) => /^\s*(\/\/|\*)/.test(line) && measured.test(line))
        .map(({ at }) => at),
    );
    expect(quoting).toStrictEqual([]);
  });

  it.each(["decoder: about 5% of the CPU time of a PATCH", "(60 us -> 39 us)", "waited 85-110 ms", "about 50 MB resident", "answered half as many requests"])(
    "would see a figure: %s",
    (text) => expect(measured.test(text)).toBe(true),
  );

  it("would see a circle", () => {
    expect(circles(new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]]]))).toStrictEqual([["a.ts", "b.ts", "c.ts"]]);
  });
});

// The strongly connected components of more than one file (Tarjan's algorithm), each sorted.
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}
