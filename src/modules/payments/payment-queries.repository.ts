import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.js';
import { prepared } from '../../database/prepared-sql.js';
import { paymentColumns, RawPayment, toPaymentRecord } from './payment-columns.js';
import type { PaymentStatus } from './payment-status.js';
import type { PaymentHistoryRecord, PaymentRecord, PaymentTransactionRecord } from './payment.record.js';

export interface PaymentFilter {
  orderId?: string;
  status?: PaymentStatus;
  createdFrom?: string;
  createdTo?: string;
  /** Continue after this payment (newest first). */
  afterId?: string;
}

// By primary key: one plan whatever the values (see prepared-sql.ts).
const FIND_DETAIL = prepared(
  `SELECT ${paymentColumns('p')},
       (SELECT coalesce(json_agg(json_build_object(
           'bankTransactionId', t.bank_transaction_id, 'paymentId', t.payment_id, 'reference', t.reference,
           'amount', t.amount, 'content', t.content, 'bankAccount', t.bank_account, 'late', t.late,
           'paidAt', t.paid_at, 'receivedAt', t.received_at, 'linkedAt', t.linked_at, 'linkedBy', t.linked_by)
         ORDER BY t.linked_at, t.bank_transaction_id), '[]')
        FROM payment_transaction t WHERE t.payment_id = p.id) AS transactions,
       (SELECT coalesce(json_agg(json_build_object(
           'fromStatus', h.from_status, 'toStatus', h.to_status, 'amountPaid', h.amount_paid,
           'actor', h.actor, 'reason', h.reason, 'bankTransactionId', h.bank_transaction_id, 'at', h.created_at)
         ORDER BY h.id), '[]')
        FROM payment_history h WHERE h.payment_id = p.id) AS history
     FROM payment p WHERE p.id = $1 AND ($2::uuid IS NULL OR p.client_id = $2)`,
);

/** What the API reads about payments: one with its transactions and history, pages of them, the QR. */
@Injectable()
export class PaymentQueriesRepository {
  constructor(private readonly db: Database) {}

  /** The payment with its linked transactions and history, in one round trip. clientId null: any client's. */
  async findDetail(
    id: string,
    clientId: string | null,
  ): Promise<{
    payment: PaymentRecord;
    transactions: PaymentTransactionRecord[];
    history: PaymentHistoryRecord[];
  } | null> {
    const rows: Array<
      RawPayment & { transactions: Array<Record<string, unknown>>; history: Array<Record<string, unknown>> }
    > = await this.db.query(FIND_DETAIL, [id, clientId]);
    const row = rows[0];
    if (!row) return null;
    const { transactions, history, ...payment } = row;
    const date = (v: unknown) => new Date(v as string);
    return {
      payment: toPaymentRecord(payment),
      transactions: transactions.map((t) => ({
        ...(t as unknown as PaymentTransactionRecord),
        amount: Number(t.amount),
        paidAt: t.paidAt === null ? null : date(t.paidAt),
        receivedAt: date(t.receivedAt),
        linkedAt: date(t.linkedAt),
      })),
      history: history.map((h) => ({
        ...(h as unknown as PaymentHistoryRecord),
        amountPaid: Number(h.amountPaid),
        at: date(h.at),
      })),
    };
  }

  /** One page of a client's payments, newest first. */
  async list(clientId: string, filter: PaymentFilter, limit: number): Promise<PaymentRecord[]> {
    const params: unknown[] = [clientId];
    const where = ['p.client_id = $1'];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.orderId !== undefined) add((n) => `p.order_id = ${n}`, filter.orderId);
    if (filter.status !== undefined) add((n) => `p.status = ${n}`, filter.status);
    if (filter.createdFrom !== undefined) add((n) => `p.created_at >= ${n}::timestamptz`, filter.createdFrom);
    if (filter.createdTo !== undefined) add((n) => `p.created_at < ${n}::timestamptz`, filter.createdTo);
    if (filter.afterId !== undefined) {
      add(
        (n) =>
          `(p.created_at, p.id) < (SELECT c.created_at, c.id FROM payment c WHERE c.id = ${n} AND c.client_id = $1)`,
        filter.afterId,
      );
    }
    params.push(limit);
    const rows: RawPayment[] = await this.db.query(
      `SELECT ${paymentColumns('p')} FROM payment p WHERE ${where.join(' AND ')}
       ORDER BY p.created_at DESC, p.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toPaymentRecord);
  }

  /** The stored QR and the status as of now (an open payment past its due time counts as EXPIRED). */
  async findQrCode(id: string): Promise<{ qrCode: string | null; status: PaymentStatus } | undefined> {
    const rows: Array<{ qrCode: string | null; status: PaymentStatus }> = await this.db.query(
      `SELECT qr_code AS "qrCode",
              CASE WHEN status IN ('PENDING', 'PARTIALLY_PAID') AND expires_at <= now() THEN 'EXPIRED'
                   ELSE status END AS status
         FROM payment WHERE id = $1`,
      [id],
    );
    return rows[0];
  }
}
