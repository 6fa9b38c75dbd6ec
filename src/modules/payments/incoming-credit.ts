import type { PaymentRecord } from './payment.record.js';

// The contract between the inbound ledger (transaction-sync) and payments: a recorded bank transaction is
// offered to payments inside the database transaction that inserted it, and payments says what it did.

export interface IncomingCredit {
  /** Id of the bank_transaction ledger row (our reftransactionid). */
  bankTransactionId: string;
  /** The bank reference (referencenumber, else transactionid). */
  reference: string;
  amount: number;
  content: string;
  /** The callback's orderId: our payment code when VietQR matched the transfer, else null. */
  orderId: string | null;
  bankAccount: string;
  transType: 'C' | 'D';
  /** When the bank says it was paid, if it said. */
  paidAt: Date | null;
  receivedAt: Date;
}

/** What the bank said that tells which payment a credit pays. */
export type CreditClues = Pick<IncomingCredit, 'transType' | 'amount' | 'orderId' | 'content'>;

/** The payments a credit could pay, locked in the ingest transaction. */
export interface PaymentCandidates {
  /** The callback's orderId, normalised; it wins over anything in the content. */
  orderCode: string | null;
  /** Trace ids and payment codes found in the content, in order of appearance. */
  tokens: string[];
  found: PaymentRecord[];
}

/** The one payment a credit pays, as this instance remembers it, and that row's version. */
export interface RememberedCandidates {
  candidates: PaymentCandidates;
  version: string;
}

export type CreditOutcome =
  /** Linked to a live payment; its amountPaid and status moved. */
  | { result: 'linked'; paymentId: string; clientId: string }
  /** Linked to a payment that was already EXPIRED or CANCELLED: kept, flagged late, status unchanged. */
  | { result: 'late'; paymentId: string; clientId: string }
  /** Not linked: a debit, an account that is not ours, or no payment recognised. Needs review if a credit. */
  | { result: 'unmatched'; reason: 'debit' | 'foreign_account' | 'no_match' };

/** Who caused a change, for the payment history. */
export interface Cause {
  /** 'vietqr' for callbacks, 'reconcile', 'sweeper', or 'client:<name>' for a person acting through the API. */
  actor: string;
  reason?: string;
}
