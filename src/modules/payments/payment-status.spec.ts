import { statusForPaid } from './payment-status.js';

describe('statusForPaid', () => {
  it('is PENDING before any money', () => expect(statusForPaid(100_000, 0)).toBe('PENDING'));
  it('is PARTIALLY_PAID below the amount', () =>
    expect(statusForPaid(100_000, 99_999)).toBe('PARTIALLY_PAID'));
  it('is PAID at exactly the amount', () => expect(statusForPaid(100_000, 100_000)).toBe('PAID'));
  it('is OVERPAID above the amount', () => expect(statusForPaid(100_000, 100_001)).toBe('OVERPAID'));
});
