export const PAYMENT_STATUSES = [
  'PENDING',
  'PARTIALLY_PAID',
  'PAID',
  'OVERPAID',
  'EXPIRED',
  'CANCELLED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Money arriving for a payment in one of these is kept but never revives it. */
export function isClosed(status: PaymentStatus): boolean {
  return status === 'EXPIRED' || status === 'CANCELLED';
}

/** Can still expire or be cancelled. */
export function isOpen(status: PaymentStatus): boolean {
  return status === 'PENDING' || status === 'PARTIALLY_PAID';
}

/** The status of a payment that is not closed, from what it has collected. */
export function statusForPaid(amount: number, amountPaid: number): PaymentStatus {
  if (amountPaid <= 0) return 'PENDING';
  if (amountPaid < amount) return 'PARTIALLY_PAID';
  return amountPaid === amount ? 'PAID' : 'OVERPAID';
}
