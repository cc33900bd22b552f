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
}

const resourceScope: Scope = { kind: "resource" };

/** Resolves a parsed filter against a resource type; throws invalidFilter naming what is wrong. */
export function resolveFilter(
  tree: SyntaxTree,
  resourceType: ResourceTypeDefinition,
  registry: SchemaRegistry,
): Filter {
  return resolve(tree, resourceScope, { registry, resourceType });
}

function resolve(tree: SyntaxTree, scope: Scope, context: Context): Filter {
  switch (tree.op) {
    case "and":
    case "or": {
      const kind = tree.op;
      const filters = tree.filters
        .map((child) => resolve(child, scope, context))
        .flatMap((child) => (child.kind === kind ? child.filters : [child]));
      return { kind, filters };
    }
    case "not":
      return { kind: "not", filter: resolve(tree.filter, scope, context) };
    case "[]":
      return resolveValuePath(tree.attrPath, tree.valFilter, scope, context);
    case "pr":
      return { kind: "present", attribute: resolvePath(tree.attrPath, scope, context) };
    case "eq":
    case "ne":
    case "co":
    case "sw":
    case "ew":
    case "gt":
    case "ge":
    case "lt":
    case "le": {
      const attribute = withValueSubAttribute(resolvePath(tree.attrPath, scope, context), context);
      return { kind: "compare", attribute, op: tree.op, value: comparisonValue(attribute, tree.op, tree.compValue) };
    }
    default:
      return assertNever(tree);
  }
}

function resolveValuePath(attrPath: string, inner: SyntaxTree, scope: Scope, context: Context): Filter {
  if (scope.kind === "element") {
    throw ScimError.invalidFilter(`value paths cannot nest: "${attrPath}[...]" inside "${scope.parent.path}[...]"`);
  }
  const attribute = resolvePath(attrPath, scope, context);
  const { subAttribute, attribute: definition } = attribute;
  if (subAttribute !== undefined || definition.type !== "complex" || !definition.multiValued) {
    throw ScimError.invalidFilter(
      `"${attribute.path}" is not a multi-valued complex attribute, so it cannot take a [filter]`,
    );
  }
  return { kind: "valuePath", attribute, filter: resolve(inner, { kind: "element", parent: attribute }, context) };
}

function resolvePath(path: string, scope: Scope, { registry, resourceType }: Context): AttributeRef {
  if (scope.kind === "element") {
    const parent = scope.parent.path;
    const resolved = /[.:]/.test(path) ? undefined : registry.findAttribute(resourceType, `${parent}.${path}`);
    if (resolved === undefined) throw ScimError.invalidFilter(`unknown sub-attribute "${path}" of "${parent}"`);
    return refOf(resolved);
  }
  const resolved = registry.findAttribute(resourceType, path) ?? findInExtension(registry, resourceType, path);
  if (resolved === undefined) throw ScimError.invalidFilter(`unknown attribute "${path}" for ${resourceType.name}`);
  return refOf(resolved);
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
