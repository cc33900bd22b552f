import type { Filter as SyntaxTree } from "scim2-parse-filter";
import { ScimError } from "../errors.ts";
import type { ResolvedAttribute, SchemaRegistry } from "../schema/registry.ts";
import type { ResourceTypeDefinition } from "../schema/types.ts";
import { assertNever, type AttributeRef, type Filter } from "./ast.ts";
import { comparisonValue } from "./comparison.ts";
import { findInExtension } from "./quirks.ts";

// RFC 7644 §3.4.2.2, §3.10: scim2-parse-filter's tree -> our AST, every attribute path resolved
// against the resource type's schemas and every comparison checked against the attribute's type.

/** Where a path is read: at the resource, or inside `parent[...]` where only sub-attribute names count. */
type Scope = { readonly kind: "resource" } | { readonly kind: "element"; readonly parent: AttributeRef };

interface Context {
  readonly registry: SchemaRegistry;
  readonly resourceType: ResourceTypeDefinition;
  // Searching across resource types (RFC 7644 §3.4.3 at the root): a path this type lacks is
  // collected here and its comparison is false for this type, instead of the filter being invalid.
  readonly unknown?: Set<string>;
}

export interface ResolveOptions {
  /** Collects the paths this resource type lacks, whose comparisons then are false. */
  readonly unknown?: Set<string>;
}

const resourceScope: Scope = { kind: "resource" };

/** A resolved filter, or a comparison whose outcome is the same for every resource of the type. */
type Resolved = Filter | boolean;

/**
 * Resolves a parsed filter against a resource type; throws invalidFilter naming what is wrong.
 * meta.resourceType is the same for every resource of a type, so a comparison on it is decided
 * here; a filter that is decided as a whole comes out as `id pr` (always true) or `not (id pr)`.
 */
export function resolveFilter(
  tree: SyntaxTree,
  resourceType: ResourceTypeDefinition,
  registry: SchemaRegistry,
  options: ResolveOptions = {},
): Filter {
  const context = { registry, resourceType, ...(options.unknown ? { unknown: options.unknown } : {}) };
  const resolved = resolve(tree, resourceScope, context);
  if (typeof resolved !== "boolean") return resolved;
  const always: Filter = { kind: "present", attribute: resolvePath("id", resourceScope, context) };
  return resolved ? always : { kind: "not", filter: always };
}

function resolve(tree: SyntaxTree, scope: Scope, context: Context): Resolved {
  switch (tree.op) {
    case "and":
    case "or": {
      const kind = tree.op;
      // and: false decides, true drops out; or: true decides, false drops out.
      const decisive = kind === "or";
      const filters: Filter[] = [];
      for (const child of tree.filters.map((node) => resolve(node, scope, context))) {
        if (child === decisive) return decisive;
        if (typeof child === "boolean") continue;
        filters.push(...(child.kind === kind ? child.filters : [child]));
      }
      if (filters.length === 0) return !decisive;
      return filters.length === 1 ? (filters[0] as Filter) : { kind, filters };
    }
    case "not": {
      const inner = resolve(tree.filter, scope, context);
      return typeof inner === "boolean" ? !inner : { kind: "not", filter: inner };
    }
    case "[]":
      return resolveValuePath(tree.attrPath, tree.valFilter, scope, context);
    case "pr": {
      const attribute = resolveKnownPath(tree.attrPath, scope, context);
      if (attribute === undefined) return false;
      return isResourceType(attribute) ? true : { kind: "present", attribute };
    }
    case "eq":
    case "ne":
    case "co":
    case "sw":
    case "ew":
    case "gt":
    case "ge":
    case "lt":
    case "le": {
      const known = resolveKnownPath(tree.attrPath, scope, context);
      if (known === undefined) return false;
      const attribute = withValueSubAttribute(known, context);
      const value = comparisonValue(attribute, tree.op, tree.compValue);
      if (isResourceType(attribute)) return compareResourceType(context.resourceType.name, tree.op, value);
      return { kind: "compare", attribute, op: tree.op, value };
    }
    default:
      return assertNever(tree);
  }
}

function resolveValuePath(attrPath: string, inner: SyntaxTree, scope: Scope, context: Context): Resolved {
  if (scope.kind === "element") {
    throw ScimError.invalidFilter(`value paths cannot nest: "${attrPath}[...]" inside "${scope.parent.path}[...]"`);
  }
  const attribute = resolveKnownPath(attrPath, scope, context);
  if (attribute === undefined) return false;
  const { subAttribute, attribute: definition } = attribute;
  if (subAttribute !== undefined || definition.type !== "complex" || !definition.multiValued) {
    throw ScimError.invalidFilter(
      `"${attribute.path}" is not a multi-valued complex attribute, so it cannot take a [filter]`,
    );
  }
  const filter = resolve(inner, { kind: "element", parent: attribute }, context);
  // Some element matches: never when the inner filter is false; when it is true, if there is one.
  if (typeof filter === "boolean") return filter ? { kind: "present", attribute } : false;
  return { kind: "valuePath", attribute, filter };
}

// The path resolved; or, searching across types, undefined (collected) when this type lacks it.
function resolveKnownPath(path: string, scope: Scope, context: Context): AttributeRef | undefined {
  const found = findPath(path, scope, context);
  if (found !== undefined) return found;
  if (context.unknown === undefined) throw unknownPath(path, scope, context);
  context.unknown.add(scope.kind === "element" ? `${scope.parent.path}.${path}` : path);
  return undefined;
}

function isResourceType(ref: AttributeRef): boolean {
  return ref.attribute.name === "meta" && ref.subAttribute?.name === "resourceType";
}

// meta.resourceType against a value: decided by the type's name (caseExact, RFC 7643 §3.1).
function compareResourceType(name: string, op: string, value: unknown): boolean {
  const text = String(value);
  switch (op) {
    case "eq": return name === text;
    case "ne": return name !== text;
    case "co": return name.includes(text);
    case "sw": return name.startsWith(text);
    case "ew": return name.endsWith(text);
    case "gt": return name > text;
    case "ge": return name >= text;
    case "lt": return name < text;
    default: return name <= text;
  }
}

function resolvePath(path: string, scope: Scope, context: Context): AttributeRef {
  const found = findPath(path, scope, context);
  if (found === undefined) throw unknownPath(path, scope, context);
  return found;
}

// The path read in its scope: inside `parent[...]` only sub-attribute names count.
function findPath(path: string, scope: Scope, { registry, resourceType }: Context): AttributeRef | undefined {
  const resolved =
    scope.kind === "element"
      ? /[.:]/.test(path) ? undefined : registry.findAttribute(resourceType, `${scope.parent.path}.${path}`)
      : registry.findAttribute(resourceType, path) ?? findInExtension(registry, resourceType, path);
  return resolved === undefined ? undefined : refOf(resolved);
}

function unknownPath(path: string, scope: Scope, { resourceType }: Context): ScimError {
  return scope.kind === "element"
    ? ScimError.invalidFilter(`unknown sub-attribute "${path}" of "${scope.parent.path}"`)
    : ScimError.invalidFilter(`unknown attribute "${path}" for ${resourceType.name}`);
}

// RFC 7644 §3.4.2.2: a complex attribute compared without a sub-attribute (`emails co "x"`) means
// its "value" sub-attribute. One without a "value" is left as is, for comparisonValue to reject.
function withValueSubAttribute(ref: AttributeRef, { registry, resourceType }: Context): AttributeRef {
  if (ref.subAttribute !== undefined || ref.attribute.type !== "complex") return ref;
  const value = registry.findAttribute(resourceType, `${ref.path}.value`);
  return value === undefined ? ref : refOf(value);
}

function refOf({ path, schema, attribute, subAttribute }: ResolvedAttribute): AttributeRef {
  return subAttribute === undefined ? { path, schema, attribute } : { path, schema, attribute, subAttribute };
}
