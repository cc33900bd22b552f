import { ScimError } from "../errors.ts";
import type { Filter } from "../filter/ast.ts";
import type { MemberChange, MemberRef } from "../ports.ts";
import type { SchemaRegistry } from "../schema/registry.ts";
import type { ResourceTypeDefinition } from "../schema/types.ts";
import type { PatchOperation } from "./operations.ts";
import { parsePatchPath } from "./path.ts";

// RFC 7644 §3.5.2 on a Group's members, as set operations that storage runs in SQL: changing k
// members costs O(k) whatever the group's size.


export interface SplitOperations {
  readonly attributeOperations: PatchOperation[];
  readonly memberChanges: MemberChange[];
}

// Separates the operations on members from the rest; a path-less value's "members" key too.
export function splitMemberOperations(
  operations: readonly PatchOperation[],
  resourceType: ResourceTypeDefinition,
  registry: SchemaRegistry,
): SplitOperations {
  const attributeOperations: PatchOperation[] = [];
  const memberChanges: MemberChange[] = [];
  for (const operation of operations) {
    if (!operation.path) {
      const value = operation.value;
      // A path-less remove is left to applyPatch, which answers noTarget (RFC 7644 §3.5.2.2).
      if (operation.op !== "remove" && typeof value === "object" && value !== null && !Array.isArray(value)) {
        const key = Object.keys(value).find((name) => isMembers(name, resourceType, registry));
        if (key) {
          memberChanges.push(memberChange({ op: operation.op, path: "members", value: (value as Record<string, unknown>)[key] }, resourceType, registry));
          const rest = Object.fromEntries(Object.entries(value).filter(([name]) => name !== key));
          if (Object.keys(rest).length > 0) attributeOperations.push({ ...operation, value: rest });
          continue;
        }
      }
      attributeOperations.push(operation);
    } else if (isMembers(attributePathOf(operation.path), resourceType, registry)) {
      memberChanges.push(memberChange(operation, resourceType, registry));
    } else {
      attributeOperations.push(operation);
    }
  }
  return { attributeOperations, memberChanges };
}

// `members`, `members.value`, `members[...]`, URN-qualified or not: whether a path names members.
function isMembers(path: string, resourceType: ResourceTypeDefinition, registry: SchemaRegistry): boolean {
  return registry.findAttribute(resourceType, path)?.attribute.name === "members";
}

function attributePathOf(path: string): string {
  const bracket = path.indexOf("[");
  return bracket === -1 ? path : path.slice(0, bracket);
}

function memberChange(operation: PatchOperation, resourceType: ResourceTypeDefinition, registry: SchemaRegistry): MemberChange {
  const path = parsePatchPath(operation.path as string, resourceType, registry);
  if (path.kind === "elements") {
    if (operation.op !== "remove" || path.subAttribute) {
      throw ScimError.invalidPath("Members are added or replaced whole: use path \"members\" with a list of members");
    }
    const ids = idsOf(path.filter);
    return ids ? { kind: "remove", ids } : { kind: "removeWhere", filter: path.filter };
  }
  if (path.kind !== "attribute" || path.ref.subAttribute) {
    throw ScimError.invalidPath(`"${operation.path}" cannot be changed on its own`);
  }
  if (operation.op === "remove") {
    return operation.value === undefined || operation.value === null
      ? { kind: "replace", members: [] }
      : { kind: "remove", ids: membersOf(operation.value).map((member) => member.value) };
  }
  const members = membersOf(operation.value);
  return operation.op === "add" ? { kind: "add", members } : { kind: "replace", members };
}

// `value eq "a"` or `value eq "a" or value eq "b"`: a plain list of ids.
function idsOf(filter: Filter): string[] | undefined {
  const terms = filter.kind === "or" ? filter.filters : [filter];
  const ids: string[] = [];
  for (const term of terms) {
    if (term.kind !== "compare" || term.op !== "eq" || term.attribute.subAttribute?.name !== "value" || typeof term.value !== "string") {
      return undefined;
    }
    ids.push(term.value);
  }
  return ids;
}

// RFC 7643 §4.2: members given as objects (value, type, display, $ref) or as plain ids.
export function membersOf(value: unknown): MemberRef[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list
    .filter((element) => element !== null)
    .map((element) => {
      const object: Record<string, unknown> =
        typeof element === "string" ? { value: element } : typeof element === "object" ? (element as Record<string, unknown>) : {};
      const field = (name: string) => Object.entries(object).find(([key]) => key.toLowerCase() === name)?.[1];
      const id = field("value");
      if (typeof id !== "string" || id === "") throw ScimError.invalidValue("Every member needs a value: the id of a User or Group");
      // Microsoft's reference collection names it displayName.
      const display = field("display") ?? field("displayname");
      return {
        value: id,
        type: String(field("type") ?? "User").toLowerCase() === "group" ? "Group" : "User",
        ...(typeof display === "string" ? { display } : {}),
      } satisfies MemberRef;
    });
}
