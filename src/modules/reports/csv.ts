// CSV the way spreadsheet programs read it: UTF-8 with a byte-order mark (without it Excel takes the file for
// the local code page and mangles Vietnamese), CRLF line ends, fields quoted when they need it (RFC 4180).
export const UTF8_BOM = '\uFEFF';

export type CsvValue = string | number | null;

// A text cell starting with one of these is run as a formula by spreadsheet programs; transfer contents are
// written by payers, so such cells get a leading apostrophe (shown as text, not evaluated).
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: CsvValue, text: boolean): string {
  if (value === null) return '';
  let s = String(value);
  if (text && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line; numbers are written as they are, strings as guarded text. */
export function csvLine(values: CsvValue[]): string {
  return `${values.map((v) => cell(v, typeof v === 'string')).join(',')}\r\n`;
}
