import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { HttpMetricsService } from '../metrics/http-metrics.service.js';

/** Which of a new payment's two writes a batch carried. */
export type PaymentWrite = 'insert' | 'store_qr';

/** How new payments' writes are batched, on the app's one registry (served at /metrics). */
@Injectable()
export class PaymentBatchMetrics {
  private readonly sizes: Histogram<'write'>;
  private readonly failed: Counter<'write'>;

  constructor(metrics: HttpMetricsService) {
    this.sizes = new Histogram({
      name: 'payment_write_batch_size',
      help: "New payments' writes per batch (one database transaction; 1 = a write alone), by write",
      labelNames: ['write'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [metrics.registry],
    });
    this.failed = new Counter({
      name: 'payment_write_batches_failed_total',
      help: 'Batches of payment writes that failed and whose writes each ran alone, by write',
      labelNames: ['write'],
      registers: [metrics.registry],
    });
    // Present at 0 from the start, so rate() and alerts work before the first failure.
    for (const write of ['insert', 'store_qr'] as const) this.failed.inc({ write }, 0);
  }

  batch(write: PaymentWrite, size: number): void {
    this.sizes.observe({ write }, size);
  }

  batchFailed(write: PaymentWrite): void {
    this.failed.inc({ write });
  }
}
