import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { ReconcileConfig } from '../../config/reconcile-config.js';
import { ClaimedCheck, ReconcileChecksRepository } from './reconcile-checks.repository.js';
import { ReconcileMetrics } from './reconcile-metrics.js';
import { ReconciliationService } from './reconciliation.service.js';

// Checks one instance runs at once (each waits for its global rate slot first).
const MAX_IN_FLIGHT = 4;
// Commits that started before a planning pass may land after it: plan again over this much of the past.
const PLAN_OVERLAP_MS = 60_000;
// A failed check with no later step is retried this many times in all, with doubling back-off.
const MAX_ATTEMPTS = 4;
const SKIP_BATCH = 500;

/**
 * Scheduled reconciliation (issue: nothing paid stays unseen). The schedule is rows in reconcile_check,
 * planned from the payments themselves, so it survives restarts and is shared by every instance: each row
 * is claimed with SKIP LOCKED and runs once. Calls to VietQR are paced globally through one slot row.
 */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconcileScheduler.name);
  private readonly settings: ReconcileConfig;
  private readonly instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly leaseSeconds: number;
  private openSince: Date;
  private finalSince: Date;
  private loop: Promise<void> | undefined;
  private stopped = false;
  // Pending sleeps (the poll wait, slot waits), cut short on shutdown.
  private readonly sleepers = new Set<() => void>();

  constructor(
    config: AppConfig,
    private readonly checks: ReconcileChecksRepository,
    private readonly reconciliation: ReconciliationService,
    private readonly metrics: ReconcileMetrics,
  ) {
    this.settings = config.reconcile;
    // Covers the call (VietQR's timeout, a token request first) and the ingest after it.
    this.leaseSeconds = (2 * config.vietqr.timeoutMs + 30_000) / 1000;
    // On start, look back over every payment that can still have a check to plan.
    const longest = Math.max(0, ...this.settings.afterFinalSchedule.map((s) => s.seconds));
    this.openSince = new Date(Date.now() - 86_400_000 - PLAN_OVERLAP_MS);
    this.finalSince = new Date(Date.now() - longest * 1000 - PLAN_OVERLAP_MS);
  }

  onApplicationBootstrap(): void {
    if (!this.settings.enabled) return;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Plans new checks, skips moot ones, and starts due ones until none is left; then waits a poll interval. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.plan();
        const skipped = await this.checks.skipInapplicable(SKIP_BATCH);
        if (skipped > 0) this.metrics.check('skipped', skipped);
        while (!this.stopped && (await this.startNext()));
      } catch (error) {
        this.logger.warn({ err: error }, 'Reconciliation pass failed; trying again after the poll interval');
      }
      await this.sleep(this.settings.pollIntervalMs);
    }
  }

  private async plan(): Promise<void> {
    const open = await this.checks.planOpen(this.settings.schedule, this.openSince);
    await this.checks.planFinal(this.settings.afterFinalSchedule, this.finalSince);
    const next = new Date(open.now.getTime() - PLAN_OVERLAP_MS);
    this.openSince = next;
    this.finalSince = next;
  }

  /** Claims one due check and starts it once its rate slot comes; false when nothing is due. */
  private async startNext(): Promise<boolean> {
    while (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
    const claim = await this.checks.claimNext(this.instance, this.spacingSeconds(), this.leaseSeconds);
    if (!claim) return false;
    if (claim.waitMs > 0) await this.sleep(claim.waitMs);
    if (this.stopped) {
      await this.checks.release(claim.id);
      return false;
    }
    const running = this.runCheck(claim).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return true;
  }

  // The global rate's spacing between two calls, stretched by up to 25 % at random so instances and
  // payments created together do not call VietQR in lockstep; the rate is never exceeded.
  private spacingSeconds(): number {
    return (1 + Math.random() * 0.25) / this.settings.ratePerSecond;
  }

  private async runCheck(claim: ClaimedCheck): Promise<void> {
    try {
      const found = await this.reconciliation.checkAndIngest(
        claim.bankAccount,
        claim.code,
        'auto_reconcile',
        'reconcile',
      );
      const recovered = found.transactions.filter((t) => t.outcome === 'recorded');
      const outcome = recovered.length > 0 ? 'recovered' : 'clean';
      await this.checks.finish(claim.id, outcome, recovered.length, null);
      this.metrics.check(outcome);
    } catch (error) {
      await this.failed(claim, error);
    }
  }

  // VietQR (or the database) failed: the next step of the schedule retries. Only a check with no later
  // step is retried by itself, after a doubling back-off, so an outage never turns into a tight loop.
  private async failed(claim: ClaimedCheck, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.metrics.check('error');
    try {
      const successor =
        (claim.phase === 'open' && this.settings.afterFinalSchedule.length > 0) ||
        (await this.checks.hasLaterCheck(claim.id));
      if (!successor && claim.attempts < MAX_ATTEMPTS) {
        const delayMs = this.settings.retryBaseMs * 2 ** (claim.attempts - 1);
        await this.checks.retryLater(claim.id, delayMs, message);
      } else {
        await this.checks.finish(claim.id, 'error', 0, message);
      }
    } catch (recordError) {
      // Left running: its lease ends and it is due again.
      this.logger.warn({ err: recordError }, `Could not record the failure of reconcile check ${claim.id}`);
    }
    this.logger.warn(
      { err: error, paymentId: claim.paymentId, step: claim.step },
      `Reconcile check of payment ${claim.paymentId} (${claim.phase} ${claim.step}) failed: ${message}`,
    );
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
