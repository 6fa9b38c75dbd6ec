import { Injectable } from '@nestjs/common';
import { Database, type SqlRunner } from '../../database/database.js';
import { prepared } from '../../database/prepared-sql.js';
import type { IssuedQr } from '../qr-orders/qr-issuer.js';
import type { CheckoutLocale } from './checkout-fields.js';
import { HISTORY_INSERT, paymentColumns, RawPayment, toPaymentRecord } from './payment-columns.js';
import type { PaymentStatus } from './payment-status.js';
import type { PaymentRecord, PaymentVersion } from './payment.record.js';

export interface NewPayment {
  clientId: string;
  orderId: string;
  code: string;
  amount: number;
  description: string | null;
  metadata: Record<string, unknown> | null;
  expiresInSeconds: number;
  actor: string;
  returnUrl: string | null;
  cancelUrl: string | null;
  locale: CheckoutLocale;
}

const INSERT_PAYMENT = prepared(
  `WITH inserted AS (
     INSERT INTO payment (client_id, order_id, code, amount, description, metadata, expires_at,
       return_url, cancel_url, locale)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7), $9, $10, $11)
     ON CONFLICT DO NOTHING
     RETURNING *
   ), history AS (
     ${HISTORY_INSERT} SELECT id, NULL, status, amount_paid, $8, 'created', NULL FROM inserted
   )
   SELECT ${paymentColumns('inserted')} FROM inserted`,
);

const STORE_QR = prepared(
  `WITH updated AS (
     UPDATE payment SET qr_provider = $2, qr_content = $3, qr_trace_id = $4, qr_code = $5, qr_link = $6,
       qr_transaction_ref_id = $7, bank_code = $8, bank_account = $9, account_name = $10, updated_at = now()
     WHERE id = $1
     RETURNING *, xmin::text || ':' || ctid::text AS row_version
   )
   SELECT ${paymentColumns('updated')}, updated.row_version AS "rowVersion" FROM updated`,
);

// The first statement of a credit decided from a remembered version of its payment (RecentPayments): locks
// the payment only while its row is that version (xmin:ctid), and otherwise fails the transaction whose
// writes, decided from that version, are already on their way (expect_unchanged, SQLSTATE VQ409). A version
// committed while this waited for the lock fails it too: FOR UPDATE re-reads such a row and re-checks it.
const LOCK_UNCHANGED = prepared(
  `SELECT expect_unchanged(count(*) = 1, 'payment') AS unchanged
     FROM (SELECT 1 FROM payment
            WHERE id = $1 AND xmin = split_part($2, ':', 1)::xid AND ctid = split_part($2, ':', 2)::tid
              FOR UPDATE) AS locked`,
);

/** A payment's own row: creating it, its QR, locking it, moving its status. Reads for the API: PaymentQueriesRepository. */
@Injectable()
export class PaymentsRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the payment and its creation history; null when the order id or the code is taken. */
  async insertIfAbsent(db: SqlRunner, p: NewPayment): Promise<PaymentRecord | null> {
    const rows: RawPayment[] = await db.query(INSERT_PAYMENT, [
      p.clientId,
      p.orderId,
      p.code,
      p.amount,
      p.description,
      p.metadata === null ? null : JSON.stringify(p.metadata),
      p.expiresInSeconds,
      p.actor,
      p.returnUrl,
      p.cancelUrl,
      p.locale,
    ]);
    return rows[0] ? toPaymentRecord(rows[0]) : null;
  }

  async findByOrderId(clientId: string, orderId: string): Promise<PaymentRecord | null> {
    const rows: RawPayment[] = await this.db.query(
      `SELECT ${paymentColumns('p')} FROM payment p WHERE p.client_id = $1 AND p.order_id = $2`,
      [clientId, orderId],
    );
    return rows[0] ? toPaymentRecord(rows[0]) : null;
  }

  /** Stores the payment's QR; the row as it now is, with its version (see PaymentVersion). */
  async storeQr(db: SqlRunner, paymentId: string, qr: IssuedQr): Promise<PaymentVersion> {
    const rows: Array<RawPayment & { rowVersion: string }> = await db.query(STORE_QR, [
      paymentId,
      qr.provider,
      qr.content,
      qr.traceId,
      qr.qrCode,
      qr.qrLink,
      qr.transactionRefId,
      qr.bankCode,
      qr.bankAccount,
      qr.accountName,
    ]);
    const { rowVersion, ...raw } = rows[0];
    return { payment: toPaymentRecord(raw), version: rowVersion };
  }

  /**
   * Locks (in the caller's transaction) the payments whose code or VietQR trace id is one of the given, in
   * id order. `nowait`: fails at once (55P03) instead of waiting for a payment another transaction holds.
   */
  async lockByCodeOrTraceId(
    db: SqlRunner,
    codes: string[],
    traceIds: string[],
    { nowait = false } = {},
  ): Promise<PaymentRecord[]> {
    const rows: RawPayment[] = await db.query(
      `SELECT ${paymentColumns('p')} FROM payment p
       WHERE p.code = ANY($1::text[]) OR upper(p.qr_trace_id) = ANY($2::text[])
       ORDER BY p.id FOR UPDATE${nowait ? ' NOWAIT' : ''}`,
      [codes, traceIds],
    );
    return rows.map(toPaymentRecord);
  }

  /** Locks the payment if its row is still `version`; fails the caller's transaction otherwise (VQ409). */
  async lockUnchanged(db: SqlRunner, id: string, version: string): Promise<void> {
    await db.query(LOCK_UNCHANGED, [id, version]);
  }

  /** Locks (in the caller's transaction) the client's payment. */
  /** clientId null: any client's payment (an operator's link). */
  async lockForClient(db: SqlRunner, id: string, clientId: string | null): Promise<PaymentRecord | null> {
    const rows: RawPayment[] = await db.query(
      `SELECT ${paymentColumns('p')} FROM payment p WHERE p.id = $1 AND ($2::uuid IS NULL OR p.client_id = $2)
       FOR UPDATE OF p`,
      [id, clientId],
    );
    return rows[0] ? toPaymentRecord(rows[0]) : null;
  }

  /** Moves a payment locked by the caller to another status and records why. */
  async transition(
    db: SqlRunner,
    payment: PaymentRecord,
    toStatus: PaymentStatus,
    actor: string,
    reason: string | null,
  ): Promise<PaymentRecord> {
    const rows: RawPayment[] = await db.query(
      `WITH updated AS (
         UPDATE payment SET status = $2, updated_at = now() WHERE id = $1 RETURNING *
       ), history AS (
         ${HISTORY_INSERT} SELECT id, $3, status, amount_paid, $4, $5, NULL FROM updated
       )
       SELECT ${paymentColumns('updated')} FROM updated`,
      [payment.id, toStatus, payment.status, actor, reason],
    );
    return toPaymentRecord(rows[0]);
  }

  /**
   * Expires up to `limit` live payments that are due, skipping rows other transactions hold (another
   * instance's sweep, a credit being applied), and records the history. In the caller's transaction.
   */
  async expireDue(db: SqlRunner, limit: number, actor: string): Promise<PaymentRecord[]> {
    const rows: RawPayment[] = await db.query(
      `WITH due AS (
         SELECT id, status FROM payment
         WHERE status IN ('PENDING', 'PARTIALLY_PAID') AND expires_at <= now()
         ORDER BY expires_at LIMIT $1
         FOR UPDATE SKIP LOCKED
       ), updated AS (
         UPDATE payment p SET status = 'EXPIRED', updated_at = now() FROM due WHERE p.id = due.id
         RETURNING p.*, due.status AS from_status
       ), history AS (
         ${HISTORY_INSERT} SELECT id, from_status, status, amount_paid, $2, 'expired', NULL FROM updated
       )
       SELECT ${paymentColumns('updated')} FROM updated`,
      [limit, actor],
    );
    return rows.map(toPaymentRecord);
  }
}
