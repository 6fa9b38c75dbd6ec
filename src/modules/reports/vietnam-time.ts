// Accounting days are Vietnamese days. Asia/Ho_Chi_Minh has kept UTC+7, without daylight saving, since 1975,
// so a day's bounds are plain arithmetic; the SQL that shows local times uses the zone's name.
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const OFFSET_MS = 7 * 3600_000;

export const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// A date (Vietnamese midnight) or a date-time with its offset: an instant without one would be ambiguous.
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The instant a Vietnamese day (YYYY-MM-DD) begins; null for no such date (2026-02-30). */
export function vietnamMidnight(date: string): Date | null {
  const match = DATE_PATTERN.exec(date);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(y, m - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc - OFFSET_MS);
}

/** The Vietnamese day [from, to) of a date. */
export function vietnamDay(date: string): { from: Date; to: Date } | null {
  const from = vietnamMidnight(date);
  return from ? { from, to: new Date(from.getTime() + 86_400_000) } : null;
}

/** A filter bound: a date is its Vietnamese midnight, a date-time is itself. */
export function instantOf(value: string): Date | null {
  if (!INSTANT_PATTERN.test(value)) return null;
  if (DATE_PATTERN.test(value)) return vietnamMidnight(value);
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}
