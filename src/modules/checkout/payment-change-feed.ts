import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../../config/app-config.js';
import { Database } from '../../database/database.js';
import { PaymentCheckoutService, type PaymentState } from '../payments/payment-checkout.service.js';

// The channel the payment_notify_change trigger (migration AddPaymentCheckout) notifies on each change of a
// payment's status or paid amount, delivered at commit to every listening session of every instance.
const CHANNEL = 'payment_change';
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;
// A listening connection that died quietly (no RST) is noticed by this ping.
const PING_MS = 30_000;

type Listener = (state: PaymentState) => void;

/**
 * Tells this instance's open checkout pages when their payment changes, wherever the change was committed:
 * ONE dedicated connection per instance LISTENs, and each notification is handed to the pages watching
 * that payment (none watching: dropped, nothing read). After a lost connection it reconnects and re-reads
 * the watched payments, so a change made during the outage is not missed.
 *
 * The embedded database (PGlite) is one shared session whose socket server hands notifications to the
 * connection that committed, not the listening one: there the feed reads the watched payments every
 * CHECKOUT_POLL_INTERVAL_MS instead (one query per instance, whatever the number of pages).
 */
@Injectable()
export class PaymentChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PaymentChangeFeed.name);
  private readonly watchers = new Map<string, Set<Listener>>();
  /** Last state handed out per watched payment: repeats are not sent twice. */
  private readonly last = new Map<string, string>();
  private client: pg.Client | null = null;
  private mode: 'notify' | 'poll' | 'stopped' = 'stopped';
  private timer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = RECONNECT_MIN_MS;
  private connected = false;

  constructor(
    private readonly config: AppConfig,
    private readonly database: Database,
    private readonly payments: PaymentCheckoutService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const [{ version }] = await this.database.query<Array<{ version: string }>>('SELECT version()');
    if (/PGlite/i.test(version)) {
      this.mode = 'poll';
      this.logger.log('Embedded database: checkout pages follow payments by polling (no LISTEN/NOTIFY)');
      this.schedulePoll();
      return;
    }
    this.mode = 'notify';
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.mode = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** How changes arrive: 'notify' (LISTEN/NOTIFY) or 'poll' (embedded database). */
  get deliveryMode(): string {
    return this.mode;
  }

  /** True while the listening connection is up (always true when polling). */
  get isListening(): boolean {
    return this.mode === 'poll' || this.connected;
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

  private async connect(): Promise<void> {
    if (this.mode !== 'notify') return;
    const client = new pg.Client({
      connectionString: this.config.database.url,
      application_name: 'vietqr-gateway-checkout-listener',
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const p = JSON.parse(message.payload) as PaymentState;
        this.dispatch({
          id: p.id,
          status: p.status,
          amount: Number(p.amount),
          amountPaid: Number(p.amountPaid),
        });
      } catch {
        this.logger.warn('Unreadable payment_change notification');
      }
    });
    const lost = (error?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      this.connected = false;
      if (this.pingTimer) clearInterval(this.pingTimer);
      client.end().catch(() => undefined);
      if (this.mode !== 'notify') return;
      this.logger.warn(
        `Checkout listener connection lost (${error instanceof Error ? error.message : 'closed'}); reconnecting`,
      );
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      lost(error);
      return;
    }
    if (this.client !== client) return;
    this.connected = true;
    this.reconnectDelay = RECONNECT_MIN_MS;
    this.pingTimer = setInterval(() => {
      client.query('SELECT 1').catch(lost);
    }, PING_MS);
    this.pingTimer.unref();
    // Changes committed while nobody listened (start-up, an outage) are read once now.
    await this.catchUp();
  }

  private scheduleReconnect(): void {
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }

  private async catchUp(): Promise<void> {
    const ids = [...this.watchers.keys()];
    if (ids.length === 0) return;
    try {
      for (const state of await this.payments.states(ids)) this.dispatch(state);
    } catch (error) {
      this.logger.warn(`Could not re-read watched payments: ${String(error)}`);
    }
  }

  private schedulePoll(): void {
    if (this.mode !== 'poll') return;
    this.timer = setTimeout(() => {
      void this.catchUp().finally(() => this.schedulePoll());
    }, this.config.checkout.pollIntervalMs);
    this.timer.unref();
  }
}
