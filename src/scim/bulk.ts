import { z } from "zod";
import type { RequestContext } from "./context.ts";
import { ScimError, toScimErrorBody } from "./errors.ts";
import type { ResourceOperations } from "./operations.ts";
import type { Versioned, WriteCondition } from "./ports.ts";
import { etagOf, type ScimResource } from "./render.ts";
import { bulkRequestUrn, bulkResponseUrn } from "./schema/urns.ts";

// RFC 7644 §3.7: Bulk. Operations run one by one, each on its own (an operation is atomic, the
// request is not). An operation may refer to a resource another operation of the request
// creates, by "bulkId:<id>" in its path or anywhere in its data; operations run in an order
// that creates every referenced resource first, and those whose references can never be
// resolved (unknown ids, circles) fail with 409.

export interface BulkLimits {
  readonly maxOperations: number;
  readonly maxPayloadSize: number;
}

const operationSchema = z.looseObject({
  method: z.string(),
  bulkId: z.string().min(1).optional(),
  version: z.string().optional(),
  path: z.string().min(1),
  data: z.unknown().optional(),
});

const requestSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  failOnErrors: z.number().int().min(1).optional(),
  Operations: z.array(z.unknown()),
});

type Method = "POST" | "PUT" | "PATCH" | "DELETE";

interface BulkOperation {
  readonly index: number;
  readonly method: Method;
  readonly bulkId?: string;
  readonly version?: string;
  readonly path: string;
  readonly data?: unknown;
  // The bulkIds this operation refers to.
  readonly references: ReadonlySet<string>;
}

export interface BulkResult {
  readonly method: Method;
  readonly bulkId?: string;
  readonly version?: string;
  readonly location?: string;
  readonly status: string;
  readonly response?: unknown;
}

const bulkIdReference = /bulkId:([^"/\s,}\]]+)/g;

// Told of an operation that failed unexpectedly (not a ScimError): the server logs it.
export type UnexpectedFailure = (error: unknown, operation: { method: string; path: string; bulkId?: string }) => void;

export class BulkService {
  constructor(
    private readonly resources: readonly ResourceOperations[],
    private readonly limits: BulkLimits,
    private readonly onUnexpected: UnexpectedFailure = () => {},
  ) {}

  // RFC 7644 §3.7.3
  async run(context: RequestContext, body: unknown, payloadSize: number): Promise<ScimResource> {
    if (payloadSize > this.limits.maxPayloadSize) {
      throw ScimError.payloadTooLarge(`The size of the bulk operation exceeds the maxPayloadSize (${this.limits.maxPayloadSize})`);
    }
    const request = readBulkRequest(body);
    if (request.operations.length > this.limits.maxOperations) {
      throw ScimError.payloadTooLarge(`The number of operations exceeds the maxOperations (${this.limits.maxOperations})`);
    }
    const results = new Map<number, BulkResult>();
    const created = new Map<string, string>();
    let errors = 0;
    let pending = [...request.operations];
    while (pending.length > 0 && !(request.failOnErrors !== undefined && errors >= request.failOnErrors)) {
      const ready = pending.find((operation) => [...operation.references].every((reference) => created.has(reference)));
      if (!ready) break;
      pending = pending.filter((operation) => operation !== ready);
      const result = await this.runOne(context, ready, created);
      if (Number(result.status) >= 400) errors += 1;
      results.set(ready.index, result);
    }
    if (!(request.failOnErrors !== undefined && errors >= request.failOnErrors)) {
      for (const operation of pending) {
        results.set(operation.index, failure(operation, ScimError.conflict(unresolved(operation, request.operations))));
      }
    }
    return {
      schemas: [bulkResponseUrn],
      Operations: [...results.entries()].sort(([a], [b]) => a - b).map(([, result]) => result),
    };
  }

  private async runOne(context: RequestContext, operation: BulkOperation, created: Map<string, string>): Promise<BulkResult> {
    try {
      const path = substitute(operation.path, created) as string;
      const data = substitute(operation.data, created);
      const { resource, id } = this.route(path, operation.method);
      const condition: WriteCondition = operation.version ? conditionOf(operation.version) : {};
      const base = { method: operation.method, ...(operation.bulkId ? { bulkId: operation.bulkId } : {}) };
      const location = (stored: Versioned) => `${context.baseUrl}${resource.resourceType.endpoint}/${stored.id}`;
      switch (operation.method) {
        case "POST": {
          const stored = await resource.create(context, data);
          if (operation.bulkId) created.set(operation.bulkId, stored.id);
          return { ...base, location: location(stored), version: etagOf(stored), status: "201" };
        }
        case "PUT": {
          const stored = await resource.replace(context, id as string, data, condition);
          return { ...base, location: location(stored), version: etagOf(stored), status: "200" };
        }
        case "PATCH": {
          const stored = await resource.patch(context, id as string, data, condition, false);
          return { ...base, location: location(stored), version: etagOf(stored), status: "200" };
        }
        case "DELETE":
          await resource.remove(context, id as string, condition);
          return { ...base, location: `${context.baseUrl}${resource.resourceType.endpoint}/${id}`, status: "204" };
      }
    } catch (error) {
      if (error instanceof ScimError) return failure(operation, error);
      // RFC 7644 §3.7.3: each operation has its own outcome. One that failed unexpectedly is that
      // operation's 500, and the operations before it, already committed, keep their locations.
      this.onUnexpected(error, { method: operation.method, path: operation.path, ...(operation.bulkId ? { bulkId: operation.bulkId } : {}) });
      return failure(operation, ScimError.internal("An unexpected error occurred"));
    }
  }

  // "/Users" for POST, "/Users/{id}" for the others.
  private route(path: string, method: Method): { resource: ResourceOperations; id?: string } {
    const match = /^\/?([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
    const resource = match && this.resources.find((candidate) => candidate.resourceType.endpoint.slice(1).toLowerCase() === match[1]?.toLowerCase());
    if (!match || !resource) throw ScimError.invalidPath(`"${path}" is not a resource endpoint`);
    const id = match[2];
    if (method === "POST" && id !== undefined) throw ScimError.invalidPath("POST takes the resource type's endpoint, e.g. /Users");
    if (method !== "POST" && id === undefined) throw ScimError.invalidPath(`${method} needs a resource's path, e.g. /Users/{id}`);
    return { resource, ...(id === undefined ? {} : { id }) };
  }
}

function readBulkRequest(body: unknown): { failOnErrors?: number; operations: BulkOperation[] } {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) throw ScimError.invalidSyntax('A Bulk body is {"schemas":["' + bulkRequestUrn + '"],"Operations":[...]}');
  const bulkIds = new Set<string>();
  const operations = parsed.data.Operations.map((raw, index): BulkOperation => {
    const operation = operationSchema.safeParse(raw);
    if (!operation.success) throw ScimError.invalidSyntax(`Bulk operation ${index + 1} needs a method and a path`);
    const method = operation.data.method.toUpperCase();
    if (method !== "POST" && method !== "PUT" && method !== "PATCH" && method !== "DELETE") {
      throw ScimError.invalidSyntax(`Bulk operation ${index + 1} has an unknown method "${operation.data.method}"`);
    }
    if (method === "POST" && !operation.data.bulkId) throw ScimError.invalidSyntax(`Bulk operation ${index + 1}: POST needs a bulkId`);
    if (operation.data.bulkId) {
      if (bulkIds.has(operation.data.bulkId)) throw ScimError.invalidSyntax(`bulkId "${operation.data.bulkId}" is used twice`);
      bulkIds.add(operation.data.bulkId);
    }
    const text = JSON.stringify([operation.data.path, operation.data.data ?? null]);
    const references = new Set([...text.matchAll(bulkIdReference)].map((found) => found[1] as string));
    return {
      index,
      method,
      path: operation.data.path,
      references,
      ...(operation.data.bulkId ? { bulkId: operation.data.bulkId } : {}),
      ...(operation.data.version ? { version: operation.data.version } : {}),
      ...(operation.data.data === undefined ? {} : { data: operation.data.data }),
    };
  });
  return { operations, ...(parsed.data.failOnErrors === undefined ? {} : { failOnErrors: parsed.data.failOnErrors }) };
}

// Replaces every "bulkId:<id>" with the id of the resource created for it.
function substitute(value: unknown, created: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") return value.replace(bulkIdReference, (whole, id: string) => created.get(id) ?? whole);
  if (Array.isArray(value)) return value.map((element) => substitute(element, created));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, substitute(element, created)]));
  }
  return value;
}

function conditionOf(version: string): WriteCondition {
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(version);
  if (!match) throw ScimError.preconditionFailed("version does not name a version of this resource");
  return { ifVersion: Number(match[1]) };
}

function unresolved(operation: BulkOperation, all: readonly BulkOperation[]): string {
  const known = new Set(all.flatMap((candidate) => (candidate.bulkId ? [candidate.bulkId] : [])));
  const unknown = [...operation.references].filter((reference) => !known.has(reference));
  return unknown.length > 0
    ? `bulkId ${unknown.map((id) => `"${id}"`).join(", ")} is not defined by any operation of this request`
    : "Circular bulkId references: the operations refer to each other's resources";
}

function failure(operation: BulkOperation, error: ScimError): BulkResult {
  return {
    method: operation.method,
    ...(operation.bulkId ? { bulkId: operation.bulkId } : {}),
    status: String(error.status),
    response: toScimErrorBody(error),
  };
}
