// The refund as the refunds module sees it (amounts as numbers). Never leaves the module: see refund.mapper.

export const REFUND_STATUSES = ['PENDING', 'UNKNOWN', 'REQUIRES_ACTION', 'SUCCEEDED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const REFUND_METHODS = ['vietqr', 'manual'] as const;
export type RefundMethod = (typeof REFUND_METHODS)[number];

export const PART_STATES = [
  'pending',
  'sending',
  'unknown',
  'succeeded',
  'failed',
  'requires_action',
] as const;
export type PartState = (typeof PART_STATES)[number];

/** How a succeeded part became succeeded: VietQR's answer, check-order's amountRefunded, or a person. */
export type SettledBy = 'vietqr' | 'check_order' | 'manual';

export interface RefundPartRecord {
  id: string;
  refundId: string;
  seq: number;
  sourceTransactionId: string;
  sourceReference: string;
  amount: number;
  state: PartState;
  multiTimes: boolean | null;
  attempts: number;
  nextAttemptAt: Date;
  sentAt: Date | null;
  providerReference: string | null;
  settledBy: SettledBy | null;
  vietqrCode: string | null;
  errorMessage: string | null;
  debitTransactionId: string | null;
  settledAt: Date | null;
}

export interface RefundRecord {
  id: string;
  seq: number;
  paymentId: string | null;
  sourceTransactionId: string | null;
  clientId: string | null;
  createdByClientId: string;
  createdBy: string;
  requestHash: string;
  amount: number;
  reason: string;
  metadata: Record<string, unknown> | null;
  method: RefundMethod;
  status: RefundStatus;
  failureCode: string | null;
  failureMessage: string | null;
  payerAccount: string | null;
  completedReference: string | null;
  completedNote: string | null;
  completedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  settledAt: Date | null;
  parts: RefundPartRecord[];
}

/** A bank transfer a refund can draw from, with what is left of it to refund. */
export interface RefundSource {
  transactionId: string;
  reference: string;
  amount: number;
  refundable: number;
}
