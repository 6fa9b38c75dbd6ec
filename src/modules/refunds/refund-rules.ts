import type { PartState, RefundSource, RefundStatus } from './refund.record.js';

/** The refund's status from its parts' states. */
export function refundStatusOf(states: PartState[]): RefundStatus {
  if (states.includes('requires_action')) return 'REQUIRES_ACTION';
  if (states.includes('unknown')) return 'UNKNOWN';
  if (states.includes('pending') || states.includes('sending')) return 'PENDING';
  if (states.length > 0 && states.every((s) => s === 'succeeded')) return 'SUCCEEDED';
  return 'FAILED';
}

export function isFinal(status: RefundStatus): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED';
}

/** What VietQR's refusal means for the part (vietqr-api.md §1.5). */
export type Refusal =
  /** Nothing happened and this refund cannot happen through VietQR as asked: the money is refundable again. */
  | 'failed'
  /** VietQR cannot refund this transfer, but the payer is still owed it: a person pays it by hand. */
  | 'manual'
  /** VietQR was busy with another refund of this transfer (E158): nothing happened, send again after the lock. */
  | 'retry'
  /** We cannot tell whether money left: settle from check-order. */
  | 'unknown';

// E42 no refund permission, E157 refunded before without multiTimes, E216 payer's account invalid for the
// API, E217 payer's bank not served: VietQR will not do it, yet the money is owed.
const MANUAL = new Set(['E42', 'E157', 'E216', 'E217']);
// E05 unknown error and E215 bank connection timeout: VietQR may have moved the money or not.
const AMBIGUOUS = new Set(['E05', 'E215']);

export function refusalOf(vietqrCode: string | null): Refusal {
  if (vietqrCode === null) return 'unknown';
  if (vietqrCode === 'E158') return 'retry';
  if (MANUAL.has(vietqrCode)) return 'manual';
  if (AMBIGUOUS.has(vietqrCode)) return 'unknown';
  return 'failed';
}

/**
 * Splits `amount` over the transfers, newest first (the excess of an overpayment and late money are the
 * latest transfers), each up to what is left of it. Assumes amount ≤ the sum of what is left.
 */
export function allocate(
  amount: number,
  sources: RefundSource[],
): Array<{ source: RefundSource; amount: number }> {
  const parts: Array<{ source: RefundSource; amount: number }> = [];
  let left = amount;
  for (const source of sources) {
    if (left === 0) break;
    const take = Math.min(left, source.refundable);
    if (take > 0) parts.push({ source, amount: take });
    left -= take;
  }
  return parts;
}

/**
 * A part whose answer was lost, against check-order's amountRefunded for its transfer: VietQR had already
 * refunded `before` of it through us (our succeeded parts), so it refunded this part iff it now shows at
 * least `before + amount`; it did not iff it shows no more than `before`. Anything else is not ours to guess.
 */
export function settleFromAmountRefunded(
  amountRefunded: number,
  before: number,
  amount: number,
): 'succeeded' | 'not_applied' | 'mismatch' {
  if (amountRefunded >= before + amount) return 'succeeded';
  if (amountRefunded <= before) return 'not_applied';
  return 'mismatch';
}

/** Refund content as sent to VietQR (the payer's bank shows it): short, ASCII. */
export function refundContent(refundId: string): string {
  return `Hoan tien ${refundId.replace(/-/g, '').slice(0, 12).toUpperCase()}`;
}
