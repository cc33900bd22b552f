import { ScimError } from "../errors.ts";
import { compareOperators } from "./ast.ts";
import { bareValueToken } from "./quirks.ts";
import type { FilterToken } from "./token.ts";

// RFC 7644 §3.4.2.2: filter text as the tokens scim2-parse-filter's parser reads, each with its offset.
// We lex ourselves because the library's tokenizer mangles backslashes in strings and keeps no
// positions; its parser (syntax.ts) then works on these tokens unchanged.


const operators = new Set<string>(compareOperators);
const notAttributePaths = new Set<string>([...compareOperators, "pr", "and", "or", "not"]);
const bareRun = /[^\s()[\]"]+/y;

/** Splits filter text into tokens; throws invalidFilter for an unterminated or malformed string. */
export function tokenizeFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let offset = 0;
  while (offset < text.length) {
    const char = text[offset];
    if (/\s/.test(char)) {
      offset += 1;
    } else if (char === "]" && text[offset + 1] === ".") {
      tokens.push({ type: "Bracket", literal: "].", offset });
      offset += 2;
    } else if ("()[]".includes(char)) {
      tokens.push({ type: "Bracket", literal: char, offset });
      offset += 1;
    } else if (char === '"') {
      const literal = readString(text, offset);
      tokens.push({ type: "Quoted", literal, offset });
      offset += literal.length;
    } else {
      bareRun.lastIndex = offset;
      const word = bareRun.exec(text)?.[0] ?? char;
      tokens.push(inValuePosition(tokens) ? bareValueToken(word, offset) : { type: "Word", literal: word, offset });
      offset += word.length;
    }
  }
  tokens.push({ type: "EOT", literal: "", offset: text.length });
  return tokens;
}

/** True when the tokens so far end in `attrPath compareOp`, so the next token is a comparison value. */
export function inValuePosition(tokens: readonly FilterToken[]): boolean {
  const operator = tokens.at(-1);
  const attrPath = tokens.at(-2);
  return (
    operator?.type === "Word" &&
    operators.has(operator.literal.toLowerCase()) &&
    attrPath?.type === "Word" &&
    !notAttributePaths.has(attrPath.literal.toLowerCase())
  );
}

// RFC 7644 §3.4.2.2: compValue strings are JSON strings (RFC 7159 §7).
function readString(text: string, start: number): string {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === "\\" ? 2 : 1;
  if (index >= text.length) {
    throw ScimError.invalidFilter(`malformed filter: string at character ${start + 1} is not terminated`);
  }
  const literal = text.slice(start, index + 1);
  try {
    JSON.parse(literal);
  } catch {
    throw ScimError.invalidFilter(`malformed filter: string at character ${start + 1} is not a valid JSON string`);
  }
  return literal;
}
