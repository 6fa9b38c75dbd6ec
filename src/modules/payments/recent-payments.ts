import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { PaymentVersion } from './payment.record.js';

// A payment whose free-form fields (metadata, description, redirect URLs) are longer than this in all is not
// remembered: its credit takes two round trips, and memory stays about 1-2 KB a payment (metadata alone
// may be 4 KB).
const MAX_FREE_TEXT = 1024;

function freeTextLength(p: PaymentVersion['payment']): number {
  const metadata = p.metadata === null ? 0 : JSON.stringify(p.metadata).length;
  return metadata + (p.description?.length ?? 0) + (p.returnUrl?.length ?? 0) + (p.cancelUrl?.length ?? 0);
}

/**
 * The payments this instance created most recently, as it last wrote them (row and version), by code: what
 * lets a credit for one of them be decided before the database is asked (a credit in one round trip,
 * TransactionSyncService). Only ever a guess: the credit's first statement checks the row is still that
 * version, and fails its transaction when it is not. So an entry never needs invalidating for safety; it is
 * used at most once (a credit changes the row), and the oldest go first beyond CREDIT_PREDICTION_PAYMENTS.
 */
@Injectable()
export class RecentPayments {
  private readonly byCode = new Map<string, PaymentVersion>();
  private readonly capacity: number;

  constructor(config: AppConfig) {
    this.capacity = config.payments.creditPredictionPayments;
  }

  /** Remembers a payment as written by a transaction that has committed. */
  remember(entry: PaymentVersion): void {
    if (this.capacity === 0 || freeTextLength(entry.payment) > MAX_FREE_TEXT) return;
    const { code } = entry.payment;
    this.byCode.delete(code); // re-inserted last: a Map keeps insertion order, oldest first
    this.byCode.set(code, entry);
    if (this.byCode.size > this.capacity) this.byCode.delete(this.byCode.keys().next().value!);
  }

  /** Takes (and forgets) the payment with this code, unless it is unknown or already due to expire. */
  take(code: string, now: Date): PaymentVersion | undefined {
    const entry = this.byCode.get(code);
    if (!entry) return undefined;
    this.byCode.delete(code);
    // The sweeper may have expired it already: the guess would fail, at the cost of a round trip.
    return entry.payment.expiresAt > now ? entry : undefined;
  }
}
