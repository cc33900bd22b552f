import { assertNever } from "../../scim/filter/ast.ts";
import type { SqlValue } from "../driver/sql.ts";
import type { ColumnOf, ElementTable, ResourceTable, Table } from "../tables.ts";

// The conditions the store's statements select rows by: what the filter compiler (compile.ts) and
// the cursor (cursor.ts) produce, rendered as SQL by conditionSql below. Every column is named with
// its table, so that a condition inside an EXISTS subquery never resolves to the outer row.

export type Operand = string | number | boolean | Date;

export type Column = { readonly [T in Table]: { readonly kind: "column"; readonly table: T; readonly name: ColumnOf<T> } }[Table];

// The first value (pos 0) of a resource's ExtensionValue rows of one attribute: how a list is
// sorted by an extension attribute, whose values are rows of their own.
export interface FirstExtensionValue {
  readonly kind: "firstExtensionValue";
  readonly owner: ResourceTable;
  readonly column: "value" | "num";
  readonly attr: string;
}

export type Expression = Column | FirstExtensionValue;

export type Comparison = "=" | "<>" | "<" | "<=" | ">" | ">=";

export type Condition =
  | { readonly kind: "compare"; readonly left: Expression; readonly op: Comparison; readonly value: Operand }
  // `pattern` is a LIKE pattern: % and _ are wildcards, a backslash escapes them.
  | { readonly kind: "like"; readonly left: Expression; readonly pattern: string }
  | { readonly kind: "in"; readonly left: Expression; readonly values: readonly Operand[] }
  | { readonly kind: "null"; readonly left: Expression; readonly isNull: boolean }
  // An empty `and` is true, an empty `or` false.
  | { readonly kind: "and"; readonly conditions: readonly Condition[] }
  | { readonly kind: "or"; readonly conditions: readonly Condition[] }
  | { readonly kind: "not"; readonly condition: Condition }
  | ExistsCondition;

// The resource has an element row meeting `where`: its owner column names the resource's id.
export interface ExistsCondition {
  readonly kind: "exists";
  readonly table: ElementTable;
  readonly owner: Column;
  readonly resource: Column;
  readonly where: Condition;
}

export function column<T extends Table>(table: T, name: ColumnOf<T>): Column {
  return { kind: "column", table, name } as Column;
}

export const compare = (left: Expression, op: Comparison, value: Operand): Condition => ({ kind: "compare", left, op, value });
export const isNull = (left: Expression): Condition => ({ kind: "null", left, isNull: true });
export const notNull = (left: Expression): Condition => ({ kind: "null", left, isNull: false });
export const and = (...conditions: Condition[]): Condition => (conditions.length === 1 ? (conditions[0] as Condition) : { kind: "and", conditions });
export const or = (...conditions: Condition[]): Condition => (conditions.length === 1 ? (conditions[0] as Condition) : { kind: "or", conditions });
export const not = (condition: Condition): Condition => ({ kind: "not", condition });
export const never: Condition = { kind: "or", conditions: [] };

const always = "1 = 1";
const neverSql = "1 = 0";

// Both databases spell every condition alike (LIKE's escape character is set up on SQLite's
// connection, driver/sqlite.ts), so one rendering serves both. Appends the values of the `?`
// placeholders to args, in the order they appear.
export function conditionSql(condition: Condition, args: SqlValue[]): string {
  switch (condition.kind) {
    case "compare": {
      const left = expressionSql(condition.left, args);
      args.push(condition.value);
      return `${left} ${condition.op} ?`;
    }
    case "like": {
      const left = expressionSql(condition.left, args);
      args.push(condition.pattern);
      return `${left} LIKE ?`;
    }
    case "in": {
      if (condition.values.length === 0) return neverSql;
      const left = expressionSql(condition.left, args);
      args.push(...condition.values);
      return `${left} IN (${placeholders(condition.values.length)})`;
    }
    case "null":
      return `${expressionSql(condition.left, args)} IS ${condition.isNull ? "" : "NOT "}NULL`;
    case "and":
      return joined(condition.conditions.map((inner) => conditionSql(inner, args)));
    case "or": {
      const parts = condition.conditions.map((inner) => conditionSql(inner, args));
      return parts.length === 0 ? neverSql : parts.length === 1 ? (parts[0] as string) : `(${parts.join(" OR ")})`;
    }
    case "not":
      return `NOT (${conditionSql(condition.condition, args)})`;
    case "exists": {
      const owner = `${expressionSql(condition.owner, args)} = ${expressionSql(condition.resource, args)}`;
      const where = condition.where.kind === "and" ? condition.where.conditions : [condition.where];
      const inner = where.map((part) => conditionSql(part, args)).filter((part) => part !== always);
      return `EXISTS (SELECT 1 FROM "${condition.table}" WHERE ${[owner, ...inner.map(parenthesised)].join(" AND ")})`;
    }
    default:
      return assertNever(condition);
  }
}

export function expressionSql(expression: Expression, args: SqlValue[]): string {
  switch (expression.kind) {
    case "column":
      return `"${expression.table}"."${expression.name}"`;
    case "firstExtensionValue": {
      // The owner column is indexed: one seek per resource row.
      const owner = expression.owner === "Group" ? "groupId" : "userId";
      args.push(expression.attr);
      return `(SELECT "ExtensionValue"."${expression.column}" FROM "ExtensionValue" WHERE "ExtensionValue"."${owner}" = "${expression.owner}"."id" AND "ExtensionValue"."attr" = ? AND "ExtensionValue"."pos" = 0)`;
    }
    default:
      return assertNever(expression);
  }
}

export interface OrderTerm {
  readonly by: Expression;
  readonly direction: "asc" | "desc";
  readonly nulls?: "first" | "last";
}

export function orderSql(terms: readonly OrderTerm[], args: SqlValue[]): string {
  return terms
    .map(({ by, direction, nulls }) => `${expressionSql(by, args)} ${direction.toUpperCase()}${nulls ? ` NULLS ${nulls.toUpperCase()}` : ""}`)
    .join(", ");
}

function joined(parts: readonly string[]): string {
  const kept = parts.filter((part) => part !== always);
  if (kept.length === 0) return always;
  return kept.length === 1 ? (kept[0] as string) : kept.map(parenthesised).join(" AND ");
}

function parenthesised(sql: string): string {
  return `(${sql})`;
}

// `?, ?, ...`: one placeholder per value of an IN list.
export function placeholders(count: number): string {
  return count <= 0 ? "" : `${"?, ".repeat(count - 1)}?`;
}
