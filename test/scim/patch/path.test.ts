import { describe, expect, it } from "vitest";
import { printFilter } from "../../../src/scim/filter/print.ts";
import { parsePatchPath, type PatchPath } from "../../../src/scim/patch/path.ts";
import { type SchemaRegistry } from "../../../src/scim/schema/registry.ts";
import { errorOf } from "../filter/errors.ts";
import { invalidCases, invalidUserPaths, rfcExampleRegistry, resolvedCases, validPaths } from "./path.cases.ts";
import { schemaRegistry } from "../../support/schemas.ts";

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

describe("paths RFC 7644 and clients write", () => {
  it("is not empty", () => expect(validPaths.length).toBeGreaterThan(0));

  it.each(validPaths)("%s resolves against User or Group", (path) => {
    const resolved = ["User", "Group"].flatMap((resourceType) => {
      try {
        return [parseIn(rfcExampleRegistry, resourceType, path)];
      } catch {
        return [];
      }
    });
    expect(resolved.length).toBeGreaterThan(0);
    const expectedKind = path.includes("[") ? "elements" : rfcExampleRegistry.schemaById(path) ? "extension" : "attribute";
    for (const result of resolved) expect(result.kind).toBe(expectedKind);
  });
});

describe("paths the User rejects", () => {
  it("is not empty", () => expect(invalidUserPaths.length).toBeGreaterThan(0));

  it.each(invalidUserPaths)("%s is invalidPath on User", (path) => {
    const error = errorOf(() => parseIn(schemaRegistry, "User", path));
    expect({ status: error.status, scimType: error.scimType }).toEqual({ status: 400, scimType: "invalidPath" });
  });
});
