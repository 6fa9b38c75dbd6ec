import { FailureThrottle } from './failure-throttle.js';

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
