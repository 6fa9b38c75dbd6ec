import { Injectable } from '@nestjs/common';
import { Database, Transaction } from '../../database/database.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { CreditOutcome, IncomingCredit, PaymentCandidates } from '../payments/incoming-credit.js';
import { PaymentCreditsService } from '../payments/payment-credits.service.js';
import {
  ArrivedVia,
  BankTransactionsRepository,
  BankTransactionStatus,
} from './bank-transactions.repository.js';
import type { BankTransactionInput } from './bank-transaction-input.js';

function statusOf(outcome: CreditOutcome, transType: 'C' | 'D') {
  switch (outcome.result) {
    case 'linked':
    case 'late':
      return {
        status: outcome.result as BankTransactionStatus,
        unmatchedReason: null,
        paymentId: outcome.paymentId,
        clientId: outcome.clientId,
      };
    case 'unmatched':
      return {
        status: (transType === 'D' ? 'ignored_debit' : 'unmatched') as BankTransactionStatus,
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
    return this.database.transaction(async (tx) => {
      // Sent together and answered together: the ledger insert, and the lock on the payments the credit
      // could pay (a duplicate takes that lock for nothing, and saves a round trip on every new credit).
      const [inserted, candidates] = await Promise.all([
        this.ledger.insertIfAbsent(tx, input, raw, arrivedVia),
        this.payments.lockCandidates(tx, input),
      ]);
      const entry = inserted ?? (await this.ledger.findOriginal(tx, input));
      // Unreachable: the key is taken (else the insert succeeds) by a committed row (else we waited on it).
      if (!entry) throw new Error(`bank transaction ${input.reference} neither inserted nor found`);
      if (entry.inserted) {
        this.offerToPayments(tx, entry.id, entry.receivedAt, input, { actor, arrivedVia }, candidates);
        return { id: entry.id, reference: input.reference, outcome: 'recorded' };
      }
      if (entry.amount !== input.amount || entry.content !== input.content) {
        tx.later(this.ledger.insertConflictIfAbsent(tx, entry.id, input, raw, arrivedVia));
        return { id: entry.id, reference: input.reference, outcome: 'conflict' };
      }
      return { id: entry.id, reference: input.reference, outcome: 'duplicate' };
    });
  }

  /** Links the new credit and records the outcome; these writes travel with the commit. */
  private offerToPayments(
    tx: Transaction,
    id: string,
    receivedAt: Date,
    input: BankTransactionInput,
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
    tx.later(this.ledger.recordOutcome(tx, id, result));
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
