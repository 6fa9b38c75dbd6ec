import { request as httpRequest, type IncomingMessage } from 'node:http';
import request from 'supertest';
import { partnerToken, vietqrDelivery } from './vietqr-partner.js';

/** The path of a checkout URL (the tests reach the page on whichever instance they choose). */
export function checkoutPath(payment: { checkoutUrl: string }): string {
  return new URL(payment.checkoutUrl).pathname;
}

/** Pays (part of) a payment as VietQR would: a Bearer from our token endpoint, then transaction-sync. */
export async function payThroughVietqr(
  url: string,
  payment: { qr: { content: string }; code: string },
  amount: number,
): Promise<void> {
  const token = await partnerToken(url);
  const res = await request(url)
    .post('/vqr/bank/api/transaction-sync')
    .set('Authorization', `Bearer ${token}`)
    .send(vietqrDelivery({ amount, content: payment.qr.content, orderId: '' }))
    .expect(200);
  if (res.body.error !== false) throw new Error(`transaction-sync refused: ${JSON.stringify(res.body)}`);
}

export interface SseEvent {
  event: string;
  data: string;
}

/** An open server-sent-event stream, read as it arrives. */
export class SseClient {
  readonly events: SseEvent[] = [];
  ended = false;
  status = 0;
  headers: IncomingMessage['headers'] = {};
  private buffer = '';
  private waiters: Array<() => void> = [];
  private readonly req;

  constructor(url: string) {
    this.req = httpRequest(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.buffer += chunk;
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) !== -1) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data !== undefined) this.events.push({ event, data });
        }
        this.wake();
      });
      res.on('end', () => {
        this.ended = true;
        this.wake();
      });
    });
    this.req.on('error', () => {
      this.ended = true;
      this.wake();
    });
    this.req.end();
  }

  /** Resolves when a status event satisfies the test, or rejects after timeoutMs. */
  async waitFor(test: (state: any) => boolean, timeoutMs = 5_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.map((e) => JSON.parse(e.data)).find(test);
      if (hit) return hit;
      if (Date.now() > deadline)
        throw new Error(`no such event within ${timeoutMs} ms: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitForEnd(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.req.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
