/**
 * Delay before the next attempt after `attempt` failed ones, for a base of B (default 5 s):
 * B, 6B (30 s), then doubling (1 min, 2 min, ...) up to 720B (1 h); each within ±20 % jitter so the
 * retries of many deliveries do not arrive at a recovering receiver in one wave.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const cap = baseMs * 720;
  const nominal = attempt <= 1 ? baseMs : Math.min(cap, baseMs * 6 * 2 ** Math.min(attempt - 2, 20));
  const jitter = 0.8 + random() * 0.4;
  return Math.round(nominal * jitter);
}
