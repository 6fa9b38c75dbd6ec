import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

interface PaidItem {
  referenceNumber: string;
  orderId: string;
  amount: number;
  content: string;
  transType: 'C';
  status: 1;
  type: 0;
  timeCreated: number;
  timePaid: number;
  terminalCode: string;
  note: string;
}

/**
 * VietQR's merchant API as far as scheduled reconciliation needs it (token, generate-customer, check-order),
 * on a loopback port: it records every check-order call, knows which orders were paid (whose callback the
 * test never delivers), and can fail calls like an outage.
 */
export class FakeVietQr {
  readonly checkOrders: Array<{ orderId: string; at: number; failed: boolean }> = [];
  private readonly contents = new Map<string, { content: string; amount: number }>();
  private readonly paid = new Map<string, PaidItem[]>();
  private failing = 0;
  private server: Server;
  url = '';

  static async start(): Promise<FakeVietQr> {
    const fake = new FakeVietQr();
    fake.server = createServer((req, res) => fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const address = fake.server.address();
    fake.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/vqr`;
    return fake;
  }

  /** VietQR records the buyer's transfer to the order's QR; no callback is sent. */
  markPaid(orderId: string): PaidItem {
    const qr = this.contents.get(orderId);
    if (!qr) throw new Error(`no QR was generated for ${orderId}`);
    const now = Math.floor(Date.now() / 1000);
    const item: PaidItem = {
      referenceNumber: `FT${randomBytes(7).toString('hex').toUpperCase()}`,
      orderId,
      amount: qr.amount,
      content: qr.content,
      transType: 'C',
      status: 1,
      type: 0,
      timeCreated: now,
      timePaid: now,
      terminalCode: '',
      note: '',
    };
    this.paid.set(orderId, [...(this.paid.get(orderId) ?? []), item]);
    return item;
  }

  /** The next n check-order calls answer 503, as VietQR does during maintenance. */
  failNext(n: number): void {
    this.failing = n;
  }

  callsFor(orderId: string): Array<{ at: number; failed: boolean }> {
    return this.checkOrders.filter((c) => c.orderId === orderId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      switch (req.url) {
        case '/vqr/api/token_generate':
          return send(200, { access_token: 'fake-token', token_type: 'Bearer', expires_in: 300 });
        case '/vqr/api/qr/generate-customer': {
          const content = `VQR${randomBytes(5).toString('hex')} ${String(body.content)}`;
          this.contents.set(String(body.orderId), { content, amount: Number(body.amount) });
          return send(200, {
            bankCode: body.bankCode,
            bankName: 'Fake bank',
            bankAccount: body.bankAccount,
            userBankName: String(body.userBankName).toUpperCase(),
            amount: String(body.amount),
            content,
            qrCode: `000201fake${content}`,
            imgId: '',
            existing: 1,
            transactionId: '',
            transactionRefId: randomBytes(8).toString('hex'),
            qrLink: '',
            terminalCode: null,
            subTerminalCode: '',
            serviceCode: '',
            orderId: body.orderId,
            additionalData: [],
          });
        }
        case '/vqr/api/transactions/check-order': {
          const orderId = String(body.value);
          const failed = this.failing > 0;
          this.checkOrders.push({ orderId, at: Date.now(), failed });
          if (failed) {
            this.failing--;
            return send(503, { status: 'FAILED', message: 'Service unavailable' });
          }
          const items = this.paid.get(orderId);
          return items ? send(200, items) : send(400, { status: 'FAILED', message: 'E96' });
        }
        default:
          return send(404, { status: 'FAILED', message: 'E05' });
      }
    });
  }
}
