// One token of filter text (tokens.ts writes them; quirks.ts rewrites some; syntax.ts parses them).
export interface FilterToken {
  readonly type: "Word" | "Quoted" | "Number" | "Bracket" | "EOT";
  /** For Quoted, a JSON string literal; for a value Word or Number, a JSON literal. */
  readonly literal: string;
  /** 0-based position in the filter text. */
  readonly offset: number;
  /** Added by a rewrite in quirks.ts, not written by the client; errors point past it. */
  readonly implied?: true;
}
