import { Database } from '../../database/database.js';
import { Injectable } from '@nestjs/common';
import type { GenerateCustomerRequest, GenerateCustomerResponse } from '../vietqr/vietqr.types.js';
import type { IssuedQr } from './qr-issuer.js';

export type QrOrderStatus = 'pending' | 'issued' | 'failed';

export interface StoredError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface QrOrderRow {
  paymentId: string;
  orderId: string;
  status: QrOrderStatus;
  request: GenerateCustomerRequest;
  content: string | null;
  traceId: string | null;
  qrCode: string | null;
  qrLink: string | null;
  transactionRefId: string | null;
  bankCode: string;
  bankAccount: string;
  accountName: string;
  attempts: number;
  lastError: StoredError | null;
  /** True when a pending claim has run out (its holder died or hangs): another caller may take over. */
  claimExpired: boolean;
}

export interface NewQrOrder {
  paymentId: string;
  orderId: string;
  amount: number;
  request: GenerateCustomerRequest;
  bankCode: string;
  bankAccount: string;
  accountName: string;
}

/** What an issued order stores: the QR as payments sees it, less who issued it. */
export type IssuedFields = Omit<IssuedQr, 'provider'>;

const COLUMNS = `payment_id AS "paymentId", order_id AS "orderId", status, request, content,
  trace_id AS "traceId", qr_code AS "qrCode", qr_link AS "qrLink", transaction_ref_id AS "transactionRefId",
  bank_code AS "bankCode", bank_account AS "bankAccount", account_name AS "accountName", attempts,
  last_error AS "lastError", (status = 'pending' AND claimed_until < now()) AS "claimExpired"`;

@Injectable()
export class QrOrdersRepository {
  constructor(private readonly db: Database) {}

  /**
   * Inserts the order as pending, claimed for claimMs; false when the payment already has one. The order id
   * is the payment's code, so a payment's two concurrent inserts collide on both unique keys: DO NOTHING
   * names no key, because with `(payment_id)` alone the one that lost on order_id raised 23505 instead.
   */
  async insertClaimed(order: NewQrOrder, claimMs: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO qr_order (payment_id, order_id, amount, status, request, bank_code, bank_account,
         account_name, claimed_until)
       VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, now() + $8 * interval '1 millisecond')
       ON CONFLICT DO NOTHING
       RETURNING payment_id`,
      [
        order.paymentId,
        order.orderId,
        order.amount,
        JSON.stringify(order.request),
        order.bankCode,
        order.bankAccount,
        order.accountName,
        claimMs,
      ],
    );
    return rows.length > 0;
  }

  async findByPaymentId(paymentId: string): Promise<QrOrderRow | null> {
    const rows: QrOrderRow[] = await this.db.query(`SELECT ${COLUMNS} FROM qr_order WHERE payment_id = $1`, [
      paymentId,
    ]);
    return rows[0] ?? null;
  }

  /** Takes over a failed order, or a pending one whose claim ran out; false when someone else holds it. */
  async reclaim(paymentId: string, claimMs: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `WITH claimed AS (
         UPDATE qr_order
            SET status = 'pending', attempts = attempts + 1, updated_at = now(),
                claimed_until = now() + $2 * interval '1 millisecond'
          WHERE payment_id = $1
            AND (status = 'failed' OR (status = 'pending' AND claimed_until < now()))
          RETURNING payment_id)
       SELECT payment_id FROM claimed`,
      [paymentId, claimMs],
    );
    return rows.length > 0;
  }

  async markIssued(
    paymentId: string,
    request: GenerateCustomerRequest,
    response: GenerateCustomerResponse,
    fields: IssuedFields,
  ): Promise<void> {
    await this.db.query(
      `UPDATE qr_order
          SET status = 'issued', response = $2, content = $3, trace_id = $4, qr_code = $5, qr_link = $6,
              transaction_ref_id = $7, bank_code = $8, bank_account = $9, account_name = $10, request = $11,
              last_error = NULL, claimed_until = NULL, issued_at = now(), updated_at = now()
        WHERE payment_id = $1`,
      [
        paymentId,
        JSON.stringify(response),
        fields.content,
        fields.traceId,
        fields.qrCode,
        fields.qrLink,
        fields.transactionRefId,
        fields.bankCode,
        fields.bankAccount,
        fields.accountName,
        JSON.stringify(request),
      ],
    );
  }

  async markFailed(paymentId: string, request: GenerateCustomerRequest, error: StoredError): Promise<void> {
    await this.db.query(
      `UPDATE qr_order
          SET status = 'failed', request = $2, last_error = $3, claimed_until = NULL, updated_at = now()
        WHERE payment_id = $1 AND status = 'pending'`,
      [paymentId, JSON.stringify(request), JSON.stringify(error)],
    );
  }
}
