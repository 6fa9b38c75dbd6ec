import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { IdempotencyService } from './idempotency.service.js';
import { PaymentLifecycleService } from './payment-lifecycle.service.js';

const BATCH = 100;

/**
 * Expires due payments and forgets expired Idempotency-Keys, every PAYMENT_SWEEP_INTERVAL_MS. Safe with
 * several instances: each batch takes its rows with SKIP LOCKED, so instances share the work.
 */
@Injectable()
export class PaymentsSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PaymentsSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly lifecycle: PaymentLifecycleService,
    private readonly idempotency: IdempotencyService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One full sweep; returns how many payments it expired. */
  async sweep(): Promise<number> {
    let expired = 0;
    for (;;) {
      const count = await this.lifecycle.expireDue(BATCH);
      expired += count;
      if (count < BATCH || this.stopped) break;
    }
    while ((await this.idempotency.deleteExpired(1_000)) === 1_000 && !this.stopped);
    return expired;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .then((expired) => {
          if (expired > 0) this.logger.log(`Expired ${expired} payment(s)`);
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Payment sweep failed; retrying later'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.config.payments.sweepIntervalMs);
  }
}
