// A duration as the command-line tools and the admin API take it: whole seconds, or a whole
// number ending in s, m, h or d ("90d"). Undefined when the text is not one.
export function durationSecondsOf(text: string): number | undefined {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "" | "s" | "m" | "h" | "d"];
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}
