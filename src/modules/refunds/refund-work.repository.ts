import { Injectable } from '@nestjs/common';
import { Database, type SqlRunner } from '../../database/database.js';
import type { PartState } from './refund.record.js';

/** A part the worker took: send it to VietQR, or settle a lost answer from check-order. */
export interface ClaimedPart {
  id: string;
  refundId: string;
  sourceReference: string;
  amount: number;
  /** What was claimed: `send` a pending part, `settle` an unknown one. */
  action: 'send' | 'settle';
  multiTimes: boolean;
  attempts: number;
}

interface Candidate {
  id: string;
  refundId: string;
  sourceTransactionId: string;
  sourceReference: string;
  amount: string;
  state: PartState;
  attempts: number;
}

export interface DebitRow {
  id: string;
  reference: string;
  amount: number;
  bankAccount: string;
  receivedAt: Date;
}

@Injectable()
export class RefundWorkRepository {
  constructor(private readonly db: Database) {}

  /**
   * Takes one due part, in the caller's transaction. Parts of a refund go one after the other, and the
   * parts drawn on one transfer too (VietQR locks a transfer's refunds, and check-order's amountRefunded
   * can only settle a lost answer when no other refund of that transfer is on its way): a pending part is
   * taken only when no other part of its transfer is sending or unknown, checked under a lock per transfer.
   * A part left `sending` past its lease belonged to a worker that died mid-call: it becomes unknown, and
   * its refund's id is added to `orphaned` (the caller updates the refund after this transaction, so the
   * lock order stays payment, refund, part).
   */
  async claim(
    tx: SqlRunner,
    leaseMs: number,
    lockMs: number,
    orphaned: string[],
  ): Promise<ClaimedPart | null> {
    const candidates: Candidate[] = await tx.query(
      `SELECT p.id, p.refund_id AS "refundId", p.source_transaction_id AS "sourceTransactionId",
         p.source_reference AS "sourceReference", p.amount, p.state, p.attempts
       FROM refund_part p
       WHERE p.state IN ('pending', 'sending', 'unknown') AND p.next_attempt_at <= now()
         AND NOT EXISTS (SELECT 1 FROM refund_part e
                         WHERE e.refund_id = p.refund_id AND e.seq < p.seq AND e.state <> 'succeeded')
       ORDER BY p.next_attempt_at LIMIT 10
       FOR UPDATE OF p SKIP LOCKED`,
    );
    for (const c of candidates) {
      if (c.state === 'sending') {
        await tx.query(
          `UPDATE refund_part SET state = 'unknown', updated_at = now(),
             next_attempt_at = greatest(now(), sent_at + make_interval(secs => $2::int / 1000.0))
           WHERE id = $1`,
          [c.id, lockMs],
        );
        orphaned.push(c.refundId);
        continue;
      }
      if (c.state === 'unknown') {
        await this.lease(tx, c.id, leaseMs);
        return { ...this.claimed(c, 'settle'), multiTimes: false };
      }
      const [{ locked }]: Array<{ locked: boolean }> = await tx.query(
        `SELECT pg_try_advisory_xact_lock(hashtextextended('refund-source:' || $1, 0)) AS locked`,
        [c.sourceTransactionId],
      );
      if (!locked) continue;
      const [busy]: Array<{ busy: boolean; first: boolean }> = await tx.query(
        `SELECT
           EXISTS (SELECT 1 FROM refund_part x WHERE x.source_transaction_id = $1 AND x.id <> $2
                   AND x.state IN ('sending', 'unknown')) AS busy,
           NOT EXISTS (SELECT 1 FROM refund_part x WHERE x.source_transaction_id = $1 AND x.id <> $2
                       AND x.sent_at IS NOT NULL AND x.state IN ('succeeded', 'requires_action')) AS first`,
        [c.sourceTransactionId, c.id],
      );
      if (busy.busy) continue;
      await tx.query(
        `UPDATE refund_part SET state = 'sending', attempts = attempts + 1, sent_at = now(), multi_times = $3,
           next_attempt_at = now() + make_interval(secs => $2::int / 1000.0), updated_at = now()
         WHERE id = $1`,
        [c.id, leaseMs, busy.first],
      );
      return { ...this.claimed(c, 'send'), multiTimes: busy.first, attempts: c.attempts + 1 };
    }
    return null;
  }

  /** Whether any part is due: a single cheap statement, so an idle worker opens no transaction. */
  async anyDue(): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM refund_part WHERE state IN ('pending', 'sending', 'unknown') AND next_attempt_at <= now()
       LIMIT 1`,
    );
    return rows.length > 0;
  }

  /** What VietQR refunded of the transfer through our earlier parts (so before this one). */
  async refundedBefore(db: SqlRunner, partId: string): Promise<number> {
    const rows: Array<{ total: string }> = await db.query(
      `SELECT coalesce(sum(x.amount), 0) AS total FROM refund_part x, refund_part p
       WHERE p.id = $1 AND x.source_transaction_id = p.source_transaction_id AND x.id <> p.id
         AND x.state = 'succeeded' AND x.settled_by IN ('vietqr', 'check_order')`,
      [partId],
    );
    return Number(rows[0].total);
  }

  /** Debits the ledger has not linked to anything, received within the window. */
  async unlinkedDebits(windowMs: number, limit: number): Promise<DebitRow[]> {
    const rows: Array<DebitRow & { amount: string }> = await this.db.query(
      `SELECT id, reference, amount, bank_account AS "bankAccount", received_at AS "receivedAt"
       FROM bank_transaction
       WHERE status = 'ignored_debit' AND received_at > now() - make_interval(secs => $1::bigint / 1000.0)
       ORDER BY received_at LIMIT $2`,
      [windowMs, limit],
    );
    return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
  }

  /**
   * Links one debit to the refund part it reports: by the refund's FT code, else a succeeded part of the
   * same amount with no FT code yet, settled closest in time within the window. True when linked.
   */
  async linkDebit(tx: SqlRunner, debit: DebitRow, ourAccount: string, windowMs: number): Promise<boolean> {
    const locked: unknown[] = await tx.query(
      `SELECT 1 FROM bank_transaction WHERE id = $1 AND status = 'ignored_debit' FOR UPDATE SKIP LOCKED`,
      [debit.id],
    );
    if (locked.length === 0) return false;
    let parts: Array<{ id: string }> = await tx.query(
      `SELECT id FROM refund_part WHERE provider_reference = $1 AND debit_transaction_id IS NULL
         AND state = 'succeeded' LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [debit.reference],
    );
    if (parts.length === 0 && debit.bankAccount.replace(/[^0-9A-Za-z]/g, '') === ourAccount) {
      parts = await tx.query(
        `SELECT id FROM refund_part
         WHERE provider_reference IS NULL AND debit_transaction_id IS NULL AND state = 'succeeded' AND amount = $1
           AND abs(extract(epoch FROM settled_at - $2::timestamptz)) * 1000 <= $3
         ORDER BY abs(extract(epoch FROM settled_at - $2::timestamptz)) LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [debit.amount, debit.receivedAt, windowMs],
      );
    }
    if (parts.length === 0) return false;
    await tx.query(
      `UPDATE refund_part SET debit_transaction_id = $2, provider_reference = coalesce(provider_reference, $3),
         updated_at = now()
       WHERE id = $1`,
      [parts[0].id, debit.id, debit.reference],
    );
    await tx.query(
      `UPDATE bank_transaction SET status = 'refund_debit', unmatched_reason = NULL, linked_at = now(),
         linked_by = 'refunds'
       WHERE id = $1`,
      [debit.id],
    );
    return true;
  }

  private async lease(tx: SqlRunner, id: string, leaseMs: number): Promise<void> {
    await tx.query(
      `UPDATE refund_part SET next_attempt_at = now() + make_interval(secs => $2::int / 1000.0), updated_at = now()
       WHERE id = $1`,
      [id, leaseMs],
    );
  }

  private claimed(c: Candidate, action: 'send' | 'settle'): Omit<ClaimedPart, 'multiTimes'> {
    return {
      id: c.id,
      refundId: c.refundId,
      sourceReference: c.sourceReference,
      amount: Number(c.amount),
      action,
      attempts: c.attempts,
    };
  }
}
