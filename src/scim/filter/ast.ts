import type { AttributeDefinition } from "../schema/types.ts";

// RFC 7644 §3.4.2.2: a filter after it has been resolved against a resource type's schemas.
// Plain readonly data; every consumer switches on `kind` and ends with assertNever.

/** An attribute path resolved by the schema registry; the attribute compared is `subAttribute ?? attribute`. */
export interface AttributeRef {
  /** Canonical path from the registry: "name.givenName", "urn:...:enterprise:2.0:User:manager.value". */
  readonly path: string;
  /** URN of the schema that defines the attribute (the core schema for id, externalId, meta). */
  readonly schema: string;
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
}

export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

/** Strings for string, reference and binary attributes; Date for dateTime; numbers; booleans; null. */
export type CompareValue = string | number | boolean | null | Date;

export interface CompareFilter {
  readonly kind: "compare";
  readonly attribute: AttributeRef;
  readonly op: CompareOperator;
  readonly value: CompareValue;
}

export interface PresentFilter {
  readonly kind: "present";
  readonly attribute: AttributeRef;
}

export interface AndFilter {
  readonly kind: "and";
  /** Two or more; never directly another "and" (the parser flattens them). */
  readonly filters: readonly Filter[];
}

export interface OrFilter {
  readonly kind: "or";
  /** Two or more; never directly another "or" (the parser flattens them). */
  readonly filters: readonly Filter[];
}

export interface NotFilter {
  readonly kind: "not";
  readonly filter: Filter;
}

/** `emails[type eq "work"]`: some single element of a multi-valued complex attribute matches `filter`. */
export interface ValuePathFilter {
  readonly kind: "valuePath";
  /** The multi-valued complex attribute, without subAttribute. */
  readonly attribute: AttributeRef;
  /** Its refs all have `attribute` as their attribute and one of its sub-attributes as subAttribute. */
  readonly filter: Filter;
}

export type Filter = CompareFilter | PresentFilter | AndFilter | OrFilter | NotFilter | ValuePathFilter;

export const compareOperators: readonly CompareOperator[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];

/** The attribute whose values a ref compares. */
export function comparedAttribute(ref: AttributeRef): AttributeDefinition {
  return ref.subAttribute ?? ref.attribute;
}

/** Ends an exhaustive switch over a discriminated union; unreachable when the switch is complete. */
export function assertNever(value: never): never {
  throw new Error(`unexpected filter node ${JSON.stringify(value)}`);
}
