import { FailureThrottle, MAX_TRACKED_ADDRESSES } from './failure-throttle.js';

describe(FailureThrottle.name, () => {
  it('throttles an address after the limit of failures until its minute is over', () => {
    let now = 1_000_000;
    const throttle = new FailureThrottle(2, () => now);
    expect(throttle.retryAfterSeconds('a')).toBeNull();
    throttle.recordFailure('a');
    expect(throttle.retryAfterSeconds('a')).toBeNull();
    throttle.recordFailure('a');
    expect(throttle.retryAfterSeconds('a')).toBe(60);
    expect(throttle.retryAfterSeconds('b')).toBeNull();
    now += 59_500;
    expect(throttle.retryAfterSeconds('a')).toBe(1);
    now += 500;
    expect(throttle.retryAfterSeconds('a')).toBeNull();
  });
});

describe(`${FailureThrottle.name} memory`, () => {
  it('stays bounded under a spray of new addresses, forgetting the oldest first, never everyone at once', () => {
    const throttle = new FailureThrottle(1, () => 1_000_000);
    throttle.recordFailure('oldest');
    throttle.recordFailure('second');
    for (let i = 0; i < MAX_TRACKED_ADDRESSES - 1; i += 1) throttle.recordFailure(`spray-${i}`);
    expect(throttle.size).toBe(MAX_TRACKED_ADDRESSES);
    expect(throttle.retryAfterSeconds('oldest')).toBeNull();
    expect(throttle.retryAfterSeconds('second')).toBe(60);
    expect(throttle.retryAfterSeconds(`spray-${MAX_TRACKED_ADDRESSES - 2}`)).toBe(60);
    for (let i = 0; i < 3 * MAX_TRACKED_ADDRESSES; i += 1) throttle.recordFailure(`more-${i}`);
    expect(throttle.size).toBe(MAX_TRACKED_ADDRESSES);
    expect(throttle.retryAfterSeconds(`more-${3 * MAX_TRACKED_ADDRESSES - 1}`)).toBe(60);
    expect(throttle.retryAfterSeconds(`more-${2 * MAX_TRACKED_ADDRESSES}`)).toBe(60);
  });
});
