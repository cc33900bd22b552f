import type { ResolvedAttribute, SchemaRegistry } from "../schema/registry.ts";
import type { ResourceTypeDefinition } from "../schema/types.ts";
import type { FilterToken } from "./token.ts";

// Filters real clients send that RFC 7644 §3.4.2.2 does not allow, and how we read them. Each is
// unambiguous: the strict reading of the same text would be a syntax error or an unknown attribute.

const jsonLiteral = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)$/;

/**
 * Unquoted comparison values: the Microsoft SCIM reference collection sends `userName sw O`,
 * `name.FamilyName eq Employee` and `meta.Created gt 2015-10-10T14:38:21.8617979-07:00`; Entra's
 * documentation shows `externalId eq jyoung`. A bare word that is a JSON literal (true, false, null, a
 * number) keeps its JSON meaning; any other bare word is read as the string it spells.
 */
export function bareValueToken(word: string, offset: number): FilterToken {
  if (!jsonLiteral.test(word)) return { type: "Quoted", literal: JSON.stringify(word), offset };
  return { type: /^[-\d]/.test(word) ? "Number" : "Word", literal: word, offset };
}

/**
 * Entra ID sends `emails[type eq "work"].value eq "x"`: the PATCH valuePath form (RFC 7644 §3.5.2)
 * followed by a comparison. It means one element whose type is "work" and whose value is "x", so the
 * comparison moves inside the brackets: `emails[(type eq "work") and value eq "x"]`.
 */
export function moveSubAttributeIntoValuePath(tokens: readonly FilterToken[]): FilterToken[] {
  const out: FilterToken[] = [];
  const openings: number[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token.literal === "[" && token.type === "Bracket") openings.push(out.length);
    if (token.literal === "]" && token.type === "Bracket") openings.pop();
    if (token.literal !== "]." || token.type !== "Bracket") {
      out.push(token);
      continue;
    }
    const opening = openings.pop();
    const comparison = comparisonAt(tokens, index + 1);
    if (opening === undefined || comparison.length === 0) {
      // Not the Entra form: leave a stray "." for the parser to report where it stands.
      out.push({ ...token, literal: "]" }, { type: "Word", literal: ".", offset: token.offset + 1 });
      continue;
    }
    const implied = (type: FilterToken["type"], literal: string): FilterToken =>
      ({ type, literal, offset: token.offset, implied: true });
    out.splice(opening + 1, 0, implied("Bracket", "("));
    out.push(implied("Bracket", ")"), implied("Word", "and"), ...comparison, implied("Bracket", "]"));
    index += comparison.length;
  }
  return out;
}

/** `subAttr op value` or `subAttr pr` starting at `start`; empty when the tokens there are not one. */
function comparisonAt(tokens: readonly FilterToken[], start: number): readonly FilterToken[] {
  const [subAttribute, operator, value] = tokens.slice(start, start + 3);
  if (subAttribute?.type !== "Word" || operator?.type !== "Word") return [];
  if (operator.literal.toLowerCase() === "pr") return [subAttribute, operator];
  return value === undefined || value.type === "Bracket" || value.type === "EOT"
    ? [subAttribute, operator]
    : [subAttribute, operator, value];
}

/**
 * Entra ID sends `manager eq "id"`: an enterprise extension attribute without its URN, which
 * RFC 7644 §3.10 reserves for the core schema. A path the core schema does not know resolves in the
 * one extension schema of the resource type that defines it (none or several: unknown).
 */
export function findInExtension(
  registry: SchemaRegistry,
  resourceType: ResourceTypeDefinition,
  path: string,
): ResolvedAttribute | undefined {
  if (path.includes(":")) return undefined;
  const found = resourceType.schemaExtensions
    .map((extension) => registry.findAttribute(resourceType, `${extension.schema}:${path}`))
    .filter((resolved) => resolved !== undefined);
  return found.length === 1 ? found[0] : undefined;
}
