import { Injectable } from '@nestjs/common';
import { Database, type SqlRunner } from '../../database/database.js';
import type { IncomingCredit } from './incoming-credit.js';
import type { PaymentStatus } from './payment-status.js';
import type { PaymentHistoryRecord, PaymentRecord, PaymentTransactionRecord } from './payment.record.js';
import type { IssuedQr } from './qr-issuer.port.js';

type RawPayment = Omit<PaymentRecord, 'amount' | 'amountPaid'> & { amount: string; amountPaid: string };

/** The payment columns of alias `a`, named as PaymentRecord fields. */
function columns(a: string): string {
  return `${a}.id, ${a}.client_id AS "clientId", ${a}.order_id AS "orderId", ${a}.code, ${a}.amount,
    ${a}.amount_paid AS "amountPaid", ${a}.status, ${a}.description, ${a}.metadata, ${a}.expires_at AS "expiresAt",
    ${a}.qr_provider AS "qrProvider", ${a}.qr_content AS "qrContent", ${a}.qr_trace_id AS "qrTraceId",
    ${a}.qr_code AS "qrCode", ${a}.qr_link AS "qrLink", ${a}.qr_transaction_ref_id AS "qrTransactionRefId",
    ${a}.bank_code AS "bankCode", ${a}.bank_account AS "bankAccount", ${a}.account_name AS "accountName",
    ${a}.created_at AS "createdAt", ${a}.updated_at AS "updatedAt"`;
}

function toRecord(raw: RawPayment): PaymentRecord {
  return { ...raw, amount: Number(raw.amount), amountPaid: Number(raw.amountPaid) };
}

const HISTORY_INSERT = `INSERT INTO payment_history
  (payment_id, from_status, to_status, amount_paid, actor, reason, bank_transaction_id)`;

export interface NewPayment {
  clientId: string;
  orderId: string;
  code: string;
  amount: number;
  description: string | null;
  metadata: Record<string, unknown> | null;
  expiresInSeconds: number;
  actor: string;
}

export interface PaymentFilter {
  orderId?: string;
  status?: PaymentStatus;
  createdFrom?: string;
  createdTo?: string;
  /** Continue after this payment (newest first). */
  afterId?: string;
}

const LINK_INSERT = `INSERT INTO payment_transaction
  (bank_transaction_id, payment_id, reference, amount, content, bank_account, late, paid_at, received_at, linked_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

function linkParams(link: CreditLink): unknown[] {
  const c = link.credit;
  return [
    c.bankTransactionId,
    link.paymentId,
    c.reference,
    c.amount,
    c.content,
    c.bankAccount,
    link.late,
    c.paidAt,
    c.receivedAt,
    link.actor,
    link.amountPaid,
    link.toStatus,
    link.fromStatus,
    link.reason,
  ];
}

function linkedTransaction(link: CreditLink, linkedAt: Date): PaymentTransactionRecord {
  const c = link.credit;
  return {
    bankTransactionId: c.bankTransactionId,
    paymentId: link.paymentId,
    reference: c.reference,
    amount: c.amount,
    content: c.content,
    bankAccount: c.bankAccount,
    late: link.late,
    paidAt: c.paidAt,
    receivedAt: c.receivedAt,
    linkedAt,
    linkedBy: link.actor,
  };
}

export interface CreditLink {
  paymentId: string;
  credit: IncomingCredit;
  late: boolean;
  fromStatus: PaymentStatus;
  toStatus: PaymentStatus;
  amountPaid: number;
  actor: string;
  reason: string;
}

@Injectable()
export class PaymentsRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the payment and its creation history; null when the order id or the code is taken. */
  async insertIfAbsent(p: NewPayment): Promise<PaymentRecord | null> {
    const rows: RawPayment[] = await this.db.query(
      `WITH inserted AS (
         INSERT INTO payment (client_id, order_id, code, amount, description, metadata, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
         ON CONFLICT DO NOTHING
         RETURNING *
       ), history AS (
         ${HISTORY_INSERT} SELECT id, NULL, status, amount_paid, $8, 'created', NULL FROM inserted
       )
       SELECT ${columns('inserted')} FROM inserted`,
      [
        p.clientId,
        p.orderId,
        p.code,
        p.amount,
        p.description,
        p.metadata === null ? null : JSON.stringify(p.metadata),
        p.expiresInSeconds,
        p.actor,
      ],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findByOrderId(clientId: string, orderId: string): Promise<PaymentRecord | null> {
    const rows: RawPayment[] = await this.db.query(
      `SELECT ${columns('p')} FROM payment p WHERE p.client_id = $1 AND p.order_id = $2`,
      [clientId, orderId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async storeQr(db: SqlRunner, paymentId: string, qr: IssuedQr): Promise<PaymentRecord> {
    const rows: RawPayment[] = await db.query(
      `WITH updated AS (
         UPDATE payment SET qr_provider = $2, qr_content = $3, qr_trace_id = $4, qr_code = $5, qr_link = $6,
           qr_transaction_ref_id = $7, bank_code = $8, bank_account = $9, account_name = $10, updated_at = now()
         WHERE id = $1
         RETURNING *
       )
       SELECT ${columns('updated')} FROM updated`,
      [
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
      ],
    );
    return toRecord(rows[0]);
  }

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
    > = await this.db.query(
      `SELECT ${columns('p')},
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
      [id, clientId],
    );
    const row = rows[0];
    if (!row) return null;
    const { transactions, history, ...payment } = row;
    const date = (v: unknown) => new Date(v as string);
    return {
      payment: toRecord(payment),
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
      `SELECT ${columns('p')} FROM payment p WHERE ${where.join(' AND ')}
       ORDER BY p.created_at DESC, p.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }

  /** The stored QR payload of a payment: undefined when there is no such payment, null without QR. */
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

  /** Locks (in the caller's transaction) the payments whose code or VietQR trace id is one of the given. */
  async lockByCodeOrTraceId(db: SqlRunner, codes: string[], traceIds: string[]): Promise<PaymentRecord[]> {
    const rows: RawPayment[] = await db.query(
      `SELECT ${columns('p')} FROM payment p
       WHERE p.code = ANY($1::text[]) OR upper(p.qr_trace_id) = ANY($2::text[])
       ORDER BY p.id FOR UPDATE`,
      [codes, traceIds],
    );
    return rows.map(toRecord);
  }

  /** Locks (in the caller's transaction) the client's payment. */
  /** clientId null: any client's payment (an operator's link). */
  async lockForClient(db: SqlRunner, id: string, clientId: string | null): Promise<PaymentRecord | null> {
    const rows: RawPayment[] = await db.query(
      `SELECT ${columns('p')} FROM payment p WHERE p.id = $1 AND ($2::uuid IS NULL OR p.client_id = $2)
       FOR UPDATE OF p`,
      [id, clientId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Links a bank transaction to a payment locked by the caller, sets its paid amount and status and
   * records the history, in one statement. Null when that bank transaction was already linked.
   */
  async linkCredit(
    db: SqlRunner,
    link: CreditLink,
  ): Promise<{ payment: PaymentRecord; transaction: PaymentTransactionRecord } | null> {
    const rows: Array<RawPayment & { linkedAt: Date }> = await db.query(
      `WITH link AS (
         ${LINK_INSERT} ON CONFLICT (bank_transaction_id) DO NOTHING RETURNING linked_at
       ), updated AS (
         UPDATE payment SET amount_paid = $11, status = $12, updated_at = now()
         WHERE id = $2 AND EXISTS (SELECT 1 FROM link)
         RETURNING *
       ), history AS (
         ${HISTORY_INSERT} SELECT id, $13, status, amount_paid, $10, $14, $1 FROM updated
       )
       SELECT ${columns('updated')}, link.linked_at AS "linkedAt" FROM updated, link`,
      linkParams(link),
    );
    const row = rows[0];
    if (!row) return null;
    const { linkedAt, ...payment } = row;
    return { payment: toRecord(payment), transaction: linkedTransaction(link, linkedAt) };
  }

  /**
   * The same link for a bank transaction recorded in this very transaction, so never linked before: the
   * statement is sent and its result is not waited for. The payment as it will be is known here (now() is
   * the transaction's start, the time the ledger row was received, which the caller passes as `at`), and
   * a conflict cannot be skipped silently: it fails the statement, and with it the transaction.
   */
  linkNewCredit(
    tx: SqlRunner,
    payment: PaymentRecord,
    link: CreditLink,
    at: Date,
  ): { sent: Promise<unknown>; payment: PaymentRecord; transaction: PaymentTransactionRecord } {
    const sent = tx.query(
      `WITH link AS (
         ${LINK_INSERT}
       ), updated AS (
         UPDATE payment SET amount_paid = $11, status = $12, updated_at = now() WHERE id = $2
         RETURNING id, status, amount_paid
       )
       ${HISTORY_INSERT} SELECT id, $13, status, amount_paid, $10, $14, $1 FROM updated`,
      linkParams(link),
    );
    return {
      sent,
      payment: { ...payment, amountPaid: link.amountPaid, status: link.toStatus, updatedAt: at },
      transaction: linkedTransaction(link, at),
    };
  }

  /** Who a bank transaction is linked to, if anyone. */
  async findLink(
    db: SqlRunner,
    bankTransactionId: string,
  ): Promise<{ paymentId: string; clientId: string; late: boolean } | null> {
    const rows: Array<{ paymentId: string; clientId: string; late: boolean }> = await db.query(
      `SELECT t.payment_id AS "paymentId", p.client_id AS "clientId", t.late
       FROM payment_transaction t JOIN payment p ON p.id = t.payment_id
       WHERE t.bank_transaction_id = $1`,
      [bankTransactionId],
    );
    return rows[0] ?? null;
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
       SELECT ${columns('updated')} FROM updated`,
      [payment.id, toStatus, payment.status, actor, reason],
    );
    return toRecord(rows[0]);
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
       SELECT ${columns('updated')} FROM updated`,
      [limit, actor],
    );
    return rows.map(toRecord);
  }
}
