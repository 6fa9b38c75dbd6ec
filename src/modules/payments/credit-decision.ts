import type { Cause, IncomingCredit, PaymentCandidates } from './incoming-credit.js';
import type { CreditLink, ExistingLink } from './payment-links.repository.js';
import { isClosed, statusForPaid } from './payment-status.js';
import type { PaymentRecord } from './payment.record.js';

// The matching rule, once, for every way a credit reaches payments (ingest, reconciliation, by hand):
// which locked payment it pays, whether it may, and what the payment becomes.

export type CreditDecision =
  | { kind: 'unmatched'; reason: 'debit' | 'foreign_account' | 'no_match' }
  /** The bank transaction is linked already (a late credit is): nothing to write. */
  | { kind: 'linked-before'; payment: PaymentRecord; existing: ExistingLink }
  | { kind: 'link'; payment: PaymentRecord; link: CreditLink };

function accountDigits(account: string): string {
  return account.replace(/[^0-9A-Za-z]/g, '');
}

/** The orderId wins, else the first trace id or payment code in the content, in order of appearance. */
function chosenPayment({ orderCode, tokens, found }: PaymentCandidates): PaymentRecord | undefined {
  const byToken = (token: string) =>
    found.find((p) => p.code === token || (p.qrTraceId !== null && p.qrTraceId.toUpperCase() === token));
  return (
    (orderCode ? found.find((p) => p.code === orderCode) : undefined) ??
    tokens.map(byToken).find((p) => p !== undefined)
  );
}

/**
 * Credits only; the receiving account must be the payment's (`defaultAccount` for payments without one).
 * Closed payments are never revived: late money is linked, flagged late, for a person.
 */
export function decideCredit(
  credit: IncomingCredit,
  candidates: PaymentCandidates | null,
  existing: ExistingLink | null,
  cause: Cause,
  defaultAccount: string,
): CreditDecision {
  if (credit.transType !== 'C') return { kind: 'unmatched', reason: 'debit' };
  const payment = candidates ? chosenPayment(candidates) : undefined;
  if (!payment) return { kind: 'unmatched', reason: 'no_match' };
  if (accountDigits(credit.bankAccount) !== accountDigits(payment.bankAccount ?? defaultAccount)) {
    return { kind: 'unmatched', reason: 'foreign_account' };
  }
  if (existing) return { kind: 'linked-before', payment, existing };
  const late = isClosed(payment.status);
  const amountPaid = late ? payment.amountPaid : payment.amountPaid + credit.amount;
  return {
    kind: 'link',
    payment,
    link: {
      paymentId: payment.id,
      credit,
      late,
      fromStatus: payment.status,
      toStatus: late ? payment.status : statusForPaid(payment.amount, amountPaid),
      amountPaid,
      actor: cause.actor,
      reason: cause.reason ?? (late ? 'late_payment' : 'credit'),
    },
  };
}
