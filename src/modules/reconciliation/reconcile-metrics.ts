import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { HttpMetricsService } from '../metrics/http-metrics.service.js';
import type { ArrivedVia } from '../transaction-sync/bank-transactions.repository.js';
import type { CheckOutcome } from './reconcile-checks.repository.js';

/** Reconciliation's counters, on the app's one registry (served at /metrics). */
@Injectable()
export class ReconcileMetrics {
  private readonly recovered: Counter<'via'>;
  private readonly checks: Counter<'outcome'>;

  constructor(metrics: HttpMetricsService) {
    this.recovered = new Counter({
      name: 'reconcile_recovered_total',
      help: 'Transfers VietQR paid that reached us only through reconciliation (a missed callback each)',
      labelNames: ['via'] as const,
      registers: [metrics.registry],
    });
    this.checks = new Counter({
      name: 'reconcile_checks_total',
      help: 'Scheduled check-order reconciliations, by outcome (recovered, clean, skipped, error)',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    // Present at 0 from the start, so rate() and alerts work before the first event.
    for (const via of ['reconcile', 'manual'] as const) this.recovered.inc({ via }, 0);
    for (const outcome of ['recovered', 'clean', 'skipped', 'error'] as const)
      this.checks.inc({ outcome }, 0);
  }

  recoveredTransfer(via: Exclude<ArrivedVia, 'callback'>): void {
    this.recovered.inc({ via });
  }

  check(outcome: CheckOutcome, count = 1): void {
    this.checks.inc({ outcome }, count);
  }
}
