// Text neither database stores as sent: PostgreSQL refuses U+0000 in text ("invalid byte sequence
// for encoding UTF8") and SQLite keeps it; a lone surrogate (half of a UTF-16 pair) has no UTF-8
// form, so both would store U+FFFD instead. Such text is refused before any database sees it, with
// the same answer on both (http/storable-text.ts for requests, filter/syntax.ts for the values a
// filter's escapes spell).

// U+0000, or a surrogate without its other half.
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorable(text: string): boolean {
  return !unstorable.test(text);
}

// Where the first unstorable string (a value or a key) is in a parsed JSON value, as a
// dotted path; undefined when there is none.
export function unstorableAt(value: unknown, path = "body"): string | undefined {
  if (typeof value === "string") return isStorable(value) ? undefined : path;
  if (typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = unstorableAt(value[index], `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isStorable(key)) return path;
    const found = unstorableAt(item, `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
