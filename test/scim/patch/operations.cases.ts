import { patchOpUrn } from "../../../src/scim/schema/urns.ts";

// readPatchRequest (RFC 7644 §3.5.2): a PATCH body and the operations read from it, or the
// invalidSyntax it is rejected with.

export interface ReadCase {
  readonly name: string;
  readonly body: unknown;
  readonly operations: readonly unknown[];
}

export interface MalformedCase {
  readonly name: string;
  readonly body: unknown;
  /** Text the invalidSyntax detail must contain. */
  readonly detail: string;
}

const request = (...operations: unknown[]) => ({ schemas: [patchOpUrn], Operations: operations });

export const readCases: readonly ReadCase[] = [
  { name: "one operation", body: request({ op: "add", path: "title", value: "x" }), operations: [{ op: "add", path: "title", value: "x" }] },
  {
    name: "Entra's capitalised op names",
    body: request({ op: "Add", path: "a", value: 1 }, { op: "Replace", path: "b", value: 2 }, { op: "Remove", path: "c" }),
    operations: [
      { op: "add", path: "a", value: 1 },
      { op: "replace", path: "b", value: 2 },
      { op: "remove", path: "c" },
    ],
  },
  {
    name: "member names in any case",
    body: { SCHEMAS: [patchOpUrn.toUpperCase()], operations: [{ OP: "REPLACE", Path: "title", Value: "x" }] },
    operations: [{ op: "replace", path: "title", value: "x" }],
  },
  {
    name: "extra properties ignored (\"name\":\"addMember\")",
    body: request({ op: "add", name: "addMember", path: "members", value: [] }),
    operations: [{ op: "add", path: "members", value: [] }],
  },
  { name: "without schemas", body: { Operations: [{ op: "remove", path: "title" }] }, operations: [{ op: "remove", path: "title" }] },
  {
    name: "schemas with another URN beside PatchOp",
    body: { schemas: ["urn:example:other", patchOpUrn], Operations: [{ op: "remove", path: "title" }] },
    operations: [{ op: "remove", path: "title" }],
  },
  { name: "the path trimmed", body: request({ op: "remove", path: "  title " }), operations: [{ op: "remove", path: "title" }] },
  { name: "a null path is no path", body: request({ op: "add", path: null, value: { title: "x" } }), operations: [{ op: "add", value: { title: "x" } }] },
  { name: "an empty path is no path", body: request({ op: "add", path: "", value: { title: "x" } }), operations: [{ op: "add", value: { title: "x" } }] },
  { name: "a null value is kept", body: request({ op: "replace", path: "title", value: null }), operations: [{ op: "replace", path: "title", value: null }] },
  { name: "no value", body: request({ op: "remove", path: "title" }), operations: [{ op: "remove", path: "title" }] },
];

export const malformedCases: readonly MalformedCase[] = [
  { name: "not an object", body: "add", detail: "Operations" },
  { name: "an array", body: [{ op: "add" }], detail: "Operations" },
  { name: "null", body: null, detail: "Operations" },
  { name: "no Operations", body: { schemas: [patchOpUrn] }, detail: "Operations" },
  { name: "empty Operations", body: request(), detail: "at least one" },
  { name: "Operations not a list", body: { schemas: [patchOpUrn], Operations: { op: "add" } }, detail: "Operations" },
  { name: "schemas without PatchOp", body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], Operations: [{ op: "add" }] }, detail: patchOpUrn },
  { name: "schemas not a list", body: { schemas: patchOpUrn, Operations: [{ op: "add" }] }, detail: "schemas" },
  { name: "an operation that is no object", body: request("add"), detail: "Operation 1" },
  { name: "an operation without op", body: request({ path: "title", value: "x" }), detail: "Operation 1" },
  { name: "an op that is no string", body: request({ op: 1 }), detail: "Operation 1" },
  { name: "an unknown op", body: request({ op: "remove", path: "a" }, { op: "copy", path: "b" }), detail: 'Operation 2 has an unknown op "copy"' },
  { name: "a path that is no string", body: request({ op: "add", path: 7, value: 1 }), detail: "Operation 1" },
];
