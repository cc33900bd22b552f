import { ScimError } from "../../scim/errors.ts";
import { fieldByName, type MessageDescriptor } from "./contract.ts";

// The update_mask of UpdateUser / UpdateGroup, as grpc-gateway settles it
// (docs/compat/bytebase.md §6.1): inferred from the body's keys, replaced by the query's
// update_mask when there is one.

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// grpc-gateway runtime.FieldMaskFromRequestBody: every key becomes a proto path; objects recurse
// into message fields, lists and maps end the path, an empty object is a path of its own. A key
// the message lacks is an error, even when the query gives a mask. An empty body gives no paths.
export function inferredMask(body: unknown, message: MessageDescriptor): string[] {
  if (!isObject(body)) return [];
  const paths: string[] = [];
  const queue: Array<{ node: unknown; message: MessageDescriptor | undefined; path: string }> = [{ node: body, message, path: "" }];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const node = item.node;
    if (isObject(node) && Object.keys(node).length > 0) {
      for (const [key, value] of Object.entries(node)) {
        if (item.message === undefined) throw ScimError.invalidValue("JSON structure did not match request type");
        const field = fieldByName(item.message, key);
        if (!field) throw ScimError.invalidValue(`could not find field ${JSON.stringify(key)} in ${JSON.stringify(item.message.fullName)}`);
        const path = item.path === "" ? field.proto : `${item.path}.${field.proto}`;
        if (field.kind === "list") paths.push(path);
        else queue.push({ node: value, message: field.kind === "message" ? field.message : undefined, path });
      }
    } else if (item.path !== "") {
      paths.push(item.path);
    }
  }
  return paths.sort();
}

// lowerCamelCase path segments as the proto names they stand for: mfaEnabled -> mfa_enabled.
function snakeCase(path: string): string {
  return path
    .split(".")
    .map((segment) => segment.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`))
    .join(".");
}

// The paths an update applies: the query's mask when given (verbatim, camelCase read as
// snake_case), else the one inferred from the body.
export function updateMask(body: unknown, message: MessageDescriptor, queryMask: readonly string[] | undefined): string[] {
  const inferred = inferredMask(body, message);
  return queryMask === undefined ? inferred : queryMask.map(snakeCase);
}
