import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { BatchOutcome, CommitBatches, togetherOrAlone } from '../../database/commit-batches.js';
import { Database, type SqlRunner } from '../../database/database.js';
import type { IssuedQr } from '../qr-orders/qr-issuer.js';
import { PaymentBatchMetrics, type PaymentWrite } from './payment-batch-metrics.js';
import type { PaymentRecord, PaymentVersion } from './payment.record.js';
import { type NewPayment, PaymentsRepository } from './payments.repository.js';

interface QrToStore {
  paymentId: string;
  qr: IssuedQr;
}

// A batch does not wait on another transaction (the same order id being inserted, the payment being
// updated) for longer than this: it fails and each of its writes runs alone, waiting only for itself.
const BATCH_LOCK_TIMEOUT = `SET LOCAL lock_timeout = '100ms'`;

const byOrder = (a: NewPayment, b: NewPayment) =>
  a.clientId === b.clientId ? compare(a.orderId, b.orderId) : compare(a.clientId, b.clientId);
const byPayment = (a: QrToStore, b: QrToStore) => compare(a.paymentId, b.paymentId);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A new payment's two autocommitted writes, its row and then its QR, each shared with other requests' same
 * write in one database transaction when they arrive together (group commit, as callbacks' credits):
 * one commit and one WAL flush for the batch. Each request is answered after its batch committed. If a
 * batch fails, each of its writes runs alone, exactly as with PAYMENT_BATCH_SIZE=1: one request's failure
 * fails only itself, and delays the others by one attempt (bounded by the batch's lock timeout).
 */
@Injectable()
export class PaymentWrites {
  private readonly logger = new Logger(PaymentWrites.name);
  private readonly inserts: CommitBatches<NewPayment, PaymentRecord | null> | null;
  private readonly qrStores: CommitBatches<QrToStore, PaymentVersion> | null;

  constructor(
    private readonly database: Database,
    private readonly payments: PaymentsRepository,
    private readonly metrics: PaymentBatchMetrics,
    config: AppConfig,
  ) {
    const { paymentBatchSize: size, paymentBatchConcurrency: concurrency } = config.payments;
    const insert = (db: SqlRunner, p: NewPayment) => this.payments.insertIfAbsent(db, p);
    const storeQr = (db: SqlRunner, s: QrToStore) => this.payments.storeQr(db, s.paymentId, s.qr);
    this.inserts =
      size > 1 ? new CommitBatches(size, concurrency, this.batchesOf('insert', insert, byOrder)) : null;
    this.qrStores =
      size > 1 ? new CommitBatches(size, concurrency, this.batchesOf('store_qr', storeQr, byPayment)) : null;
  }

  /** Inserts the payment and its creation history; null when the order id or the code is taken. */
  insert(payment: NewPayment): Promise<PaymentRecord | null> {
    return this.inserts ? this.inserts.submit(payment) : this.payments.insertIfAbsent(this.database, payment);
  }

  /** Stores the QR obtained for a payment, in a transaction of its own (shared with others' stores). */
  storeQr(paymentId: string, qr: IssuedQr): Promise<PaymentVersion> {
    return this.qrStores
      ? this.qrStores.submit({ paymentId, qr })
      : this.payments.storeQr(this.database, paymentId, qr);
  }

  private batchesOf<I, R>(
    write: PaymentWrite,
    one: (db: SqlRunner, item: I) => Promise<R>,
    order: (a: I, b: I) => number,
  ) {
    return togetherOrAlone<I, R>({
      together: (items) => this.together(items, one, order),
      alone: (item) => one(this.database, item),
      started: (size) => this.metrics.batch(write, size),
      failed: (error, size) => {
        this.metrics.batchFailed(write);
        this.logger.warn(
          `A batch of ${size} payment writes (${write}) failed (${(error as Error).message}); each runs alone`,
        );
      },
    });
  }

  private async together<I, R>(
    items: I[],
    one: (db: SqlRunner, item: I) => Promise<R>,
    order: (a: I, b: I) => number,
  ): Promise<Array<BatchOutcome<R>>> {
    const answers = await this.database.transaction(async (tx) => {
      tx.later(tx.query(BATCH_LOCK_TIMEOUT));
      // Rows written in one order by every batch: two batches never wait on each other's in a cycle.
      const sorted = items.map((item, i) => ({ item, i })).sort((a, b) => order(a.item, b.item));
      const sent = sorted.map(({ item, i }) => {
        const answer = one(tx, item);
        answer.catch(() => undefined); // a failure fails the commit, and is reported there
        return { i, answer };
      });
      // Not awaited here: the COMMIT leaves right behind the statements, and waits for all of them.
      return sent;
    });
    const outcomes: Array<BatchOutcome<R>> = [];
    for (const { i, answer } of answers) outcomes[i] = { result: await answer };
    return outcomes;
  }
}
