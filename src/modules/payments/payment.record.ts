import type { CheckoutLocale } from './checkout-fields.js';
import type { PaymentStatus } from './payment-status.js';

/** A payment row as the service sees it (amounts as numbers). Never leaves the module: see payment.mapper. */
export interface PaymentRecord {
  id: string;
  clientId: string;
  orderId: string;
  code: string;
  amount: number;
  amountPaid: number;
  status: PaymentStatus;
  description: string | null;
  metadata: Record<string, unknown> | null;
  expiresAt: Date;
  qrProvider: string | null;
  qrContent: string | null;
  qrTraceId: string | null;
  qrCode: string | null;
  qrLink: string | null;
  qrTransactionRefId: string | null;
  bankCode: string | null;
  bankAccount: string | null;
  accountName: string | null;
  /** Bearer token of the payer's checkout page (its URL); random, not derived from the id. */
  checkoutToken: string;
  returnUrl: string | null;
  cancelUrl: string | null;
  locale: CheckoutLocale;
  createdAt: Date;
  updatedAt: Date;
  /** Kept by the refunds module (its succeeded refunds); read here. */
  amountRefunded: number;
  refundStatus: RefundStatusOfPayment;
}

/**
 * A payment row and the version it was read at, `xmin:ctid`: the transaction that wrote this version of the
 * row and where the version lies. Any later write to the row (a credit, a status change, a refund's
 * totals) makes a new version elsewhere, with another xmin unless the same transaction wrote it again, so
 * the row is exactly `payment` while both are `version`'s (a VACUUM FULL moves it: only a needless miss).
 */
export interface PaymentVersion {
  payment: PaymentRecord;
  version: string;
}

export type RefundStatusOfPayment = 'none' | 'partial' | 'full';

export interface PaymentTransactionRecord {
  bankTransactionId: string;
  paymentId: string;
  reference: string;
  amount: number;
  content: string;
  bankAccount: string;
  late: boolean;
  paidAt: Date | null;
  receivedAt: Date;
  linkedAt: Date;
  linkedBy: string;
}

export interface PaymentHistoryRecord {
  fromStatus: PaymentStatus | null;
  toStatus: PaymentStatus;
  amountPaid: number;
  actor: string;
  reason: string | null;
  bankTransactionId: string | null;
  at: Date;
}
