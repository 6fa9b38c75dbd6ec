import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { HttpMetricsService } from '../metrics/http-metrics.service.js';

/** How callbacks' credits are batched, on the app's one registry (served at /metrics). */
@Injectable()
export class CreditBatchMetrics {
  private readonly sizes: Histogram;
  private readonly failed: Counter;
  private readonly oneTrip: Counter<'outcome'>;

  constructor(metrics: HttpMetricsService) {
    this.sizes = new Histogram({
      name: 'credit_batch_size',
      help: "Callbacks' credits per batch (one database transaction; 1 = a credit alone)",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [metrics.registry],
    });
    this.failed = new Counter({
      name: 'credit_batches_failed_total',
      help: 'Batches that failed and whose credits each ran alone (a held payment, one credit failing)',
      registers: [metrics.registry],
    });
    this.oneTrip = new Counter({
      name: 'credit_one_trip_total',
      help:
        'Lone credits decided on a payment this instance remembered and sent in one round trip: committed, ' +
        'or decided again in two trips (the payment had changed, or the transfer was recorded meanwhile)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
    // Present at 0 from the start, so rate() and alerts work before the first failure.
    this.failed.inc(0);
    this.oneTrip.inc({ outcome: 'committed' }, 0);
    this.oneTrip.inc({ outcome: 'decided_again' }, 0);
  }

  oneTripCredit(outcome: 'committed' | 'decided_again'): void {
    this.oneTrip.inc({ outcome });
  }

  batch(size: number): void {
    this.sizes.observe(size);
  }

  batchFailed(): void {
    this.failed.inc();
  }
}
