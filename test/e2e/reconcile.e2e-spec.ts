import request from 'supertest';
import { ReconciliationController } from '../../src/modules/reconciliation/reconciliation.controller.js';
import { createPayment, randomOrderId } from '../support/payments.js';
import { OTHER_API_KEY, startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';

// Two instances on one database: `t` as configured by default, and `cut` whose emulator cannot reach our
// transaction-sync, so VietQR (the emulator) knows of a paid transfer that we never heard about.
describe(ReconciliationController.name, () => {
  let t: TestApp;
  let cut: TestApp;

  beforeAll(async () => {
    [t, cut] = await Promise.all([
      startTestApp(),
      startTestApp({ SANDBOX_PARTNER_URL: 'http://127.0.0.1:1/vqr' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), cut?.close()]);
  });

  const post = (app: TestApp, id: string, action: 'reconcile' | 'simulate', key = TEST_API_KEY) =>
    request(app.url).post(`/api/v1/payments/${id}/${action}`).set('X-API-Key', key).send({});
  const get = async (id: string) =>
    (await request(t.url).get(`/api/v1/payments/${id}`).set('X-API-Key', TEST_API_KEY).expect(200)).body;

  describe('POST /api/v1/payments/:id/reconcile', () => {
    it('records the transfer VietQR could not deliver, pays the payment, and counts it once', async () => {
      const payment = await createPayment(cut, { amount: 80_000 });
      const failed = await post(cut, payment.id, 'simulate').expect(502);
      expect(failed.body).toMatchObject({
        code: 'UPSTREAM_ERROR',
        details: { operation: 'test-callback', vietqrCode: 'E05' },
      });
      expect(await get(payment.id)).toMatchObject({ status: 'PENDING', amountPaid: 0, transactions: [] });

      const first = await post(cut, payment.id, 'reconcile').expect(200);
      expect(first.body).toMatchObject({
        checked: 1,
        transactions: [
          {
            reference: expect.stringMatching(/^sandbox-merchant-/),
            amount: 80_000,
            reftransactionid: expect.any(String),
            outcome: 'recorded',
          },
        ],
        payment: { id: payment.id, status: 'PAID', amountPaid: 80_000 },
      });
      const { reftransactionid } = first.body.transactions[0];
      const paid = await get(payment.id);
      expect(paid.transactions).toEqual([
        expect.objectContaining({ id: reftransactionid, amount: 80_000, content: payment.qr.content }),
      ]);
      // check-order gives timePaid in seconds: it must not be read as milliseconds (1970).
      expect(Date.parse(paid.transactions[0].paidAt)).toBeGreaterThanOrEqual(
        Date.parse(payment.createdAt) - 1_000,
      );
      expect(paid.history.at(-1)).toMatchObject({
        toStatus: 'PAID',
        actor: 'reconcile',
        bankTransactionId: reftransactionid,
      });

      const second = await post(cut, payment.id, 'reconcile').expect(200);
      expect(second.body).toMatchObject({
        checked: 1,
        transactions: [{ reftransactionid, outcome: 'duplicate' }],
        payment: { status: 'PAID', amountPaid: 80_000 },
      });
      expect((await get(payment.id)).transactions).toHaveLength(1);
    });

    it('finds nothing to record for a transfer transaction-sync already delivered', async () => {
      const payment = await createPayment(t, { amount: 40_000 });
      await post(t, payment.id, 'simulate').expect(200);
      const res = await post(t, payment.id, 'reconcile').expect(200);
      expect(res.body).toMatchObject({
        checked: 1,
        transactions: [{ amount: 40_000, outcome: 'duplicate' }],
        payment: { status: 'PAID', amountPaid: 40_000 },
      });
      expect((await get(payment.id)).transactions).toHaveLength(1);
    });

    it('checks nothing for a payment VietQR knows nothing of, and nothing paid for an unpaid QR', async () => {
      // Issued by the other instance's emulator: this one has never heard of it.
      const unknown = await createPayment(t);
      const none = await post(cut, unknown.id, 'reconcile').expect(200);
      expect(none.body).toMatchObject({
        checked: 0,
        transactions: [],
        payment: { status: 'PENDING', amountPaid: 0 },
      });
      const unpaid = await post(t, unknown.id, 'reconcile').expect(200);
      expect(unpaid.body).toMatchObject({ checked: 1, transactions: [], payment: { status: 'PENDING' } });
    });

    it('answers 409 PAYMENT_HAS_NO_QR (and simulate too) for a payment whose QR could not be obtained', async () => {
      const offline = await startTestApp({ VIETQR_API_URL: 'http://127.0.0.1:1/vqr' });
      try {
        const orderId = randomOrderId();
        await request(offline.url)
          .post('/api/v1/payments')
          .set('X-API-Key', TEST_API_KEY)
          .send({ orderId, amount: 10_000 })
          .expect(502);
        const list = await request(offline.url)
          .get('/api/v1/payments')
          .query({ orderId })
          .set('X-API-Key', TEST_API_KEY)
          .expect(200);
        const [payment] = list.body.data;
        expect(payment).toMatchObject({ orderId, qr: null, status: 'PENDING' });
        for (const action of ['reconcile', 'simulate'] as const) {
          const res = await post(offline, payment.id, action).expect(409);
          expect(res.body.code).toBe('PAYMENT_HAS_NO_QR');
        }
      } finally {
        await offline.close();
      }
    });

    it("answers 404 for another client's payment and for an id that is not a payment", async () => {
      const theirs = await createPayment(t, {}, OTHER_API_KEY);
      expect((await post(t, theirs.id, 'reconcile').expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');
      await post(t, 'not-a-payment', 'reconcile').expect(404);
      await request(t.url).post(`/api/v1/payments/${theirs.id}/reconcile`).expect(401);
    });
  });
});
