const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

/**
 * Counts failed attempts per key (the caller's address) in fixed one-minute windows. Once a key reaches the
 * limit, every attempt from it is refused until its window ends. In memory, per instance.
 */
export class FailureThrottle {
  private readonly failures = new Map<string, { since: number; count: number }>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

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
    if (this.failures.size >= MAX_TRACKED) this.prune(now);
    this.failures.set(key, { since: now, count: 1 });
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) {
      if (entry.since + WINDOW_MS <= now) this.failures.delete(key);
    }
    // Still full: a spray from very many addresses; forgetting beats growing without bound.
    if (this.failures.size >= MAX_TRACKED) this.failures.clear();
  }
}
