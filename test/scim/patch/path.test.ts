import { describe, expect, it } from "vitest";
import { printFilter } from "../../../src/scim/filter/print.ts";
import { parsePatchPath, type PatchPath } from "../../../src/scim/patch/path.ts";
import { schemaRegistry, type SchemaRegistry } from "../../../src/scim/schema/registry.ts";
import { errorOf } from "../filter/errors.ts";
import { invalidCases, invalidUserVectorPaths, resolvedCases, validVectorPaths, vectorRegistry } from "./path.cases.ts";

function describePatchPath(path: PatchPath): string {
  switch (path.kind) {
    case "attribute":
      return `attribute ${path.ref.path}`;
    case "extension":
      return `extension ${path.schema}`;
    case "elements":
      return `elements ${path.ref.path} [${printFilter(path.filter)}]${path.subAttribute ? ` .${path.subAttribute.name}` : ""}`;
  }
}

function parseIn(registry: SchemaRegistry, resourceType: string, text: string): PatchPath {
  const definition = registry.resourceTypeByName(resourceType);
  if (!definition) throw new Error(`test setup: no resource type ${resourceType}`);
  return parsePatchPath(text, definition, registry);
}

describe("parsePatchPath resolves", () => {
  it.each(resolvedCases)("$resourceType $path", ({ resourceType, path, resolved }) => {
    expect(describePatchPath(parseIn(schemaRegistry, resourceType, path))).toBe(resolved);
  });
});

describe("parsePatchPath rejects with invalidPath", () => {
  it.each(invalidCases)("$resourceType $path", ({ resourceType, path, detail }) => {
    const error = errorOf(() => parseIn(schemaRegistry, resourceType, path));
    expect({ status: error.status, scimType: error.scimType }).toEqual({ status: 400, scimType: "invalidPath" });
    expect(error.detail).toContain(detail);
  });
});

describe("filter-vectors.json valid_patch_paths", () => {
  it("is not empty", () => expect(validVectorPaths.length).toBeGreaterThan(0));

  it.each(validVectorPaths)("%s resolves against User or Group", (path) => {
    const resolved = ["User", "Group"].flatMap((resourceType) => {
      try {
        return [parseIn(vectorRegistry, resourceType, path)];
      } catch {
        return [];
      }
    });
    expect(resolved.length).toBeGreaterThan(0);
    const expectedKind = path.includes("[") ? "elements" : vectorRegistry.schemaById(path) ? "extension" : "attribute";
    for (const result of resolved) expect(result.kind).toBe(expectedKind);
  });
});

describe("filter-vectors.json invalid_paths_for_core_user_plus_enterprise", () => {
  it("is not empty", () => expect(invalidUserVectorPaths.length).toBeGreaterThan(0));

  it.each(invalidUserVectorPaths)("%s is invalidPath on User", (path) => {
    const error = errorOf(() => parseIn(schemaRegistry, "User", path));
    expect({ status: error.status, scimType: error.scimType }).toEqual({ status: 400, scimType: "invalidPath" });
  });
});
