import type { PaymentRecord } from './payment.record.js';

// SQL pieces shared by the payments repositories.

export type RawPayment = Omit<PaymentRecord, 'amount' | 'amountPaid' | 'amountRefunded'> & {
  amount: string;
  amountPaid: string;
  amountRefunded: string;
};

/** The payment columns of alias `a`, named as PaymentRecord fields. */
export function paymentColumns(a: string): string {
  return `${a}.id, ${a}.client_id AS "clientId", ${a}.order_id AS "orderId", ${a}.code, ${a}.amount,
    ${a}.amount_paid AS "amountPaid", ${a}.status, ${a}.description, ${a}.metadata, ${a}.expires_at AS "expiresAt",
    ${a}.qr_provider AS "qrProvider", ${a}.qr_content AS "qrContent", ${a}.qr_trace_id AS "qrTraceId",
    ${a}.qr_code AS "qrCode", ${a}.qr_link AS "qrLink", ${a}.qr_transaction_ref_id AS "qrTransactionRefId",
    ${a}.bank_code AS "bankCode", ${a}.bank_account AS "bankAccount", ${a}.account_name AS "accountName",
    ${a}.checkout_token AS "checkoutToken", ${a}.return_url AS "returnUrl", ${a}.cancel_url AS "cancelUrl",
    ${a}.locale, ${a}.created_at AS "createdAt", ${a}.updated_at AS "updatedAt",
    ${a}.amount_refunded AS "amountRefunded", ${a}.refund_status AS "refundStatus"`;
}

export function toPaymentRecord(raw: RawPayment): PaymentRecord {
  return {
    ...raw,
    amount: Number(raw.amount),
    amountPaid: Number(raw.amountPaid),
    amountRefunded: Number(raw.amountRefunded),
  };
}

export const HISTORY_INSERT = `INSERT INTO payment_history
  (payment_id, from_status, to_status, amount_paid, actor, reason, bank_transaction_id)`;
