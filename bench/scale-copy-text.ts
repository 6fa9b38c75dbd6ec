// Values in COPY's text format, made fast: the bench writes tens of millions of them.
export type Field = string | number | boolean | null;

// Every value is made here, and none holds a tab, a newline or a backslash: written as is, \N for null.
export const line = (fields: Field[]) => {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const v = fields[i];
    out += (i === 0 ? '' : '\t') + (v === null ? '\\N' : v);
  }
  return `${out}\n`;
};
// Column lists as the migrations name them, in the order of each line's fields.
export const cols = (names: string) => names.split(/\s+/);

// ISO 8601 in UTC, as toISOString() writes it, without a Date per value (millions of them).
const days = new Map<number, string>();
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const TWO = Array.from({ length: 60 }, (_, i) => pad(i, 2));
const THREE = Array.from({ length: 1000 }, (_, i) => pad(i, 3));
export const at = (ms: number) => {
  const day = Math.floor(ms / 86_400_000);
  let prefix = days.get(day);
  if (prefix === undefined) days.set(day, (prefix = new Date(day * 86_400_000).toISOString().slice(0, 11)));
  let rest = Math.floor(ms) - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${prefix}${TWO[h]}:${TWO[m]}:${TWO[sec]}.${THREE[rest - sec * 1000]}Z`;
};
