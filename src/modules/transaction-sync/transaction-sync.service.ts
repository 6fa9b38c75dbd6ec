import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database, Transaction } from '../../database/database.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { CreditOutcome, IncomingCredit, PaymentCandidates } from '../payments/incoming-credit.js';
import { PaymentCreditsService } from '../payments/payment-credits.service.js';
import {
  ArrivedVia,
  BankTransactionsRepository,
  LEDGER_KEY_CONSTRAINTS,
  Outcome,
} from './bank-transactions.repository.js';
import type { BankTransactionInput } from './bank-transaction-input.js';

function statusOf(outcome: CreditOutcome, transType: 'C' | 'D'): Outcome {
  switch (outcome.result) {
    case 'linked':
    case 'late':
      return {
        status: outcome.result,
        unmatchedReason: null,
        paymentId: outcome.paymentId,
        clientId: outcome.clientId,
      };
    case 'unmatched':
      return {
        status: transType === 'D' ? 'ignored_debit' : 'unmatched',
        unmatchedReason: outcome.reason,
        paymentId: null,
        clientId: null,
      };
  }
}

export type IngestOutcome = 'recorded' | 'duplicate' | 'conflict';

export interface IngestResult {
  /** The ledger row's id: our reftransactionid. */
  id: string;
  reference: string;
  outcome: IngestOutcome;
}

/** The inbound ledger: records each bank transaction VietQR reports exactly once, then offers it to payments. */
@Injectable()
export class TransactionSyncService {
  constructor(
    private readonly database: Database,
    private readonly ledger: BankTransactionsRepository,
    private readonly payments: PaymentCreditsService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * The one idempotent ingest, shared by transaction-sync and reconciliation (scheduled: actor
   * 'auto_reconcile'; asked for: 'reconcile'): records the transaction once, offers a new one to payments in
   * the same database transaction. A transfer first recorded by reconciliation was a missed callback.
   * Money that arrived is never refused for business reasons: unknown orders, other accounts and debits are
   * recorded too. `raw` is the body exactly as received, kept on the ledger row.
   */
  async ingest(
    input: BankTransactionInput,
    raw: string,
    actor: string,
    arrivedVia: ArrivedVia = 'callback',
  ): Promise<IngestResult> {
    try {
      return await this.ingestOnce(input, raw, actor, arrivedVia);
    } catch (error) {
      // A copy committed between the look-up and the insert (two deliveries of an unmatched transfer, which
      // no payment lock orders): nothing of this attempt was kept, and the next one finds that copy.
      const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
      if (code !== '23505' || !LEDGER_KEY_CONSTRAINTS.has(constraint ?? '')) throw error;
      return this.ingestOnce(input, raw, actor, arrivedVia);
    }
  }

  private ingestOnce(
    input: BankTransactionInput,
    raw: string,
    actor: string,
    arrivedVia: ArrivedVia,
  ): Promise<IngestResult> {
    return this.database.transaction(async (tx) => {
      // Sent together and answered together: the lock on the payments the credit could pay, then the
      // look-up of a committed copy. In that order: a copy committed while this waited on the lock is seen
      // (each statement reads what was committed before it began), so copies of a credit never race.
      const [candidates, { now, holder }] = await Promise.all([
        this.payments.lockCandidates(tx, input),
        this.ledger.findHolder(tx, input),
      ]);
      if (!holder) {
        const id = randomUUID();
        this.recordNew(tx, id, now, input, raw, { actor, arrivedVia }, candidates);
        return { id, reference: input.reference, outcome: 'recorded' };
      }
      if (holder.amount !== input.amount || holder.content !== input.content) {
        tx.later(this.ledger.insertConflictIfAbsent(tx, holder.id, input, raw, arrivedVia));
        return { id: holder.id, reference: input.reference, outcome: 'conflict' };
      }
      return { id: holder.id, reference: input.reference, outcome: 'duplicate' };
    });
  }

  /**
   * Offers the new credit to payments, then records it with what became of it: one row written once.
   * These writes travel with the commit.
   */
  private recordNew(
    tx: Transaction,
    id: string,
    receivedAt: Date,
    input: BankTransactionInput,
    raw: string,
    { actor, arrivedVia }: { actor: string; arrivedVia: ArrivedVia },
    candidates: PaymentCandidates | null,
  ): void {
    const credit: IncomingCredit = {
      bankTransactionId: id,
      reference: input.reference,
      amount: input.amount,
      content: input.content,
      orderId: input.orderId,
      bankAccount: input.bankAccount,
      transType: input.transType,
      paidAt: input.transactionTime,
      receivedAt,
    };
    const outcome = this.payments.applyCredit(tx, credit, { actor }, candidates);
    const result = statusOf(outcome, input.transType);
    tx.later(this.ledger.insertRecorded(tx, id, input, raw, arrivedVia, result));
    const transaction = {
      id,
      reference: input.reference,
      amount: input.amount,
      content: input.content,
      bankAccount: input.bankAccount,
      orderId: input.orderId,
      transactionTime: input.transactionTime?.toISOString() ?? null,
      receivedAt: receivedAt.toISOString(),
    };
    if (result.status === 'unmatched') {
      tx.later(
        this.outbox.append(tx, {
          type: 'transaction.unmatched',
          clientId: null,
          subjectId: id,
          data: { ...transaction, reason: result.unmatchedReason },
        }),
      );
    }
    if (arrivedVia !== 'callback') {
      // The merchant's operators hear of every missed callback; the order system gets its payment's events.
      tx.later(
        this.outbox.append(tx, {
          type: 'transaction.recovered',
          clientId: null,
          subjectId: id,
          data: { ...transaction, arrivedVia, status: result.status, paymentId: result.paymentId },
        }),
      );
    }
  }
}
