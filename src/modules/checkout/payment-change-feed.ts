import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { PaymentCheckoutService, type PaymentState } from '../payments/payment-checkout.service.js';

type Listener = (state: PaymentState) => void;

/**
 * Tells this instance's open checkout pages when their payment changes, wherever the change was committed:
 * every CHECKOUT_POLL_INTERVAL_MS the instance reads the payments its pages watch, in one query whatever the
 * number of pages (none watched: nothing read), and hands each change to the pages watching that payment.
 *
 * Not LISTEN/NOTIFY: a notifying transaction takes a global lock that PostgreSQL holds through its commit's
 * flush, so a trigger that notified on each credit made credits commit one at a time (about half their rate).
 * A payer waits at most one interval more; the credit path pays nothing for the pages.
 */
@Injectable()
export class PaymentChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PaymentChangeFeed.name);
  private readonly watchers = new Map<string, Set<Listener>>();
  /** Last state handed out per watched payment: repeats are not sent twice. */
  private readonly last = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly config: AppConfig,
    private readonly payments: PaymentCheckoutService,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.schedulePoll();
  }

  onApplicationShutdown(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
  }

  watch(paymentId: string, listener: Listener): () => void {
    let set = this.watchers.get(paymentId);
    if (!set) {
      set = new Set();
      this.watchers.set(paymentId, set);
    }
    set.add(listener);
    return () => {
      const current = this.watchers.get(paymentId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.watchers.delete(paymentId);
        this.last.delete(paymentId);
      }
    };
  }

  private dispatch(state: PaymentState): void {
    const set = this.watchers.get(state.id);
    if (!set) return;
    const key = `${state.status}:${state.amountPaid}`;
    if (this.last.get(state.id) === key) return;
    this.last.set(state.id, key);
    for (const listener of [...set]) {
      try {
        listener(state);
      } catch (error) {
        this.logger.warn(`A checkout stream failed on a change: ${String(error)}`);
      }
    }
  }

  private async readWatched(): Promise<void> {
    const ids = [...this.watchers.keys()];
    if (ids.length === 0) return;
    try {
      for (const state of await this.payments.states(ids)) this.dispatch(state);
    } catch (error) {
      this.logger.warn(`Could not re-read watched payments: ${String(error)}`);
    }
  }

  private schedulePoll(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.readWatched().finally(() => this.schedulePoll());
    }, this.config.checkout.pollIntervalMs);
    this.timer.unref();
  }
}
