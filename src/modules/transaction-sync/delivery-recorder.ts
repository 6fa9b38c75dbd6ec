import { Injectable } from '@nestjs/common';
import type { Transaction } from '../../database/database.js';
import { newRowId } from '../../database/row-id.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { CreditOutcome, IncomingCredit, PaymentCandidates } from '../payments/incoming-credit.js';
import { PaymentCreditsService } from '../payments/payment-credits.service.js';
import {
  ArrivedVia,
  BankTransactionsRepository,
  LedgerEntry,
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

/**
 * One delivery's part of an ingest transaction, once its payments are locked and its committed copy looked
 * up: what it is, and the writes that travel with the commit. Alone or in a batch, the same.
 */
@Injectable()
export class DeliveryRecorder {
  constructor(
    private readonly ledger: BankTransactionsRepository,
    private readonly payments: PaymentCreditsService,
    private readonly outbox: OutboxService,
  ) {}

  /** Decides what a delivery is (new, a conflicting re-delivery, a duplicate) and sends its writes. */
  record(
    tx: Transaction,
    input: BankTransactionInput,
    raw: string,
    cause: { actor: string; arrivedVia: ArrivedVia },
    { now, holder }: { now: Date; holder: LedgerEntry | null },
    candidates: PaymentCandidates | null,
  ): IngestResult {
    if (!holder) {
      const id = newRowId();
      this.recordNew(tx, id, now, input, raw, cause, candidates);
      return { id, reference: input.reference, outcome: 'recorded' };
    }
    if (holder.amount !== input.amount || holder.content !== input.content) {
      tx.later(this.ledger.insertConflictIfAbsent(tx, holder.id, input, raw, cause.arrivedVia));
      return { id: holder.id, reference: input.reference, outcome: 'conflict' };
    }
    return { id: holder.id, reference: input.reference, outcome: 'duplicate' };
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
    tx.later(this.ledger.insertRecorded(tx, id, input, raw, arrivedVia, result, receivedAt));
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
