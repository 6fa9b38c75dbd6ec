import { loadConfig } from '../../config/app-config.js';
import type { PaymentRecord } from './payment.record.js';
import { RecentPayments } from './recent-payments.js';

const NOW = new Date('2026-12-03T08:00:00Z');

function version(code: string, overrides: Partial<PaymentRecord> = {}) {
  const payment = {
    code,
    metadata: null,
    description: null,
    returnUrl: null,
    cancelUrl: null,
    expiresAt: new Date(NOW.getTime() + 900_000),
    ...overrides,
  } as PaymentRecord;
  return { payment, version: `${code.length}` };
}

const recent = (size: number) => new RecentPayments(loadConfig({ CREDIT_PREDICTION_PAYMENTS: String(size) }));

describe(RecentPayments.name, () => {
  it('gives a remembered payment once, and forgets the oldest beyond its size', () => {
    const r = recent(2);
    r.remember(version('PAYA'));
    r.remember(version('PAYB'));
    r.remember(version('PAYA')); // remembered again: now the newest
    r.remember(version('PAYC'));
    expect(r.take('PAYB', NOW)).toBeUndefined();
    expect(r.take('PAYA', NOW)?.payment.code).toBe('PAYA');
    expect(r.take('PAYA', NOW)).toBeUndefined();
    expect(r.take('PAYC', NOW)?.payment.code).toBe('PAYC');
  });

  it('does not guess on a payment due to expire, nor remember one with long free text, nor any at size 0', () => {
    const r = recent(10);
    r.remember(version('PAYOLD', { expiresAt: NOW }));
    r.remember(version('PAYBIG', { metadata: { note: 'x'.repeat(2000) } }));
    r.remember(version('PAYOK', { metadata: { note: 'x'.repeat(200) }, description: 'order 1' }));
    expect(r.take('PAYOLD', NOW)).toBeUndefined();
    expect(r.take('PAYBIG', NOW)).toBeUndefined();
    expect(r.take('PAYOK', NOW)?.payment.code).toBe('PAYOK');
    const off = recent(0);
    off.remember(version('PAYOK'));
    expect(off.take('PAYOK', NOW)).toBeUndefined();
  });
});
