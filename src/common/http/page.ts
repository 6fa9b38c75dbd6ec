import { encodeCursor } from './cursor.js';

export const DEFAULT_PAGE_SIZE = 20;

export interface Page<T> {
  rows: T[];
  /** The cursor of the next page; null when this page is the last (never a cursor to an empty page). */
  nextCursor: string | null;
}

/**
 * Every list pages the same way: it asks for one row more than the page, and only that extra row gives
 * the page a next cursor (the key of the page's last row).
 */
export async function pageOf<T>(
  limit: number | undefined,
  fetch: (take: number) => Promise<T[]>,
  keyOf: (row: T) => string | number,
): Promise<Page<T>> {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  const rows = await fetch(size + 1);
  const page = rows.slice(0, size);
  return { rows: page, nextCursor: rows.length > size ? encodeCursor(keyOf(page[page.length - 1])) : null };
}
