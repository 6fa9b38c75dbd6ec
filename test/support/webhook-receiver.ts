import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  json: { id: string; type: string; createdAt: string; data: unknown };
}

/** What to answer the nth request (0-based): a status and body, or 'hang' to hold the request open. */
export type Responder = (n: number, received: ReceivedWebhook) => { status: number; body?: string } | 'hang';

/** An order system's webhook endpoint: a real HTTP server on a loopback port that records what it gets. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly held: ServerResponse[] = [];
  private server: Server;
  url = '';

  constructor(private respond: Responder = () => ({ status: 200, body: 'ok' })) {}

  static async start(respond?: Responder): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(respond);
    await receiver.listen();
    return receiver;
  }

  answerWith(respond: Responder): void {
    this.respond = respond;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const received = { headers: req.headers, body, json: JSON.parse(body) };
        const n = this.received.length;
        this.received.push(received);
        const answer = this.respond(n, received);
        if (answer === 'hang') {
          this.held.push(res);
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  }

  /** Messages received with this webhook-id (every attempt of one event). */
  withId(id: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.headers['webhook-id'] === id);
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls until the check returns a truthy value; fails with the description after the time limit. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
