import { retryDelayMs } from './webhook-backoff.js';

describe(retryDelayMs.name, () => {
  const middle = () => 0.5;

  it('retries first after about 5 s, then about 30 s, so a receiver down briefly is caught up in a minute', () => {
    expect(retryDelayMs(1, 5_000, middle)).toBe(5_000);
    expect(retryDelayMs(2, 5_000, middle)).toBe(30_000);
    expect(retryDelayMs(1, 5_000, () => 1) + retryDelayMs(2, 5_000, () => 1)).toBeLessThanOrEqual(60_000);
  });

  it('then doubles up to one hour', () => {
    expect(retryDelayMs(3, 5_000, middle)).toBe(60_000);
    expect(retryDelayMs(4, 5_000, middle)).toBe(120_000);
    expect(retryDelayMs(9, 5_000, middle)).toBe(3_600_000);
    expect(retryDelayMs(500, 5_000, middle)).toBe(3_600_000);
  });

  it('spreads retries by up to 20 % either way', () => {
    expect(retryDelayMs(2, 5_000, () => 0)).toBe(24_000);
    expect(retryDelayMs(2, 5_000, () => 1)).toBe(36_000);
  });

  it('keeps retrying for more than 24 hours before the 25-hour window closes', () => {
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 24 * 3_600_000) elapsed += retryDelayMs(++attempts, 5_000, () => 0);
    expect(attempts).toBeGreaterThan(20);
  });

  it('scales with the base (tests shorten it)', () => {
    expect(retryDelayMs(1, 50, middle)).toBe(50);
    expect(retryDelayMs(2, 50, middle)).toBe(300);
  });
});
