import { csvLine, CsvValue, UTF8_BOM } from './csv.js';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One exported column: its CSV header and the row field (the SQL's camelCase alias) it shows. */
export interface ExportColumn<T> {
  header: string;
  field: keyof T & string;
}

export interface Encoding<T> {
  head: string;
  encode: (row: T) => string;
  contentType: string;
  extension: string;
}

/** CSV (BOM, header row, one line per row) or JSON Lines (one object per line, camelCase keys). */
export function encodingOf<T extends object>(format: ExportFormat, columns: ExportColumn<T>[]): Encoding<T> {
  if (format === 'jsonl') {
    return {
      head: '',
      encode: (row) => `${JSON.stringify(row)}\n`,
      contentType: 'application/x-ndjson; charset=utf-8',
      extension: 'jsonl',
    };
  }
  return {
    head: UTF8_BOM + csvLine(columns.map((c) => c.header)),
    encode: (row) => csvLine(columns.map((c) => row[c.field] as CsvValue)),
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
  };
}
