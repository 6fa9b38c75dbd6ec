import request from 'supertest';
import { SimulationController } from '../../src/modules/reconciliation/simulation.controller.js';
import { SandboxState } from '../../src/modules/sandbox/sandbox-state.js';
import { createPayment } from '../support/payments.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';
import { OTHER_API_KEY, startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';

// The whole loop with no configuration: our emulator issues the QR, and on /simulate it calls our token
// endpoint and transaction-sync exactly as VietQR would.
describe(SimulationController.name, () => {
  let t: TestApp;
  const simulate = (id: string, body: Record<string, unknown> = {}, key = TEST_API_KEY) =>
    request(t.url).post(`/api/v1/payments/${id}/simulate`).set('X-API-Key', key).send(body);
  const get = async (id: string) =>
    (await request(t.url).get(`/api/v1/payments/${id}`).set('X-API-Key', TEST_API_KEY).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /api/v1/payments/:id/simulate', () => {
    it('pays a payment end to end: VietQR QR, simulated transfer, transaction-sync, PAID with its transaction', async () => {
      const payment = await createPayment(t, { amount: 150_000 });
      expect(payment.qr.content).toMatch(new RegExp(`^VQR[0-9a-f]{10} ${payment.code}$`));
      const stats = t.app.get(SandboxState).stats;
      const attemptsBefore = stats.deliveryAttempts;

      const res = await simulate(payment.id).expect(200);
      expect(res.body).toMatchObject({
        vietqr: { status: 'SUCCESS' },
        amount: 150_000,
        payment: { id: payment.id, status: 'PAID', amountPaid: 150_000, amountRemaining: 0 },
      });
      expect(stats.deliveryAttempts).toBe(attemptsBefore + 1);

      const paid = await get(payment.id);
      expect(paid).toMatchObject({ status: 'PAID', amountPaid: 150_000, amountRemaining: 0 });
      expect(paid.transactions).toEqual([
        expect.objectContaining({
          amount: 150_000,
          content: payment.qr.content,
          bankAccount: '0123456789',
          late: false,
          linkedBy: 'vietqr',
          reference: expect.stringMatching(/^sandbox-merchant-/),
        }),
      ]);
      expect(paid.history.at(-1)).toMatchObject({
        fromStatus: 'PENDING',
        toStatus: 'PAID',
        amountPaid: 150_000,
        actor: 'vietqr',
        bankTransactionId: paid.transactions[0].id,
      });
    });

    it('adds up a smaller simulated transfer (PARTIALLY_PAID) and then the rest (PAID)', async () => {
      const payment = await createPayment(t, { amount: 100_000 });
      const part = await simulate(payment.id, { amount: 30_000 }).expect(200);
      expect(part.body).toMatchObject({
        amount: 30_000,
        payment: { status: 'PARTIALLY_PAID', amountPaid: 30_000, amountRemaining: 70_000 },
      });
      const rest = await simulate(payment.id).expect(200);
      expect(rest.body).toMatchObject({
        amount: 70_000,
        payment: { status: 'PAID', amountPaid: 100_000, amountRemaining: 0 },
      });
      const paid = await get(payment.id);
      expect(paid.transactions.map((tx: { amount: number }) => tx.amount)).toEqual([30_000, 70_000]);
      expect(paid.history.map((h: { toStatus: string }) => h.toStatus)).toEqual([
        'PENDING',
        'PARTIALLY_PAID',
        'PAID',
      ]);
    });

    it('answers 409 NOTHING_LEFT_TO_PAY for a paid payment without an amount, and pays more with one', async () => {
      const payment = await createPayment(t, { amount: 50_000 });
      await simulate(payment.id).expect(200);
      const res = await simulate(payment.id).expect(409);
      expect(res.body).toMatchObject({ code: 'NOTHING_LEFT_TO_PAY', requestId: expect.any(String) });
      expect((await get(payment.id)).amountPaid).toBe(50_000);
      const more = await simulate(payment.id, { amount: 1_000 }).expect(200);
      expect(more.body.payment).toMatchObject({ status: 'OVERPAID', amountPaid: 51_000 });
    });

    it("answers 404 for another client's payment and sends no transfer", async () => {
      const theirs = await createPayment(t, {}, OTHER_API_KEY);
      const stats = t.app.get(SandboxState).stats;
      const before = stats.testCallbacks;
      const res = await simulate(theirs.id).expect(404);
      expect(res.body.code).toBe('PAYMENT_NOT_FOUND');
      expect(stats.testCallbacks).toBe(before);
      const own = await request(t.url)
        .get(`/api/v1/payments/${theirs.id}`)
        .set('X-API-Key', OTHER_API_KEY)
        .expect(200);
      expect(own.body).toMatchObject({ status: 'PENDING', amountPaid: 0 });
    });

    it('answers 400 for an amount that is not a positive integer, and 401 without an API key', async () => {
      const payment = await createPayment(t);
      const bad = await simulate(payment.id, { amount: 0 }).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      await simulate(payment.id, { amount: 1.5 }).expect(400);
      await request(t.url).post(`/api/v1/payments/${payment.id}/simulate`).send({}).expect(401);
    });
  });

  describe('in production', () => {
    // A production app on a database of its own (its dispatcher and sweeper then touch nobody else's rows),
    // ordering its QRs from the emulator of the development app above, as it would from VietQR.
    let prod: TestApp;
    let db: PrivateDatabase;

    beforeAll(async () => {
      db = await createPrivateDatabase();
      prod = await startTestApp({
        NODE_ENV: 'production',
        // Required in production, and https: what payers and VietQR are given (nobody calls it here).
        PUBLIC_BASE_URL: 'https://pay.example.test',
        DATABASE_URL: db.url,
        SANDBOX_ENABLED: 'false',
        VIETQR_API_URL: `${t.url}/sandbox/vqr`,
      });
    });
    afterAll(async () => {
      await prod?.close();
      await db?.drop();
    });

    it('has no /simulate (404) while /reconcile answers', async () => {
      const payment = await createPayment(prod, { amount: 20_000 });
      const simulated = await request(prod.url)
        .post(`/api/v1/payments/${payment.id}/simulate`)
        .set('X-API-Key', TEST_API_KEY)
        .send({})
        .expect(404);
      expect(simulated.body.code).toBe('NOT_FOUND');
      const reconciled = await request(prod.url)
        .post(`/api/v1/payments/${payment.id}/reconcile`)
        .set('X-API-Key', TEST_API_KEY)
        .expect(200);
      expect(reconciled.body).toMatchObject({
        checked: 1,
        transactions: [],
        payment: { id: payment.id, status: 'PENDING' },
      });
      await request(prod.url).post('/sandbox/vqr/api/token_generate').expect(404);
    });
  });
});
