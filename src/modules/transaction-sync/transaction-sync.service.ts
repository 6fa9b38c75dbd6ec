import { Injectable, Logger } from '@nestjs/common';
import { currentRequestId, runWithRequestId } from '../../common/http/request-context.js';
import { AppConfig } from '../../config/app-config.js';
import { Database, Transaction } from '../../database/database.js';
import { PaymentCreditsService } from '../payments/payment-credits.service.js';
import {
  ArrivedVia,
  BankTransactionsRepository,
  LEDGER_KEY_CONSTRAINTS,
} from './bank-transactions.repository.js';
import { CreditBatchMetrics } from './credit-batch-metrics.js';
import { BatchOutcome, CommitBatches, togetherOrAlone } from '../../database/commit-batches.js';
import { DeliveryRecorder, type IngestResult } from './delivery-recorder.js';
import type { BankTransactionInput } from './bank-transaction-input.js';

export type { IngestOutcome, IngestResult } from './delivery-recorder.js';

/** The SQLSTATE of a payment that changed since this instance remembered it (AddExpectUnchanged). */
const PAYMENT_CHANGED = 'VQ409';

/** The ledger's unique key refused the insert: a copy of the transfer was committed meanwhile. */
function isRecordedCopy(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  return code === '23505' && LEDGER_KEY_CONSTRAINTS.has(constraint ?? '');
}

/** A callback's credit waiting for its batch, with the request it came in. */
interface CallbackCredit {
  input: BankTransactionInput;
  raw: string;
  actor: string;
  requestId: string | undefined;
}

/** The ledger keys a transfer could collide on (over-approximated: any shared one keeps two credits apart). */
function ledgerKeys(input: BankTransactionInput): string[] {
  const keys = [`ref:${input.referenceKey}`];
  if (input.transactionId) keys.push(`txn:${input.transactionId.trim().toUpperCase()}`);
  return keys;
}

/** The items none of whose keys an earlier kept item has: the first of each key, in order (the first always). */
function firstToClaim<T>(items: T[], keysOf: (item: T) => string[]): T[] {
  const claimed = new Set<string>();
  return items.filter((item) => {
    const keys = keysOf(item);
    if (keys.some((k) => claimed.has(k))) return false;
    keys.forEach((k) => claimed.add(k));
    return true;
  });
}

function inContextOf<T>(credit: CallbackCredit, work: () => T): T {
  return credit.requestId ? runWithRequestId(credit.requestId, work) : work();
}

/** The inbound ledger: records each bank transaction VietQR reports exactly once, then offers it to payments. */
@Injectable()
export class TransactionSyncService {
  private readonly logger = new Logger(TransactionSyncService.name);
  /** Callbacks' credits grouped into shared transactions; null when CREDIT_BATCH_SIZE=1. */
  private readonly batches: CommitBatches<CallbackCredit, IngestResult> | null;

  constructor(
    private readonly database: Database,
    private readonly ledger: BankTransactionsRepository,
    private readonly payments: PaymentCreditsService,
    private readonly recorder: DeliveryRecorder,
    private readonly metrics: CreditBatchMetrics,
    config: AppConfig,
  ) {
    const { creditBatchSize, creditBatchConcurrency } = config.payments;
    this.batches =
      creditBatchSize > 1
        ? new CommitBatches(
            creditBatchSize,
            creditBatchConcurrency,
            togetherOrAlone<CallbackCredit, IngestResult>({
              together: (credits) => this.database.transaction((tx) => this.recordTogether(tx, credits)),
              alone: (c) => inContextOf(c, () => this.ingestAlone(c.input, c.raw, c.actor, 'callback')),
              started: (size) => this.metrics.batch(size),
              failed: (error, size) => {
                this.metrics.batchFailed();
                this.logger.warn(
                  `A batch of ${size} credits failed (${(error as Error).message}); each runs alone`,
                );
              },
            }),
          )
        : null;
  }

  /**
   * The one idempotent ingest, shared by transaction-sync and reconciliation (scheduled: actor
   * 'auto_reconcile'; asked for: 'reconcile'): records the transaction once, offers a new one to payments in
   * the same database transaction. A transfer first recorded by reconciliation was a missed callback.
   * Money that arrived is never refused for business reasons: unknown orders, other accounts and debits are
   * recorded too. `raw` is the body exactly as received, kept on the ledger row. A callback's credit may
   * share its transaction with other callbacks' (recordTogether); it is answered after that commit.
   */
  async ingest(
    input: BankTransactionInput,
    raw: string,
    actor: string,
    arrivedVia: ArrivedVia = 'callback',
  ): Promise<IngestResult> {
    if (this.batches && arrivedVia === 'callback') {
      return this.batches.submit({ input, raw, actor, requestId: currentRequestId() });
    }
    return this.ingestAlone(input, raw, actor, arrivedVia);
  }

  private async ingestAlone(
    input: BankTransactionInput,
    raw: string,
    actor: string,
    arrivedVia: ArrivedVia,
  ): Promise<IngestResult> {
    const inOneTrip = await this.ingestInOneTrip(input, raw, actor, arrivedVia);
    if (inOneTrip) return inOneTrip;
    try {
      return await this.ingestOnce(input, raw, actor, arrivedVia);
    } catch (error) {
      // A copy committed between the look-up and the insert (two deliveries of an unmatched transfer, which
      // no payment lock orders): nothing of this attempt was kept, and the next one finds that copy.
      if (!isRecordedCopy(error)) throw error;
      return this.ingestOnce(input, raw, actor, arrivedVia);
    }
  }

  /**
   * A credit for a payment this instance remembers (PaymentCreditsService.rememberedCandidates), in one
   * round trip: decided before anything is answered, on the guess that the payment is as remembered and the
   * transfer is new, its lock, ledger row, link and events leave together with the COMMIT. The lock fails
   * the transaction if the payment has changed (VQ409), the ledger's unique keys if a copy of the transfer
   * was recorded (23505); either way nothing was kept, and null says: decide again, in two trips. The
   * lock comes first, as in ingestOnce (payment, then ledger key): the two paths never wait in a cycle.
   * The service's clock is the transaction's: the ledger row's receivedAt, the link's time, the events'.
   */
  private async ingestInOneTrip(
    input: BankTransactionInput,
    raw: string,
    actor: string,
    arrivedVia: ArrivedVia,
  ): Promise<IngestResult | null> {
    const now = new Date();
    const remembered = this.payments.rememberedCandidates(input, now);
    if (!remembered) return null;
    try {
      const result = await this.database.transaction(async (tx) => {
        this.payments.lockRemembered(tx, remembered);
        const decided = { now, holder: null };
        return this.recorder.record(tx, input, raw, { actor, arrivedVia }, decided, remembered.candidates);
      });
      this.metrics.oneTripCredit('committed');
      return result;
    } catch (error) {
      const paymentChanged = (error as { code?: string } | null)?.code === PAYMENT_CHANGED;
      if (!paymentChanged && !isRecordedCopy(error)) throw error;
      this.metrics.oneTripCredit('decided_again');
      return null;
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
      const [candidates, found] = await Promise.all([
        this.payments.lockCandidates(tx, input),
        this.ledger.findHolder(tx, input),
      ]);
      return this.recorder.record(tx, input, raw, { actor, arrivedVia }, found, candidates);
    });
  }

  /**
   * Several callbacks' credits in one transaction: one lock statement for all their payments, one look-up
   * statement for all their ledger keys, their writes gathered into one statement of each kind (ledger rows,
   * links, events: row-writes.ts), one commit. A credit that shares a ledger key or a payment with an earlier
   * one of the batch is deferred to the next batch (each credit is decided on what committed before it).
   * If the batch fails (one credit's failure, a payment another transaction holds), each credit runs alone
   * (togetherOrAlone), as it would have without batching.
   */
  private async recordTogether(
    tx: Transaction,
    credits: CallbackCredit[],
  ): Promise<Array<BatchOutcome<IngestResult>>> {
    const outcomes: Array<BatchOutcome<IngestResult>> = credits.map(() => 'deferred');
    const kept = firstToClaim(credits, (c) => ledgerKeys(c.input));
    // The same order as ingestOnce: the lock, then the look-ups.
    const [candidates, found] = await Promise.all([
      this.payments.lockCandidatesTogether(
        tx,
        kept.map((c) => c.input),
      ),
      this.ledger.findHolders(
        tx,
        kept.map((c) => c.input),
      ),
    ]);
    const settled = firstToClaim(
      kept.map((_, k) => k),
      (k) => candidates[k]?.found.map((p) => p.id) ?? [],
    );
    // Ledger keys inserted in one order by every batch: two batches never wait on each other's in a cycle.
    settled.sort((a, b) => (kept[a].input.referenceKey < kept[b].input.referenceKey ? -1 : 1));
    for (const k of settled) {
      const credit = kept[k];
      const result = inContextOf(credit, () =>
        this.recorder.record(
          tx,
          credit.input,
          credit.raw,
          { actor: credit.actor, arrivedVia: 'callback' },
          found[k],
          candidates[k],
        ),
      );
      outcomes[credits.indexOf(credit)] = { result };
    }
    return outcomes;
  }
}
