import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { AppConfig } from '../../config/app-config.js';
import type { PaymentState } from '../payments/payment-checkout.service.js';
import type { CheckoutStateDto } from './checkout-state.dto.js';
import { isFinal, stateOf, type WatchedPayment } from './checkout.service.js';
import { PaymentChangeFeed } from './payment-change-feed.js';

const HEARTBEAT_MS = 20_000;
// A stream is ended after this long; the browser reconnects by itself (and gets the current state first),
// so no connection lives for hours and instances behind a load balancer even out.
const MAX_STREAM_MS = 15 * 60_000;
// Streams from one address at once (a page per tab; more is someone holding connections open).
export const MAX_STREAMS_PER_ADDRESS = 20;
// A client that does not read its events is dropped rather than buffered for.
const MAX_BUFFERED_BYTES = 64 * 1024;
const RETRY_MS = 3_000;

interface Stream {
  res: ServerResponse;
  address: string;
  close: () => void;
}

export type OpenResult = 'opened' | 'instance_full' | 'address_full';

/** The open server-sent-event streams of this instance: bounded, fed by PaymentChangeFeed. */
@Injectable()
export class CheckoutStreams implements BeforeApplicationShutdown {
  private readonly streams = new Set<Stream>();
  private readonly perAddress = new Map<string, number>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly feed: PaymentChangeFeed,
  ) {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /** Whether one more stream from this address may open now. */
  admit(address: string): OpenResult {
    if (this.streams.size >= this.config.checkout.maxStreams) return 'instance_full';
    if ((this.perAddress.get(address) ?? 0) >= MAX_STREAMS_PER_ADDRESS) return 'address_full';
    return 'opened';
  }

  /**
   * Follows the payment on an already-answered (200, text/event-stream) response: watches first, then reads
   * the current state, so no change falls between the two. Ends the stream at a final state.
   */
  async open(
    res: ServerResponse,
    address: string,
    payment: WatchedPayment,
    current: () => Promise<PaymentState | null>,
  ): Promise<void> {
    let closed = false;
    let unwatch = () => {};
    const stream: Stream = {
      res,
      address,
      close: () => {
        if (closed) return;
        closed = true;
        unwatch();
        clearTimeout(lifetime);
        this.streams.delete(stream);
        const n = (this.perAddress.get(address) ?? 1) - 1;
        if (n <= 0) this.perAddress.delete(address);
        else this.perAddress.set(address, n);
        if (!res.writableEnded) res.end();
      },
    };
    const lifetime = setTimeout(stream.close, MAX_STREAM_MS);
    lifetime.unref();
    this.streams.add(stream);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    res.on('close', stream.close);
    res.on('error', stream.close);

    const send = (state: CheckoutStateDto) => {
      if (closed) return;
      res.write(`event: status\ndata: ${JSON.stringify(state)}\n\n`);
      if (isFinal(state.status) || res.writableLength > MAX_BUFFERED_BYTES) stream.close();
    };
    unwatch = this.feed.watch(payment.id, (change) =>
      send(stateOf(payment, change.status, change.amountPaid)),
    );
    res.write(`retry: ${RETRY_MS}\n\n`);
    try {
      const now = await current();
      if (!now) stream.close();
      else send(stateOf(payment, now.status, now.amountPaid));
    } catch {
      stream.close();
    }
  }

  /** Ends every open stream before the HTTP server waits for its connections to finish. */
  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const stream of [...this.streams]) stream.close();
  }

  private beat(): void {
    for (const stream of this.streams) {
      stream.res.write(': keep-alive\n\n');
      if (stream.res.writableLength > MAX_BUFFERED_BYTES) stream.close();
    }
  }
}
