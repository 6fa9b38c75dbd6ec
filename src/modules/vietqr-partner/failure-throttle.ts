const WINDOW_MS = 60_000;
export const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Counts failed attempts per key (the caller's address) in fixed one-minute windows. Once a key reaches the
 * limit, its further failures are refused until its window ends (the caller decides what a failure is).
 * In memory, per instance, bounded: when full, the oldest windows are forgotten first, one at a time, so a
 * spray from many addresses never forgets everyone at once.
 */
export class FailureThrottle {
  // Map order is insertion order: a key is (re)inserted when its window starts, so the first is the oldest.
  private readonly failures = new Map<string, { since: number; count: number }>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxTracked: number = MAX_TRACKED_ADDRESSES,
  ) {}

  /** Keys currently remembered. */
  get size(): number {
    return this.failures.size;
  }

  /** Seconds to wait when the key is throttled, else null. */
  retryAfterSeconds(key: string): number | null {
    const entry = this.failures.get(key);
    if (!entry) return null;
    const left = entry.since + WINDOW_MS - this.now();
    if (left <= 0) {
      this.failures.delete(key);
      return null;
    }
    return entry.count >= this.limitPerMinute ? Math.ceil(left / 1000) : null;
  }

  recordFailure(key: string): void {
    const now = this.now();
    const entry = this.failures.get(key);
    if (entry && entry.since + WINDOW_MS > now) {
      entry.count += 1;
      return;
    }
    this.failures.delete(key);
    while (this.failures.size >= this.maxTracked) {
      const oldest = this.failures.keys().next().value as string;
      this.failures.delete(oldest);
    }
    this.failures.set(key, { since: now, count: 1 });
  }
}
