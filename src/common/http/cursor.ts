import { AppException } from '../errors/app.exception.js';
import { ErrorCode } from '../errors/error-code.js';

// Lists page with an opaque cursor: the key of the last row seen (an id or an insertion sequence).

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SEQUENCE_PATTERN = /^\d{1,18}$/;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), 'utf8').toString('base64url');
}

/** The key inside a cursor this API gave out; 400 naming the cursor field otherwise. */
export function decodeCursor(cursor: string, key: RegExp): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key.test(decoded)) {
    const problem = 'cursor is not one this API gave out';
    throw new AppException(ErrorCode.ValidationFailed, problem, {
      fields: [{ field: 'cursor', problems: [problem] }],
    });
  }
  return decoded;
}
