import { decodeCursor, encodeCursor, SEQUENCE_PATTERN } from '../../common/http/cursor.js';

// Lists are ordered newest first by an insertion sequence; the cursor carries the last sequence seen.
export function sequenceAfter(cursor: string | undefined): string | null {
  return cursor === undefined ? null : decodeCursor(cursor, SEQUENCE_PATTERN);
}

export function nextCursor<T extends { seq: string }>(rows: T[], limit: number): string | null {
  return rows.length === limit ? encodeCursor(rows[rows.length - 1].seq) : null;
}
