import type { Filter as SyntaxTree } from "scim2-parse-filter";
import { Tokens, parseFilter as parseTokens, type Token } from "scim2-parse-filter/lib/src/parser.js";
import { ScimError } from "../errors.ts";
import { unstorableAt } from "../storable.ts";
import { compareOperators } from "./ast.ts";
import { nestingTooDeep, type FilterLimits } from "./limits.ts";
import { moveSubAttributeIntoValuePath } from "./quirks.ts";
import type { FilterToken } from "./token.ts";
import { inValuePosition, tokenizeFilter } from "./tokens.ts";

// RFC 7644 §3.4.2.2 (the filter ABNF): filter text -> scim2-parse-filter's syntax tree, with
// invalidFilter details that say where the text went wrong.

const operatorList = [...compareOperators, "pr"].join(", ");
const logical = new Set(["and", "or", "not"]);

/** Parses filter text into scim2-parse-filter's tree (attribute names still unresolved). */
export function parseSyntax(text: string, limits: FilterLimits): SyntaxTree {
  const tokens = tokenizeFilter(text);
  checkNesting(tokens, limits);
  checkKeywordPlacement(tokens);
  const rewritten = moveSubAttributeIntoValuePath(tokens);
  const list = new Tokens(rewritten as Token[]);
  let tree: SyntaxTree;
  try {
    tree = parseTokens(list);
  } catch (error) {
    if (!(error instanceof Error) || error instanceof ScimError) throw error;
    throw unexpectedToken(rewritten, Math.min(Math.max(list.i - 1, 0), rewritten.length - 1));
  }
  if (list.peek().type !== "EOT") throw unexpectedToken(rewritten, list.i);
  // A string's escapes can spell what the text did not hold ("\u0000").
  if (unstorableAt(tree) !== undefined) throw ScimError.invalidFilter("A value in the filter holds U+0000 or an unpaired surrogate");
  return tree;
}

// Parentheses, brackets and chains of "not" are what the library's parser recurses on; bound them
// before it runs. (The depth of the resolved filter is checked again afterwards, in limits.ts.)
function checkNesting(tokens: readonly FilterToken[], limits: FilterLimits): void {
  let depth = 0;
  let nots = 0;
  tokens.forEach(({ type, literal }, index) => {
    if (type === "Bracket") depth += literal === "(" || literal === "[" ? 1 : -1;
    else if (type === "Word" && literal.toLowerCase() === "not") nots += tokens[index + 1]?.literal === "(" ? 0 : 1;
    else nots = 0;
    if (depth + nots > limits.maxDepth) throw nestingTooDeep(limits);
  });
}

// The library would read `a pr not b pr` as a node {op: "not", filters: [...]} and `a pr and or`
// as an attribute named "or"; reject both here, at the keyword.
function checkKeywordPlacement(tokens: readonly FilterToken[]): void {
  tokens.forEach((token, index) => {
    const keyword = token.type === "Word" ? token.literal.toLowerCase() : "";
    if (!logical.has(keyword) || (keyword === "not") === startsExpression(tokens, index)) return;
    throw keyword === "not"
      ? ScimError.invalidFilter(
          `malformed filter at character ${token.offset + 1}: "not" must begin an expression, as in not (...)`,
        )
      : unexpectedToken(tokens, index);
  });
}

function startsExpression(tokens: readonly FilterToken[], index: number): boolean {
  const previous = tokens[index - 1];
  if (previous === undefined) return true;
  if (previous.type === "Bracket") return previous.literal === "(" || previous.literal === "[";
  return previous.type === "Word" && logical.has(previous.literal.toLowerCase());
}

function unexpectedToken(tokens: readonly FilterToken[], index: number): ScimError {
  const token = tokens.slice(index).find((candidate) => candidate.implied !== true) ?? tokens[index];
  if (token.type === "EOT" && index === 0) return ScimError.invalidFilter("malformed filter: it is empty");
  const expected = expectation(tokens, index);
  return ScimError.invalidFilter(
    `malformed filter at character ${token.offset + 1}: expected ${expected}, found ${spelling(token)}`,
  );
}

function spelling(token: FilterToken): string {
  if (token.type === "EOT") return "the end of the filter";
  return token.type === "Quoted" ? token.literal : `"${token.literal}"`;
}

function expectation(tokens: readonly FilterToken[], index: number): string {
  const before = tokens.slice(0, index);
  const previous = before.at(-1);
  const start = 'an attribute path, "not" or "("';
  if (previous === undefined || startsExpression(tokens, index)) return start;
  if (inValuePosition(before)) return "a comparison value";
  const closed = previous.type === "Bracket" && (previous.literal === ")" || previous.literal === "]");
  const afterValue = closed || inValuePosition(before.slice(0, -1));
  if (afterValue) return '"and", "or" or the end of a group';
  if (previous.literal.toLowerCase() === "pr") return '"and", "or" or the end of a group ("pr" takes no value)';
  if (previous.type === "Word") return `an operator (${operatorList}) or "["`;
  return start;
}
