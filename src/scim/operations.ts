import type { RequestContext } from "./context.ts";
import type { ListQuery, Page, Versioned, WriteCondition } from "./ports.ts";
import type { ScimResource } from "./render.ts";
import type { AttributeDefinition, ResourceTypeDefinition } from "./schema/types.ts";

// The operations of one resource type (RFC 7644 §3.3 - §3.6), as the HTTP handlers, Bulk and
// /Me call them.
export interface ResourceOperations<T extends Versioned = Versioned> {
  readonly resourceType: ResourceTypeDefinition;
  // The attribute read from a relation table ("groups", "members"): read only when returned.
  readonly relation: AttributeDefinition;
  create(context: RequestContext, body: unknown): Promise<T>;
  get(context: RequestContext, id: string, withRelation: boolean): Promise<T>;
  replace(context: RequestContext, id: string, body: unknown, condition: WriteCondition): Promise<T>;
  patch(context: RequestContext, id: string, body: unknown, condition: WriteCondition, withRelation: boolean): Promise<T>;
  remove(context: RequestContext, id: string, condition: WriteCondition): Promise<void>;
  list(context: RequestContext, query: ListQuery, withRelation: boolean): Promise<Page<T>>;
  render(context: RequestContext, resource: T): ScimResource;
}
