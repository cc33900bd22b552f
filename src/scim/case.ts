// RFC 7643 §2.3.1: attributes that are not caseExact compare case-insensitively. Every such
// value is compared, sorted and made unique in this folded form; this is the one place that
// defines it.
export function foldCase(value: string): string {
  return value.normalize("NFC").toLowerCase();
}
