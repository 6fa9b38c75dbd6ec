import { Injectable } from '@nestjs/common';
import { Database, type SqlRunner } from '../../database/database.js';
import type {
  PartState,
  RefundMethod,
  RefundPartRecord,
  RefundRecord,
  RefundSource,
  RefundStatus,
  SettledBy,
} from './refund.record.js';

const REFUND_COLUMNS = `r.id, r.seq, r.payment_id AS "paymentId", r.source_transaction_id AS "sourceTransactionId",
  r.client_id AS "clientId", r.created_by_client_id AS "createdByClientId", r.created_by AS "createdBy",
  r.request_hash AS "requestHash", r.amount, r.reason, r.metadata, r.method, r.status,
  r.failure_code AS "failureCode", r.failure_message AS "failureMessage", r.payer_account AS "payerAccount",
  r.completed_reference AS "completedReference", r.completed_note AS "completedNote",
  r.completed_by AS "completedBy", r.created_at AS "createdAt", r.updated_at AS "updatedAt",
  r.settled_at AS "settledAt"`;

const PART_JSON = `json_build_object('id', p.id, 'refundId', p.refund_id, 'seq', p.seq,
  'sourceTransactionId', p.source_transaction_id, 'sourceReference', p.source_reference, 'amount', p.amount,
  'state', p.state, 'multiTimes', p.multi_times, 'attempts', p.attempts, 'nextAttemptAt', p.next_attempt_at,
  'sentAt', p.sent_at, 'providerReference', p.provider_reference, 'settledBy', p.settled_by,
  'vietqrCode', p.vietqr_code, 'errorMessage', p.error_message, 'debitTransactionId', p.debit_transaction_id,
  'settledAt', p.settled_at)`;

const WITH_PARTS = `SELECT ${REFUND_COLUMNS},
  (SELECT coalesce(json_agg(${PART_JSON} ORDER BY p.seq), '[]') FROM refund_part p WHERE p.refund_id = r.id) AS parts
  FROM refund r`;

type Raw = Record<string, unknown>;
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

function toPart(raw: Raw): RefundPartRecord {
  return {
    ...(raw as unknown as RefundPartRecord),
    amount: Number(raw.amount),
    nextAttemptAt: date(raw.nextAttemptAt)!,
    sentAt: date(raw.sentAt),
    settledAt: date(raw.settledAt),
  };
}

function toRefund(raw: Raw): RefundRecord {
  return {
    ...(raw as unknown as RefundRecord),
    seq: Number(raw.seq),
    amount: Number(raw.amount),
    parts: ((raw.parts as Raw[] | undefined) ?? []).map(toPart),
  };
}

export interface NewRefund {
  paymentId: string | null;
  sourceTransactionId: string | null;
  clientId: string | null;
  createdByClientId: string;
  createdBy: string;
  idempotencyKey: string;
  requestHash: string;
  amount: number;
  reason: string;
  metadata: Record<string, unknown> | null;
  method: RefundMethod;
  status: RefundStatus;
  parts: Array<{ source: RefundSource; amount: number; state: PartState }>;
}

export interface RefundFilter {
  /** Only this client's refunds; null: everybody's (an operator). */
  clientId: string | null;
  paymentId?: string;
  status?: RefundStatus;
  /** Continue after this refund (newest first). */
  beforeSeq?: number;
}

export interface PartOutcome {
  state: PartState;
  providerReference?: string | null;
  settledBy?: SettledBy | null;
  vietqrCode?: string | null;
  errorMessage?: string | null;
  /** Null: leave as is. */
  nextAttemptInMs?: number | null;
}

@Injectable()
export class RefundsRepository {
  constructor(private readonly db: Database) {}

  async findByIdempotencyKey(
    db: SqlRunner,
    createdByClientId: string,
    key: string,
  ): Promise<RefundRecord | null> {
    const rows: Raw[] = await db.query(
      `${WITH_PARTS} WHERE r.created_by_client_id = $1 AND r.idempotency_key = $2`,
      [createdByClientId, key],
    );
    return rows[0] ? toRefund(rows[0]) : null;
  }

  /** Inserts the refund and its parts; the payment's or transfer's lock must be held. */
  async insert(tx: SqlRunner, r: NewRefund): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `WITH refund AS (
         INSERT INTO refund (payment_id, source_transaction_id, client_id, created_by_client_id, created_by,
           idempotency_key, request_hash, amount, reason, metadata, method, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         RETURNING id
       ), parts AS (
         INSERT INTO refund_part (refund_id, seq, source_transaction_id, source_reference, amount, state)
         SELECT refund.id, p.seq, p.source, p.reference, p.amount, p.state
         FROM refund, unnest($13::int[], $14::uuid[], $15::text[], $16::bigint[], $17::text[])
           AS p(seq, source, reference, amount, state)
       )
       SELECT id FROM refund`,
      [
        r.paymentId,
        r.sourceTransactionId,
        r.clientId,
        r.createdByClientId,
        r.createdBy,
        r.idempotencyKey,
        r.requestHash,
        r.amount,
        r.reason,
        r.metadata === null ? null : JSON.stringify(r.metadata),
        r.method,
        r.status,
        r.parts.map((_, i) => i + 1),
        r.parts.map((p) => p.source.transactionId),
        r.parts.map((p) => p.source.reference),
        r.parts.map((p) => p.amount),
        r.parts.map((p) => p.state),
      ],
    );
    return rows[0].id;
  }

  async findById(db: SqlRunner, id: string): Promise<RefundRecord | null> {
    const rows: Raw[] = await db.query(`${WITH_PARTS} WHERE r.id = $1`, [id]);
    return rows[0] ? toRefund(rows[0]) : null;
  }

  /** The refund with its parts, locked (payment first, when it has one: see lockPayment). */
  async lockRefund(tx: SqlRunner, id: string): Promise<RefundRecord | null> {
    await tx.query(`SELECT 1 FROM refund WHERE id = $1 FOR UPDATE`, [id]);
    return this.findById(tx, id);
  }

  async list(filter: RefundFilter, limit: number): Promise<RefundRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.clientId !== null) add((n) => `r.client_id = ${n}`, filter.clientId);
    if (filter.paymentId !== undefined) add((n) => `r.payment_id = ${n}`, filter.paymentId);
    if (filter.status !== undefined) add((n) => `r.status = ${n}`, filter.status);
    if (filter.beforeSeq !== undefined) add((n) => `r.seq < ${n}`, filter.beforeSeq);
    params.push(limit);
    const rows: Raw[] = await this.db.query(
      `${WITH_PARTS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY r.seq DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRefund);
  }

  async updatePart(tx: SqlRunner, partId: string, o: PartOutcome): Promise<void> {
    await tx.query(
      `UPDATE refund_part SET state = $2,
         provider_reference = coalesce($3, provider_reference),
         settled_by = coalesce($4, settled_by),
         vietqr_code = CASE WHEN $2 = 'succeeded' THEN NULL ELSE coalesce($5, vietqr_code) END,
         error_message = CASE WHEN $2 = 'succeeded' THEN NULL ELSE coalesce($6, error_message) END,
         next_attempt_at = CASE WHEN $7::int IS NULL THEN next_attempt_at
                                ELSE now() + make_interval(secs => $7::int / 1000.0) END,
         settled_at = CASE WHEN $2 IN ('succeeded', 'failed') THEN now() ELSE settled_at END,
         updated_at = now()
       WHERE id = $1`,
      [
        partId,
        o.state,
        o.providerReference ?? null,
        o.settledBy ?? null,
        o.vietqrCode ?? null,
        o.errorMessage ?? null,
        o.nextAttemptInMs ?? null,
      ],
    );
  }

  /** Parts of the refund not yet settled (pending or waiting for a person) take this state. */
  async settleOpenParts(
    tx: SqlRunner,
    refundId: string,
    state: 'succeeded' | 'failed',
    providerReference: string | null,
  ): Promise<void> {
    await tx.query(
      `UPDATE refund_part SET state = $2, provider_reference = coalesce(provider_reference, $3),
         settled_by = CASE WHEN $2 = 'succeeded' THEN 'manual' ELSE settled_by END,
         settled_at = now(), updated_at = now()
       WHERE refund_id = $1 AND state IN ('pending', 'requires_action')`,
      [refundId, state, providerReference],
    );
  }

  async setStatus(
    tx: SqlRunner,
    refundId: string,
    status: RefundStatus,
    failure: { code: string; message: string } | null,
    completion?: { reference: string | null; note: string | null; by: string },
  ): Promise<void> {
    await tx.query(
      `UPDATE refund SET status = $2, failure_code = CASE WHEN $2 = 'SUCCEEDED' THEN NULL ELSE coalesce($3, failure_code) END,
         failure_message = CASE WHEN $2 = 'SUCCEEDED' THEN NULL ELSE coalesce($4, failure_message) END,
         completed_reference = coalesce($5, completed_reference), completed_note = coalesce($6, completed_note),
         completed_by = coalesce($7, completed_by),
         settled_at = CASE WHEN $2 IN ('SUCCEEDED', 'FAILED') THEN now() ELSE settled_at END, updated_at = now()
       WHERE id = $1`,
      [
        refundId,
        status,
        failure?.code ?? null,
        failure?.message ?? null,
        completion?.reference ?? null,
        completion?.note ?? null,
        completion?.by ?? null,
      ],
    );
  }
}
