import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { HttpMetricsService } from '../metrics/http-metrics.service.js';

/** How callbacks' credits are batched, on the app's one registry (served at /metrics). */
@Injectable()
export class CreditBatchMetrics {
  private readonly sizes: Histogram;
  private readonly failed: Counter;

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
    // Present at 0 from the start, so rate() and alerts work before the first failure.
    this.failed.inc(0);
  }

  batch(size: number): void {
    this.sizes.observe(size);
  }

  batchFailed(): void {
    this.failed.inc();
  }
}
