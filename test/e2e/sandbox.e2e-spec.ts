import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { once } from 'node:events';
import request from 'supertest';
import { crc16CcittFalse } from '../../src/modules/qr-orders/napas-payload.js';
import { SandboxController } from '../../src/modules/sandbox/sandbox.controller.js';
import { SandboxState } from '../../src/modules/sandbox/sandbox-state.js';
import { PARTNER_PASSWORD, PARTNER_USERNAME, startTestApp, TestApp } from '../support/test-app.js';

interface Received {
  path: string;
  authorization: string | undefined;
  body: any;
}

/** A partner (our transaction-sync, as VietQR sees it) that records calls and answers as told. */
class FakePartner {
  readonly received: Received[] = [];
  syncAnswer: { status: number; body: unknown } = {
    status: 200,
    body: { error: false, errorReason: '000', toastMessage: '', object: { reftransactionid: 'ref-1' } },
  };
  private server: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/partner`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  async waitFor(count: number): Promise<void> {
    while (this.received.length < count) await new Promise((r) => setTimeout(r, 50));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const path = (req.url ?? '').replace('/partner', '');
    this.received.push({
      path,
      authorization: req.headers.authorization,
      body: text ? JSON.parse(text) : null,
    });
    res.setHeader('content-type', 'application/json');
    if (path === '/api/token_generate') {
      res.end(JSON.stringify({ access_token: 'partner-token-1', token_type: 'Bearer', expires_in: 300 }));
      return;
    }
    res.statusCode = this.syncAnswer.status;
    res.end(
      typeof this.syncAnswer.body === 'string' ? this.syncAnswer.body : JSON.stringify(this.syncAnswer.body),
    );
  }
}

const MERCHANT = 'sandbox-merchant';
const BASIC = `Basic ${Buffer.from(`${MERCHANT}:sandbox-merchant-password-0123456789`).toString('base64')}`;
const ACCOUNT = '0123456789';

function orderId(): string {
  return `S${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
}

describe(SandboxController.name, () => {
  const partner = new FakePartner();
  let t: TestApp;
  let bearer: string;

  beforeAll(async () => {
    await partner.start();
    t = await startTestApp({ SANDBOX_PARTNER_URL: partner.url });
    const token = await request(t.url)
      .post('/sandbox/vqr/api/token_generate')
      .set('authorization', BASIC)
      .expect(200);
    bearer = `Bearer ${token.body.access_token}`;
  });
  afterAll(async () => {
    await t.close();
    await partner.stop();
  });

  beforeEach(() => {
    partner.received.length = 0;
  });

  function generate(body: Record<string, unknown>) {
    return request(t.url)
      .post('/sandbox/vqr/api/qr/generate-customer')
      .set('authorization', bearer)
      .send(body);
  }

  function dynamicQr(overrides: Record<string, unknown> = {}) {
    const id = orderId();
    return {
      bankCode: 'MB',
      bankAccount: ACCOUNT,
      userBankName: 'Nguyen Van A',
      content: id,
      qrType: 0,
      amount: 150000,
      orderId: id,
      transType: 'C',
      ...overrides,
    };
  }

  describe('token_generate', () => {
    it('issues a 300 s Bearer JWT for the merchant credentials', async () => {
      const res = await request(t.url)
        .post('/sandbox/vqr/api/token_generate')
        .set('authorization', BASIC)
        .expect(200);
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 300 });
      const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({
        authorities: ['ROLE_USER'],
        user: Buffer.from(MERCHANT).toString('base64'),
      });
      expect(claims.exp - claims.iat).toBe(300);
    });

    it('answers 401 to wrong or missing Basic credentials', async () => {
      const wrong = `Basic ${Buffer.from(`${MERCHANT}:nope`).toString('base64')}`;
      const res = await request(t.url)
        .post('/sandbox/vqr/api/token_generate')
        .set('authorization', wrong)
        .expect(401);
      expect(res.body).toMatchObject({ status: 401, error: 'Unauthorized' });
      await request(t.url).post('/sandbox/vqr/api/token_generate').expect(401);
    });
  });

  describe('generate-customer', () => {
    it('answers 403 without a Bearer token, with a bad one, and with an expired one', async () => {
      await request(t.url).post('/sandbox/vqr/api/qr/generate-customer').send(dynamicQr()).expect(403);
      await request(t.url)
        .post('/sandbox/vqr/api/qr/generate-customer')
        .set('authorization', 'Bearer not-a-token')
        .send(dynamicQr())
        .expect(403);
      const token = await request(t.url).post('/sandbox/vqr/api/token_generate').set('authorization', BASIC);
      t.app.get(SandboxState).expireTokens();
      await request(t.url)
        .post('/sandbox/vqr/api/qr/generate-customer')
        .set('authorization', `Bearer ${token.body.access_token}`)
        .send(dynamicQr())
        .expect(403);
      const fresh = await request(t.url).post('/sandbox/vqr/api/token_generate').set('authorization', BASIC);
      bearer = `Bearer ${fresh.body.access_token}`;
    });

    it('puts a VQR trace id in front of the content and returns a valid NAPAS payload with every field', async () => {
      const body = dynamicQr({ sign: 'sig-1', urlLink: 'https://shop.example.com/o/1' });
      const res = await generate(body).expect(200);
      expect(res.body).toEqual({
        bankCode: 'MB',
        bankName: 'Ngân hàng TMCP Quân đội',
        bankAccount: ACCOUNT,
        userBankName: 'NGUYEN VAN A',
        amount: '150000',
        content: expect.stringMatching(new RegExp(`^VQR[0-9a-f]{10} ${body.content}$`)),
        qrCode: expect.any(String),
        imgId: expect.any(String),
        existing: 1,
        transactionId: '',
        transactionRefId: expect.any(String),
        qrLink: `https://vietqr.vn/qr/security?publicRefId=${res.body.transactionRefId}`,
        terminalCode: null,
        subTerminalCode: '',
        serviceCode: '',
        orderId: body.orderId,
        additionalData: [],
      });
      const qr: string = res.body.qrCode;
      expect(qr.startsWith('000201010211')).toBe(true);
      expect(qr).toContain('0010A000000727');
      expect(qr).toContain('0006970422');
      expect(qr).toContain(`${String(res.body.content.length).padStart(2, '0')}${res.body.content}`);
      expect(qr.slice(-4)).toBe(crc16CcittFalse(qr.slice(0, -4)));
    });

    it.each([
      ['an unknown qrType', { qrType: 7 }, 'E46'],
      ['a dynamic QR without amount', { amount: undefined }, 'E46'],
      ['a dynamic QR without orderId', { orderId: undefined }, 'E46'],
      ['a missing bankAccount', { bankAccount: undefined }, 'E46'],
      ['an unknown bank', { bankCode: 'NOBANK' }, 'E24'],
      ['MB content over 19 characters', { content: 'A'.repeat(20) }, 'E34'],
      ['an MB orderId over 13 characters', { orderId: 'A'.repeat(14) }, 'E34'],
      ['content over 50 characters elsewhere', { bankCode: 'VCB', content: 'A'.repeat(51) }, 'E26'],
    ])('refuses %s with %s', async (_what, overrides, code) => {
      const res = await generate(dynamicQr(overrides)).expect(400);
      expect(res.body).toEqual({ status: 'FAILED', message: code });
    });

    it('accepts a 6-digit BIN as bankCode', async () => {
      const res = await generate(dynamicQr({ bankCode: '970436' })).expect(200);
      expect(res.body.bankCode).toBe('VCB');
    });

    it('answers E46 to a body that is not JSON', async () => {
      const res = await request(t.url)
        .post('/sandbox/vqr/api/qr/generate-customer')
        .set('authorization', bearer)
        .set('content-type', 'application/json')
        .send('{nope')
        .expect(400);
      expect(res.body).toEqual({ status: 'FAILED', message: 'E46' });
    });
  });

  describe('test/transaction-callback', () => {
    it("gets the partner's token with Basic, then posts VietQR's lower-case body with that Bearer", async () => {
      const qr = (
        await generate(dynamicQr({ sign: 'sig-2', urlLink: 'https://shop.example.com/o/2' })).expect(200)
      ).body;
      const res = await request(t.url)
        .post('/sandbox/vqr/bank/api/test/transaction-callback')
        .set('authorization', bearer)
        .send({ bankAccount: ACCOUNT, content: qr.content, amount: 150000, transType: 'C', bankCode: 'MB' })
        .expect(200);
      expect(res.body).toEqual({ status: 'SUCCESS', message: '' });

      const basic = `Basic ${Buffer.from(`${PARTNER_USERNAME}:${PARTNER_PASSWORD}`).toString('base64')}`;
      expect(partner.received.map((r) => [r.path, r.authorization])).toEqual([
        ['/api/token_generate', basic],
        ['/bank/api/transaction-sync', 'Bearer partner-token-1'],
      ]);
      expect(partner.received[0].body).toEqual({});
      const sync = partner.received[1].body;
      expect(Object.keys(sync).sort()).toEqual(
        [
          'amount',
          'bankaccount',
          'content',
          'orderId',
          'referencenumber',
          'serviceCode',
          'sign',
          'subTerminalCode',
          'terminalCode',
          'transType',
          'transactionid',
          'transactiontime',
          'urlLink',
        ].sort(),
      );
      expect(sync).toEqual({
        transactionid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        transactiontime: expect.any(Number),
        referencenumber: `${MERCHANT}-${sync.transactionid}`,
        amount: 150000,
        content: qr.content,
        bankaccount: ACCOUNT,
        transType: 'C',
        orderId: qr.orderId,
        sign: 'sig-2',
        terminalCode: '',
        subTerminalCode: '',
        serviceCode: '',
        urlLink: 'https://shop.example.com/o/2',
      });
      expect(sync.transactiontime).toBeGreaterThan(1_700_000_000_000);
    });

    it('sends orderId "" when the content carries no known trace id or the amount differs', async () => {
      const qr = (await generate(dynamicQr()).expect(200)).body;
      await request(t.url)
        .post('/sandbox/vqr/bank/api/test/transaction-callback')
        .set('authorization', bearer)
        .send({ bankAccount: ACCOUNT, content: qr.content, amount: 149999, transType: 'C', bankCode: 'MB' })
        .expect(200);
      await request(t.url)
        .post('/sandbox/vqr/bank/api/test/transaction-callback')
        .set('authorization', bearer)
        .send({ bankAccount: ACCOUNT, content: 'CHUYEN TIEN', amount: 1000, transType: 'C', bankCode: 'MB' })
        .expect(200);
      const syncs = partner.received
        .filter((r) => r.path === '/bank/api/transaction-sync')
        .map((r) => r.body);
      expect(syncs.map((s) => [s.orderId, s.sign, s.amount])).toEqual([
        ['', '', 149999],
        ['', '', 1000],
      ]);
    });

    it("matches a trace id the payer's bank split in two", async () => {
      const qr = (await generate(dynamicQr()).expect(200)).body;
      const trace: string = qr.content.split(' ')[0];
      const mangled = `QR ${trace.slice(0, 8)} ${trace.slice(8)} ${qr.orderId} Ma giao dich 123`;
      await request(t.url)
        .post('/sandbox/vqr/bank/api/test/transaction-callback')
        .set('authorization', bearer)
        .send({ bankAccount: ACCOUNT, content: mangled, amount: 150000, transType: 'C', bankCode: 'MB' })
        .expect(200);
      expect(partner.received[1].body).toMatchObject({ orderId: qr.orderId, content: mangled });
    });

    it("answers FAILED E05 with the partner's body when the partner refuses", async () => {
      const qr = (await generate(dynamicQr()).expect(200)).body;
      partner.syncAnswer = {
        status: 401,
        body: { error: true, errorReason: 'E401', toastMessage: 'no', object: null },
      };
      try {
        const res = await request(t.url)
          .post('/sandbox/vqr/bank/api/test/transaction-callback')
          .set('authorization', bearer)
          .send({ bankAccount: ACCOUNT, content: qr.content, amount: 150000, transType: 'C', bankCode: 'MB' })
          .expect(400);
        expect(res.body).toEqual({
          status: 'FAILED',
          message: 'E05 - {"error":true,"errorReason":"E401","toastMessage":"no","object":null}',
        });
      } finally {
        partner.syncAnswer = {
          status: 200,
          body: { error: false, errorReason: '000', toastMessage: '', object: { reftransactionid: 'ref-1' } },
        };
      }
    });

    it('refuses an account that is not the merchant’s with E77, and a bad body with E46', async () => {
      const other = await request(t.url)
        .post('/sandbox/vqr/bank/api/test/transaction-callback')
        .set('authorization', bearer)
        .send({ bankAccount: '999999999', content: 'X', amount: 1000, transType: 'C', bankCode: 'MB' })
        .expect(400);
      expect(other.body).toEqual({ status: 'FAILED', message: 'E77' });
      const bad = await request(t.url)
        .post('/sandbox/vqr/bank/api/test/transaction-callback')
        .set('authorization', bearer)
        .send({ bankAccount: ACCOUNT, content: 'X', amount: 'lots', transType: 'C' })
        .expect(400);
      expect(bad.body).toEqual({ status: 'FAILED', message: 'E46' });
    });
  });

  describe('check-order', () => {
    const checkSum = createHash('md5')
      .update(ACCOUNT + MERCHANT)
      .digest('hex');

    it('shows a generated QR as pending, and paid after the callback', async () => {
      const qr = (await generate(dynamicQr()).expect(200)).body;
      const pending = await request(t.url)
        .post('/sandbox/vqr/api/transactions/check-order')
        .set('authorization', bearer)
        .send({ bankAccount: ACCOUNT, type: 0, value: qr.orderId, checkSum })
        .expect(200);
      expect(pending.body).toEqual([
        expect.objectContaining({ orderId: qr.orderId, status: 0, referenceNumber: '', amount: 150000 }),
      ]);
      await request(t.url)
        .post('/sandbox/vqr/bank/api/test/transaction-callback')
        .set('authorization', bearer)
        .send({ bankAccount: ACCOUNT, content: qr.content, amount: 150000, transType: 'C', bankCode: 'MB' })
        .expect(200);
      const paid = await request(t.url)
        .post('/sandbox/vqr/api/transactions/check-order')
        .set('authorization', bearer)
        .send({ bankAccount: ACCOUNT, type: 0, value: qr.orderId, checkSum })
        .expect(200);
      expect(paid.body).toEqual([
        {
          referenceNumber: partner.received[1].body.referencenumber,
          orderId: qr.orderId,
          amount: 150000,
          content: qr.content,
          transType: 'C',
          status: 1,
          type: 0,
          timeCreated: expect.any(Number),
          timePaid: expect.any(Number),
          terminalCode: '',
          note: '',
          refundCount: 0,
          amountRefunded: 0,
        },
      ]);
    });

    it.each([
      ['a wrong checksum', { checkSum: 'abc' }, 'E39'],
      ['an unknown type', { type: 5 }, 'E95'],
      ['an unknown order', { value: 'NOSUCHORDER' }, 'E96'],
      ['a missing value', { value: undefined }, 'E46'],
    ])('refuses %s with %s', async (_what, overrides, code) => {
      const res = await request(t.url)
        .post('/sandbox/vqr/api/transactions/check-order')
        .set('authorization', bearer)
        .send({ bankAccount: ACCOUNT, type: 0, value: 'X', checkSum, ...overrides })
        .expect(400);
      expect(res.body).toEqual({ status: 'FAILED', message: code });
    });
  });

  it('documents every emulator route in Swagger under the sandbox tag', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body;
    const sandboxPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/sandbox/vqr'));
    expect(sandboxPaths.sort()).toEqual([
      '/sandbox/vqr/api/qr/generate-customer',
      '/sandbox/vqr/api/token_generate',
      '/sandbox/vqr/api/transaction/refund',
      '/sandbox/vqr/api/transactions/check-order',
      '/sandbox/vqr/bank/api/test/transaction-callback',
    ]);
    for (const path of sandboxPaths) expect(doc.paths[path].post.tags).toEqual(['sandbox']);
  });
});

describe(`${SandboxController.name} with production's retry schedule`, () => {
  const partner = new FakePartner();
  let t: TestApp;

  beforeAll(async () => {
    await partner.start();
    t = await startTestApp({ SANDBOX_PARTNER_URL: partner.url, SANDBOX_RETRY_SCHEDULE: 'true' });
  });
  afterAll(async () => {
    await t.close();
    await partner.stop();
  });

  it('re-sends a failed delivery in the background with a fresh token each time, until it is accepted', async () => {
    const token = await request(t.url).post('/sandbox/vqr/api/token_generate').set('authorization', BASIC);
    const bearer = `Bearer ${token.body.access_token}`;
    const id = orderId();
    const qr = (
      await request(t.url)
        .post('/sandbox/vqr/api/qr/generate-customer')
        .set('authorization', bearer)
        .send({
          bankCode: 'MB',
          bankAccount: ACCOUNT,
          userBankName: 'A',
          content: id,
          amount: 1000,
          orderId: id,
        })
        .expect(200)
    ).body;
    partner.syncAnswer = { status: 503, body: 'busy' };
    const res = await request(t.url)
      .post('/sandbox/vqr/bank/api/test/transaction-callback')
      .set('authorization', bearer)
      .send({ bankAccount: ACCOUNT, content: qr.content, amount: 1000, transType: 'C', bankCode: 'MB' })
      .expect(400);
    expect(res.body).toEqual({ status: 'FAILED', message: 'E05 - busy' });
    partner.syncAnswer = {
      status: 200,
      body: { error: false, errorReason: '000', toastMessage: '', object: { reftransactionid: 'r' } },
    };
    await partner.waitFor(4);
    expect(partner.received.map((r) => r.path)).toEqual([
      '/api/token_generate',
      '/bank/api/transaction-sync',
      '/api/token_generate',
      '/bank/api/transaction-sync',
    ]);
    // The same transaction both times.
    expect(partner.received[3].body).toEqual(partner.received[1].body);
  });
});
