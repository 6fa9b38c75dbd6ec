// The outbox events of the generation: what the service appends when a payment reaches an outcome, and for
// a payment made late; the webhook tables (one delivery per event) follow them.
import { Event, LedgerStatus, Payment } from './scale-data.js';

/** Steps of the walk whose ledger rows the event tables need made: the late payments. */
export const late = (status: LedgerStatus) => status === 'late';

/** The outbox events of a walk's step: one per payment outcome, one per late payment. */
export function eventsOf(e: Event): Array<{ type: string; at: number; p: Payment }> {
  if (e.kind === 'ledger')
    return e.t.status === 'late'
      ? [{ type: 'payment.late_payment', at: e.t.receivedAt, p: e.t.payment! }]
      : [];
  const p = e.p;
  switch (p.status) {
    case 'PENDING':
      return [];
    case 'PAID':
    case 'OVERPAID':
    case 'EXPIRED':
    case 'CANCELLED':
      return [{ type: `payment.${p.status.toLowerCase()}`, at: p.updatedAt, p }];
  }
}
