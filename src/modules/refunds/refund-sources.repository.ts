import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../../database/database.js';
import type { RefundSource } from './refund.record.js';

// What is left of a transfer: its amount minus the parts drawn on it that did not fail.
const REFUNDABLE = (transaction: string, amount: string) => `${amount} - coalesce((
  SELECT sum(x.amount) FROM refund_part x WHERE x.source_transaction_id = ${transaction} AND x.state <> 'failed'
), 0)`;

type Raw = Record<string, unknown>;
const REFUND_NOTE = 'Being refunded: refund ';

/** The locked payment a refund draws on. */
export interface LockedPayment {
  id: string;
  clientId: string;
}

/** The locked bank transfer a review-queue refund draws on. */
export interface LockedTransaction {
  id: string;
  reference: string;
  amount: number;
  transType: 'C' | 'D';
  status: string;
  paymentId: string | null;
  clientId: string | null;
}

/**
 * What a refund draws on and what it changes outside its own tables: the payment's and the transfer's row
 * locks, what is left of each transfer, the review-queue status of unmatched money being refunded, and the
 * payment's refund columns.
 */
@Injectable()
export class RefundSourcesRepository {
  /** The row lock that serialises every refund decision on a payment (clientId null: any client's). */
  async lockPayment(tx: SqlRunner, id: string, clientId: string | null): Promise<LockedPayment | null> {
    const rows: LockedPayment[] = await tx.query(
      `SELECT id, client_id AS "clientId" FROM payment WHERE id = $1 AND ($2::uuid IS NULL OR client_id = $2)
       FOR UPDATE`,
      [id, clientId],
    );
    return rows[0] ?? null;
  }

  /** The row lock for a refund of money no payment claims. */
  async lockTransaction(tx: SqlRunner, id: string): Promise<LockedTransaction | null> {
    const rows: Raw[] = await tx.query(
      `SELECT id, reference, amount, trans_type AS "transType", status, payment_id AS "paymentId",
         client_id AS "clientId"
       FROM bank_transaction WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? { ...(rows[0] as unknown as LockedTransaction), amount: Number(rows[0].amount) } : null;
  }

  /**
   * Unmatched money being refunded leaves the review queue (dismissed, naming the refund), so nobody links
   * it to a payment meanwhile; it comes back (unmatched) if that refund fails.
   */
  async dismissForRefund(
    tx: SqlRunner,
    transactionId: string,
    refundId: string,
    actor: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE bank_transaction SET status = 'dismissed', dismissed_at = now(), dismissed_by = $3,
         dismissal_note = $2
       WHERE id = $1 AND status = 'unmatched'`,
      [transactionId, `${REFUND_NOTE}${refundId}`, actor],
    );
  }

  async restoreAfterFailedRefund(tx: SqlRunner, transactionId: string, refundId: string): Promise<void> {
    await tx.query(
      `UPDATE bank_transaction SET status = 'unmatched', dismissed_at = NULL, dismissed_by = NULL,
         dismissal_note = NULL
       WHERE id = $1 AND status = 'dismissed' AND payment_id IS NULL AND dismissal_note = $2`,
      [transactionId, `${REFUND_NOTE}${refundId}`],
    );
  }

  /** Every transfer linked to the payment (late ones included), newest first, with what is left of each. */
  async paymentSources(tx: SqlRunner, paymentId: string): Promise<RefundSource[]> {
    const rows: Raw[] = await tx.query(
      `SELECT t.bank_transaction_id AS "transactionId", t.reference, t.amount,
         ${REFUNDABLE('t.bank_transaction_id', 't.amount')} AS refundable
       FROM payment_transaction t WHERE t.payment_id = $1
       ORDER BY t.linked_at DESC, t.bank_transaction_id DESC`,
      [paymentId],
    );
    return rows.map(toSource);
  }

  async transactionSource(tx: SqlRunner, transactionId: string): Promise<RefundSource> {
    const rows: Raw[] = await tx.query(
      `SELECT t.id AS "transactionId", t.reference, t.amount, ${REFUNDABLE('t.id', 't.amount')} AS refundable
       FROM bank_transaction t WHERE t.id = $1`,
      [transactionId],
    );
    return toSource(rows[0]);
  }

  /**
   * The payment's amountRefunded (its refunds' succeeded parts) and refundStatus (full once that covers
   * every transfer linked to it). Under the payment's lock.
   */
  async updatePaymentRefunded(tx: SqlRunner, paymentId: string): Promise<void> {
    await tx.query(
      `WITH refunded AS (
         SELECT coalesce(sum(p.amount), 0) AS total FROM refund_part p JOIN refund r ON r.id = p.refund_id
         WHERE r.payment_id = $1 AND p.state = 'succeeded'
       ), received AS (
         SELECT coalesce(sum(amount), 0) AS total FROM payment_transaction WHERE payment_id = $1
       )
       UPDATE payment SET amount_refunded = refunded.total,
         refund_status = CASE WHEN refunded.total = 0 THEN 'none'
                              WHEN refunded.total >= received.total THEN 'full' ELSE 'partial' END
       FROM refunded, received WHERE payment.id = $1`,
      [paymentId],
    );
  }
}

function toSource(raw: Raw): RefundSource {
  return {
    transactionId: raw.transactionId as string,
    reference: raw.reference as string,
    amount: Number(raw.amount),
    refundable: Math.max(Number(raw.refundable), 0),
  };
}
