import { runWithRequestId } from '../../common/http/request-context.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { retryDelayMs } from './webhook-backoff.js';
import { ClaimedDelivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookSender } from './webhook-sender.js';
import { envelopeBody } from './webhook-message.js';

// Deliveries one instance sends at once; more instances scale it out.
export const MAX_CONCURRENT_SENDS = 16;
const FAN_OUT_BATCH = 200;
// The lease outlives the HTTP timeout by this much, so recording the outcome fits inside it.
const LEASE_MARGIN_MS = 2_000;

/**
 * Delivers the outbox: fans new events out into deliveries, leases due deliveries (SKIP LOCKED, so
 * instances never share one), sends each outside any transaction and records the outcome.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly sending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private backlog = false;
  private queries: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly sender: WebhookSender,
    private readonly outbox: OutboxService,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    // Attempts in flight end now; their outcome is recorded and they are retried (by any instance).
    this.sender.abortAll('instance shutting down');
    await Promise.allSettled([...this.sending]);
  }

  // The dispatcher's statements run one at a time: it holds at most one pooled connection, leaving the rest
  // to requests (and the embedded database, one session, never sees two of them interleaved).
  private inTurn<T>(statement: () => Promise<T>): Promise<T> {
    const turn = this.queries.then(statement, statement);
    this.queries = turn.catch(() => undefined);
    return turn;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.backlog ? 0 : this.config.webhooks.dispatchIntervalMs);
      });
    }, delayMs);
  }

  /** One round: fan out new events, then fill the free send slots with due deliveries. */
  async tick(): Promise<void> {
    try {
      const fanned = await this.inTurn(() =>
        this.outbox.dispatch(FAN_OUT_BATCH, (tx, events) =>
          this.deliveries.fanOut(tx, events, this.config.webhooks.maxAgeHours),
        ),
      );
      const free = MAX_CONCURRENT_SENDS - this.sending.size;
      let claimed: ClaimedDelivery[] = [];
      if (free > 0 && !this.stopped) {
        claimed = await this.inTurn(() =>
          this.deliveries.claimDue(free, this.config.webhooks.timeoutMs + LEASE_MARGIN_MS, this.instanceId),
        );
        for (const claim of claimed) this.track(this.deliver(claim));
      }
      this.backlog = fanned.events === FAN_OUT_BATCH || (free > 0 && claimed.length === free);
    } catch (error) {
      this.backlog = false;
      this.logger.warn({ err: error }, 'Webhook dispatch round failed; retrying on the next round');
    }
  }

  private track(sending: Promise<void>): void {
    this.sending.add(sending);
    void sending.finally(() => {
      this.sending.delete(sending);
      // A freed slot with more waiting: claim again now rather than after the interval.
      if (this.backlog && !this.running && !this.stopped) this.schedule(0);
    });
  }

  private deliver(claim: ClaimedDelivery): Promise<void> {
    // The request that caused the event, else the delivery: the receiver's logs and ours share the id.
    return runWithRequestId(claim.requestId ?? claim.id, () => this.deliverNow(claim));
  }

  private async deliverNow(claim: ClaimedDelivery): Promise<void> {
    const secrets = claim.previousSecret ? [claim.secret, claim.previousSecret] : [claim.secret];
    const result = await this.sender.send(claim.url, {
      id: claim.payload.id,
      body: envelopeBody(claim.payload),
      secrets,
      requestId: claim.requestId ?? claim.id,
    });
    const retryInMs = this.stopped ? 0 : retryDelayMs(claim.attemptCount, this.config.webhooks.retryBaseMs);
    try {
      const status = await this.inTurn(() => this.deliveries.recordOutcome(claim, { ...result, retryInMs }));
      if (status === 'failed') {
        this.logger.warn(
          {
            deliveryId: claim.id,
            eventId: claim.payload.id,
            attempts: claim.attemptCount,
            error: result.error,
          },
          'Webhook delivery failed for good',
        );
      }
    } catch (error) {
      // The lease runs out and the delivery is attempted again: at least once, never lost.
      this.logger.warn({ err: error, deliveryId: claim.id }, 'Could not record a webhook attempt');
    }
  }
}
