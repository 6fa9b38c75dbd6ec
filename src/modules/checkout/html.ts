// Escaping for the hand-written templates: every value put into the page goes through one of these.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text or a quoted attribute value. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

/** JSON for a data-* attribute (parsed by the page's script with JSON.parse). */
export function jsonAttr(value: unknown): string {
  return esc(JSON.stringify(value));
}
