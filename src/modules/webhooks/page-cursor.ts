import { AppException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';

// Lists are ordered newest first by an insertion sequence; the cursor is the last sequence seen, opaque.
export function encodeCursor(seq: string): string {
  return Buffer.from(`s:${seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const match = /^s:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw new AppException(ErrorCode.ValidationFailed, 'cursor is not one this API gave out', {
      fields: [{ field: 'cursor', problems: ['cursor is not one this API gave out'] }],
    });
  }
  return match[1];
}

export function nextCursor<T extends { seq: string }>(rows: T[], limit: number): string | null {
  return rows.length === limit ? encodeCursor(rows[rows.length - 1].seq) : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
