// What PostgreSQL text and jsonb cannot hold: NUL, and UTF-16 surrogates that are not part of a pair (JSON
// allows "\ud83d"; PostgreSQL refuses it, and UTF-8 has no encoding for it). Everything else (control
// characters, zero-width and bidi marks) is storable and passes through.
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export function hasUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text);
}

/** The text with each unstorable character replaced by U+FFFD, as a UTF-8 decoder would. */
export function storableText(text: string): string {
  return hasUnstorableText(text) ? text.replace(UNSTORABLE_ALL, '\uFFFD') : text;
}

/** The path (a.b[2].c) of the first key or string value holding unstorable text, or null. */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return hasUnstorableText(value) ? path || '(value)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (hasUnstorableText(key)) return childPath;
      const found = findUnstorableText(child, childPath);
      if (found !== null) return found;
    }
  }
  return null;
}
