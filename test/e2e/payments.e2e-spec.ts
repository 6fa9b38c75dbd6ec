import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../../src/modules/auth/api-keys/api-keys.service.js';
import type { IncomingCredit } from '../../src/modules/payments/incoming-credit.js';
import { PaymentsController } from '../../src/modules/payments/payments.controller.js';
import { applyCredit, createPayment, incomingCredit, makeDue, randomOrderId } from '../support/payments.js';
import { OTHER_API_KEY, startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';

describe(PaymentsController.name, () => {
  let t: TestApp;
  let db: DataSource;
  const api = () => request(t.url);
  const credit = (c: IncomingCredit) => applyCredit(t.app, c);

  beforeAll(async () => {
    t = await startTestApp({ PAYMENT_SWEEP_INTERVAL_MS: '200' });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /api/v1/payments', () => {
    it('creates a payment with its QR, bank account and the metadata as given', async () => {
      const orderId = randomOrderId();
      const metadata = { customer: { id: 'C-42', tags: ['vip'] }, channel: 'web', n: 1.5 };
      const before = Date.now();
      const res = await api()
        .post('/api/v1/payments')
        .set('x-api-key', TEST_API_KEY)
        .send({ orderId, amount: 150_000, description: 'Order 42', metadata })
        .expect(201);
      const p = res.body;
      expect(p).toMatchObject({
        orderId,
        amount: 150_000,
        currency: 'VND',
        status: 'PENDING',
        amountPaid: 0,
        amountRemaining: 150_000,
        description: 'Order 42',
        bank: { bankCode: 'MB', bankAccount: '0123456789', accountName: 'NGUYEN VAN A' },
        metadata,
      });
      expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(p.code).toMatch(/^PAY[A-Z0-9]{10}$/);
      // The default provider is VietQR (here our emulator): it prefixes its trace id to our code.
      expect(p.qr).toEqual({
        content: expect.stringMatching(new RegExp(`^VQR[0-9a-f]{10} ${p.code}$`)),
        qrCode: expect.stringMatching(/^000201/),
        qrLink: expect.stringMatching(/^https:\/\/vietqr\.vn\/qr\/security\?publicRefId=./),
        imageUrl: `${t.url}/api/v1/payments/${p.id}/qr.png`,
      });
      expect(p.qr.qrCode).toContain(p.qr.content);
      const lifetime = Date.parse(p.expiresAt) - before;
      expect(lifetime).toBeGreaterThan(890_000);
      expect(lifetime).toBeLessThan(910_000);
      expect(Object.keys(p)).toEqual([
        'id',
        'orderId',
        'amount',
        'currency',
        'status',
        'amountPaid',
        'amountRemaining',
        'amountRefunded',
        'refundStatus',
        'description',
        'code',
        'qr',
        'bank',
        'checkoutUrl',
        'returnUrl',
        'cancelUrl',
        'locale',
        'deeplinks',
        'expiresAt',
        'createdAt',
        'updatedAt',
        'metadata',
      ]);
    });

    it('builds the QR itself with QR_PROVIDER=local: the content is our code and there is no qrLink', async () => {
      const local = await startTestApp({ QR_PROVIDER: 'local' });
      try {
        const p = await createPayment(local, { amount: 150_000 });
        expect(p.qr).toEqual({
          content: p.code,
          qrCode: expect.stringMatching(/^000201/),
          qrLink: null,
          imageUrl: `${local.url}/api/v1/payments/${p.id}/qr.png`,
        });
        expect(p.qr.qrCode).toContain(p.code);
      } finally {
        await local.close();
      }
    });

    it('takes expiresInSeconds and leaves description and metadata null when not given', async () => {
      const p = await createPayment(t, { expiresInSeconds: 60 });
      expect(p).toMatchObject({ description: null, metadata: null });
      expect(Date.parse(p.expiresAt) - Date.parse(p.createdAt)).toBe(60_000);
    });

    it('answers 409 naming the existing payment for a second payment of the same order', async () => {
      const first = await createPayment(t);
      const res = await api()
        .post('/api/v1/payments')
        .set('x-api-key', TEST_API_KEY)
        .send({ orderId: first.orderId, amount: 100_000 })
        .expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE_ORDER_ID', details: { paymentId: first.id } });
      expect(res.body.message).toContain(first.id);
    });

    it('lets two clients use the same orderId', async () => {
      const orderId = randomOrderId();
      const mine = await createPayment(t, { orderId });
      const theirs = await createPayment(t, { orderId }, OTHER_API_KEY);
      expect(theirs.id).not.toBe(mine.id);
    });

    it.each([
      ['orderId', 'missing', { orderId: undefined }],
      ['orderId', 'empty', { orderId: '' }],
      ['orderId', '65 characters', { orderId: 'x'.repeat(65) }],
      ['orderId', 'a number', { orderId: 42 }],
      ['orderId', 'a control character', { orderId: 'bad\nid' }],
      ['amount', 'missing', { amount: undefined }],
      ['amount', '0', { amount: 0 }],
      ['amount', '10^12', { amount: 1_000_000_000_000 }],
      ['amount', 'a fraction', { amount: 10.5 }],
      ['amount', 'a string', { amount: '100000' }],
      ['description', '101 characters', { description: 'd'.repeat(101) }],
      ['description', 'a number', { description: 7 }],
      ['expiresInSeconds', '59', { expiresInSeconds: 59 }],
      ['expiresInSeconds', '86401', { expiresInSeconds: 86_401 }],
      ['expiresInSeconds', 'a fraction', { expiresInSeconds: 120.5 }],
      ['metadata', 'an array', { metadata: [1, 2] }],
      ['metadata', 'a string', { metadata: 'text' }],
      ['metadata', 'over 4 KB', { metadata: { blob: 'x'.repeat(4100) } }],
      ['orderId', 'null', { orderId: null }],
      ['amount', 'null', { amount: null }],
      ['currency', 'an unknown field', { currency: 'USD' }],
    ])('answers 400 naming %s when it is %s', async (field, _label, change) => {
      const body: Record<string, unknown> = { orderId: randomOrderId(), amount: 100_000, ...change };
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      const res = await api().post('/api/v1/payments').set('x-api-key', TEST_API_KEY).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toContain(field);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    });

    it('accepts the boundaries of every field', async () => {
      await createPayment(t, {
        orderId: 'o'.repeat(60) + randomUUID().slice(0, 4),
        amount: 999_999_999_999,
        description: 'd'.repeat(100),
        expiresInSeconds: 86_400,
        metadata: { blob: 'x'.repeat(4000) },
      });
      await createPayment(t, {
        amount: 1,
        expiresInSeconds: 60,
        orderId: randomUUID().slice(0, 1) + randomUUID(),
      });
    });

    it('answers 400 for a body that is not a JSON object', async () => {
      for (const body of ['[]', '"text"', '12']) {
        const res = await api()
          .post('/api/v1/payments')
          .set('x-api-key', TEST_API_KEY)
          .set('content-type', 'application/json')
          .send(body);
        expect([res.status, res.body.code]).toEqual([
          400,
          expect.stringMatching(/VALIDATION_FAILED|MALFORMED_BODY/),
        ]);
      }
    });

    it('answers 401 without an API key or with an unknown one', async () => {
      const body = { orderId: randomOrderId(), amount: 1_000 };
      const none = await api().post('/api/v1/payments').send(body).expect(401);
      expect(none.body.code).toBe('UNAUTHORIZED');
      await api()
        .post('/api/v1/payments')
        .set('x-api-key', 'no-such-key-000000000000')
        .send(body)
        .expect(401);
      await api().get('/api/v1/payments').expect(401);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same key and body', async () => {
      const key = randomUUID();
      const body = { orderId: randomOrderId(), amount: 55_000, metadata: { b: 1, a: 2 } };
      const post = () =>
        api().post('/api/v1/payments').set('x-api-key', TEST_API_KEY).set('idempotency-key', key).send(body);
      const first = await post().expect(201);
      const again = await post().expect(201);
      expect(again.text).toBe(first.text);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
    });

    it('answers 422 for the same key with another body', async () => {
      const key = randomUUID();
      const orderId = randomOrderId();
      const post = (amount: number) =>
        api()
          .post('/api/v1/payments')
          .set('x-api-key', TEST_API_KEY)
          .set('idempotency-key', key)
          .send({ orderId, amount });
      await post(10_000).expect(201);
      const res = await post(20_000).expect(422);
      expect(res.body.code).toBe('IDEMPOTENCY_KEY_MISMATCH');
    });

    it('keeps keys per client', async () => {
      const key = randomUUID();
      const a = await api()
        .post('/api/v1/payments')
        .set('x-api-key', TEST_API_KEY)
        .set('idempotency-key', key)
        .send({ orderId: randomOrderId(), amount: 1_000 })
        .expect(201);
      const b = await api()
        .post('/api/v1/payments')
        .set('x-api-key', OTHER_API_KEY)
        .set('idempotency-key', key)
        .send({ orderId: randomOrderId(), amount: 1_000 })
        .expect(201);
      expect(b.body.id).not.toBe(a.body.id);
    });

    it('creates one payment for 20 concurrent requests with one key', async () => {
      const key = randomUUID();
      const body = { orderId: randomOrderId(), amount: 77_000 };
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          api()
            .post('/api/v1/payments')
            .set('x-api-key', TEST_API_KEY)
            .set('idempotency-key', key)
            .send(body),
        ),
      );
      const created = responses.filter((r) => r.status === 201);
      const others = responses.filter((r) => r.status !== 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      for (const r of others) expect([r.status, r.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_IN_FLIGHT']);
      const list = await api()
        .get('/api/v1/payments')
        .query({ orderId: body.orderId })
        .set('x-api-key', TEST_API_KEY)
        .expect(200);
      expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([created[0].body.id]);
      const replay = await api()
        .post('/api/v1/payments')
        .set('x-api-key', TEST_API_KEY)
        .set('idempotency-key', key)
        .send(body)
        .expect(201);
      expect(replay.body).toEqual(created[0].body);
    });

    it('answers 400 for a key longer than 255 characters', async () => {
      const res = await api()
        .post('/api/v1/payments')
        .set('x-api-key', TEST_API_KEY)
        .set('idempotency-key', 'k'.repeat(256))
        .send({ orderId: randomOrderId(), amount: 1_000 })
        .expect(400);
      expect(res.body.message).toContain('Idempotency-Key');
    });
  });

  describe('GET /api/v1/payments/:id', () => {
    it('answers the payment with its transactions and history', async () => {
      const p = await createPayment(t, { amount: 100_000 });
      await credit(
        incomingCredit({ amount: 30_000, orderId: p.code, content: `QR ${p.code} Ma giao dich 1` }),
      );
      const res = await api().get(`/api/v1/payments/${p.id}`).set('x-api-key', TEST_API_KEY).expect(200);
      expect(res.body).toMatchObject({
        id: p.id,
        status: 'PARTIALLY_PAID',
        amountPaid: 30_000,
        amountRemaining: 70_000,
        qr: p.qr,
        transactions: [
          {
            id: expect.any(String),
            reference: expect.any(String),
            amount: 30_000,
            content: `QR ${p.code} Ma giao dich 1`,
            bankAccount: '0123456789',
            late: false,
            linkedBy: 'vietqr',
          },
        ],
        history: [
          { fromStatus: null, toStatus: 'PENDING', actor: 'client:orders', reason: 'created' },
          { fromStatus: 'PENDING', toStatus: 'PARTIALLY_PAID', actor: 'vietqr', amountPaid: 30_000 },
        ],
      });
    });

    it("answers 404 for another client's payment and for ids that are not ours", async () => {
      const p = await createPayment(t);
      const res = await api().get(`/api/v1/payments/${p.id}`).set('x-api-key', OTHER_API_KEY).expect(404);
      expect(res.body.code).toBe('PAYMENT_NOT_FOUND');
      await api().get(`/api/v1/payments/${randomUUID()}`).set('x-api-key', TEST_API_KEY).expect(404);
      await api().get('/api/v1/payments/not-a-uuid').set('x-api-key', TEST_API_KEY).expect(404);
      await api()
        .post(`/api/v1/payments/${p.id}/cancel`)
        .set('x-api-key', OTHER_API_KEY)
        .send({})
        .expect(404);
    });
  });

  describe('GET /api/v1/payments', () => {
    it('pages through a client’s payments newest first with an opaque cursor, and filters', async () => {
      // A client of its own, so the other tests' payments do not appear.
      const { key } = await t.app.get(ApiKeysService).create(`list-${Date.now()}`);
      const made: any[] = [];
      for (let i = 0; i < 5; i++) made.push(await createPayment(t, { amount: 1_000 + i }, key));
      const newestFirst = made.map((p) => p.id).reverse();

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: request.Response = await api()
          .get('/api/v1/payments')
          .query(cursor ? { limit: 2, cursor } : { limit: 2 })
          .set('x-api-key', key)
          .expect(200);
        seen.push(...res.body.data.map((p: { id: string }) => p.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(newestFirst);
      expect(pages).toBe(3);

      await credit(incomingCredit({ amount: 1_002, orderId: made[2].code }));
      const paid = await api()
        .get('/api/v1/payments')
        .query({ status: 'PAID' })
        .set('x-api-key', key)
        .expect(200);
      expect(paid.body).toEqual({
        data: [expect.objectContaining({ id: made[2].id, status: 'PAID' })],
        nextCursor: null,
      });

      const byOrder = await api()
        .get('/api/v1/payments')
        .query({ orderId: made[1].orderId })
        .set('x-api-key', key)
        .expect(200);
      expect(byOrder.body.data.map((p: { id: string }) => p.id)).toEqual([made[1].id]);

      const window = await api()
        .get('/api/v1/payments')
        .query({ createdFrom: made[1].createdAt, createdTo: made[3].createdAt })
        .set('x-api-key', key)
        .expect(200);
      expect(window.body.data.map((p: { id: string }) => p.id)).toEqual([made[2].id, made[1].id]);

      const none = await api().get('/api/v1/payments').set('x-api-key', OTHER_API_KEY).expect(200);
      expect(none.body.data.some((p: { id: string }) => made.some((m) => m.id === p.id))).toBe(false);
    });

    it.each([
      ['status', { status: 'DONE' }],
      ['limit', { limit: 0 }],
      ['limit', { limit: 101 }],
      ['limit', { limit: 'many' }],
      ['createdFrom', { createdFrom: 'yesterday' }],
      ['createdTo', { createdTo: '2025-13-45' }],
      ['cursor', { cursor: 'not a cursor!' }],
      ['cursor', { cursor: 'bm90LWEtdXVpZA' }],
    ])('answers 400 naming %s for %j', async (field, query) => {
      const res = await api().get('/api/v1/payments').query(query).set('x-api-key', TEST_API_KEY).expect(400);
      expect(res.body.message).toContain(field);
    });
  });

  describe('POST /api/v1/payments/:id/cancel', () => {
    it('cancels with a reason, answers again unchanged, and keeps later money as late', async () => {
      const p = await createPayment(t);
      const res = await api()
        .post(`/api/v1/payments/${p.id}/cancel`)
        .set('x-api-key', TEST_API_KEY)
        .send({ reason: 'customer left' })
        .expect(200);
      expect(res.body).toMatchObject({ id: p.id, status: 'CANCELLED' });
      await api().post(`/api/v1/payments/${p.id}/cancel`).set('x-api-key', TEST_API_KEY).expect(200);

      expect(await credit(incomingCredit({ orderId: p.code }))).toMatchObject({ result: 'late' });
      const after = await api().get(`/api/v1/payments/${p.id}`).set('x-api-key', TEST_API_KEY).expect(200);
      expect(after.body).toMatchObject({
        status: 'CANCELLED',
        amountPaid: 0,
        transactions: [{ late: true }],
      });
      expect(after.body.history[1]).toMatchObject({
        fromStatus: 'PENDING',
        toStatus: 'CANCELLED',
        actor: 'client:orders',
        reason: 'customer left',
      });
    });

    it('answers 409 for a paid payment and 400 for a reason too long', async () => {
      const p = await createPayment(t, { amount: 10_000 });
      await credit(incomingCredit({ amount: 10_000, orderId: p.code }));
      const res = await api()
        .post(`/api/v1/payments/${p.id}/cancel`)
        .set('x-api-key', TEST_API_KEY)
        .expect(409);
      expect(res.body).toMatchObject({ code: 'PAYMENT_NOT_CANCELLABLE', details: { status: 'PAID' } });
      const bad = await api()
        .post(`/api/v1/payments/${p.id}/cancel`)
        .set('x-api-key', TEST_API_KEY)
        .send({ reason: 'r'.repeat(256) })
        .expect(400);
      expect(bad.body.message).toContain('reason');
    });
  });

  describe('lifecycle', () => {
    it('goes PENDING → PARTIALLY_PAID → PAID → OVERPAID as credits add up', async () => {
      const p = await createPayment(t, { amount: 100_000 });
      const status = async () =>
        (await api().get(`/api/v1/payments/${p.id}`).set('x-api-key', TEST_API_KEY).expect(200)).body;
      await credit(incomingCredit({ amount: 60_000, content: `chuyen tien ${p.code}` }));
      expect(await status()).toMatchObject({ status: 'PARTIALLY_PAID', amountPaid: 60_000 });
      await credit(incomingCredit({ amount: 40_000, content: p.code.split('').join('.') }));
      expect(await status()).toMatchObject({ status: 'PAID', amountPaid: 100_000, amountRemaining: 0 });
      await credit(incomingCredit({ amount: 1, orderId: p.code }));
      expect(await status()).toMatchObject({ status: 'OVERPAID', amountPaid: 100_001 });
    });

    it('is expired by the sweeper and not revived by a late payment', async () => {
      const p = await createPayment(t, { expiresInSeconds: 60 });
      await makeDue(db, p.id);
      let body: any;
      for (let i = 0; i < 100; i++) {
        body = (await api().get(`/api/v1/payments/${p.id}`).set('x-api-key', TEST_API_KEY).expect(200)).body;
        if (body.status !== 'PENDING') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(body).toMatchObject({ status: 'EXPIRED' });
      expect(body.history.at(-1)).toMatchObject({
        fromStatus: 'PENDING',
        toStatus: 'EXPIRED',
        actor: 'sweeper',
      });

      expect(await credit(incomingCredit({ amount: 100_000, orderId: p.code }))).toMatchObject({
        result: 'late',
      });
      const after = await api().get(`/api/v1/payments/${p.id}`).set('x-api-key', TEST_API_KEY).expect(200);
      expect(after.body).toMatchObject({ status: 'EXPIRED', amountPaid: 0, transactions: [{ late: true }] });
      await api().post(`/api/v1/payments/${p.id}/cancel`).set('x-api-key', TEST_API_KEY).expect(409);
    });
  });

  describe('GET /api/v1/payments/:id/qr.png and qr.svg', () => {
    it('renders the stored QR without an API key', async () => {
      const p = await createPayment(t);
      const png = await api().get(`/api/v1/payments/${p.id}/qr.png`).buffer(true).expect(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect((png.body as Buffer).subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      const svg = await api().get(`/api/v1/payments/${p.id}/qr.svg`).buffer(true).expect(200);
      expect(svg.headers['content-type']).toContain('image/svg+xml');
      expect(String(svg.body)).toContain('<svg');
    });

    it('answers 404 for an unknown payment and for a payment without QR', async () => {
      const res = await api().get(`/api/v1/payments/${randomUUID()}/qr.png`).expect(404);
      expect(res.body.code).toBe('PAYMENT_NOT_FOUND');
      const p = await createPayment(t);
      await db.query(`UPDATE payment SET qr_code = NULL WHERE id = $1`, [p.id]);
      const none = await api().get(`/api/v1/payments/${p.id}/qr.svg`).expect(404);
      expect(none.body.code).toBe('PAYMENT_QR_NOT_FOUND');
    });
  });

  describe('OpenAPI', () => {
    it('documents every payments route with the API-key scheme and its errors', async () => {
      const doc = (await api().get('/docs-json').expect(200)).body;
      const create = doc.paths['/api/v1/payments'].post;
      expect(create.security).toEqual([{ 'api-key': [] }]);
      expect(Object.keys(create.responses)).toEqual(
        expect.arrayContaining(['201', '400', '401', '409', '422', '502', '504']),
      );
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/payments',
          '/api/v1/payments/{id}',
          '/api/v1/payments/{id}/cancel',
          '/api/v1/payments/{id}/qr.png',
          '/api/v1/payments/{id}/qr.svg',
        ]),
      );
      expect(doc.components.schemas.PaymentDto.properties.amount.example).toBe(150000);
    });
  });
});
