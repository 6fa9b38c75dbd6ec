import request from 'supertest';
import { Database } from '../../src/database/database.js';
import { ReconcileScheduler } from '../../src/modules/reconciliation/reconcile-scheduler.js';
import { FakeVietQr } from '../support/fake-vietqr.js';
import { createPayment } from '../support/payments.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';
import { startTestApp, TEST_API_KEY, TEST_OPERATOR_KEY, TestApp } from '../support/test-app.js';
import { eventually, WebhookReceiver } from '../support/webhook-receiver.js';

// Several instances on one database and an embedded database's one shared session do not mix: PGlite never
// makes SKIP LOCKED skip anything, so "each check runs once across instances" is shown on PostgreSQL only.
const itOnPostgres = process.env.VQG_TEST_DATABASE_EMBEDDED === '1' ? it.skip : it;

// Scheduled reconciliation against VietQR (our emulator, or a fake VietQR over HTTP) that knows of paid
// transfers whose callback never reached us. A database of its own, so only this file's instances plan.
describe(ReconcileScheduler.name, () => {
  let db: PrivateDatabase;
  let fake: FakeVietQr;
  const apps: TestApp[] = [];
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    [db, fake] = await Promise.all([createPrivateDatabase(), FakeVietQr.start()]);
  });
  // Every instance a test started stops with it, failed or not: a leftover one would plan and claim the
  // next test's checks with its own schedule.
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await fake?.close();
    await db?.drop();
  });

  const start = async (env: Record<string, string> = {}) => {
    const app = await startTestApp({
      DATABASE_URL: db.url,
      RECONCILE_ENABLED: 'true',
      RECONCILE_SCHEDULE: '2s,4s',
      RECONCILE_POLL_INTERVAL_MS: '100',
      RECONCILE_RATE_PER_SECOND: '50',
      WEBHOOK_DISPATCH_INTERVAL_MS: '100',
      ...env,
    });
    apps.push(app);
    return app;
  };
  const stop = async (app: TestApp) => {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
  };
  const withFake = (env: Record<string, string> = {}) => start({ VIETQR_API_URL: fake.url, ...env });
  const getPayment = async (t: TestApp, id: string) =>
    (await request(t.url).get(`/api/v1/payments/${id}`).set('X-API-Key', TEST_API_KEY).expect(200)).body;
  const metric = async (t: TestApp, line: string) => {
    const text = (await request(t.url).get('/metrics').expect(200)).text;
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found === undefined ? undefined : Number(found.slice(line.length + 1));
  };
  const checksOf = async (t: TestApp, paymentId: string) =>
    t.app
      .get(Database)
      .query<Array<{ phase: string; step: string; status: string; outcome: string | null }>>(
        `SELECT phase, step, status, outcome FROM reconcile_check WHERE payment_id = $1 ORDER BY due_at`,
        [paymentId],
      );
  const subscribe = async (t: TestApp, key: string, events: string[]) => {
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    await request(t.url)
      .post('/api/v1/webhook-endpoints')
      .set('X-API-Key', key)
      .send({ url: receiver.url, events })
      .expect(201);
    return receiver;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('pays a payment whose callback was lost, on its own: webhook, metrics, transaction.recovered, arrival', async () => {
    // Our emulator, as in the zero-configuration start: told to record the transfer but not call us back.
    const t = await start();
    const orders = await subscribe(t, TEST_API_KEY, ['payment.paid']);
    const operator = await subscribe(t, TEST_OPERATOR_KEY, ['transaction.recovered']);
    await request(t.url)
      .post('/api/v1/webhook-endpoints')
      .set('X-API-Key', TEST_API_KEY)
      .send({ url: operator.url, events: ['transaction.recovered'] })
      .expect(400);
    const payment = await createPayment(t, { amount: 120_000 });
    const simulated = await request(t.url)
      .post(`/api/v1/payments/${payment.id}/simulate`)
      .set('X-API-Key', TEST_API_KEY)
      .send({ deliverCallback: false })
      .expect(200);
    expect(simulated.body.payment).toMatchObject({ status: 'PENDING', amountPaid: 0 });

    const paid = await eventually('the payment to be paid by reconciliation', async () => {
      const p = await getPayment(t, payment.id);
      return p.status === 'PAID' ? p : null;
    });
    expect(paid.history.at(-1)).toMatchObject({ toStatus: 'PAID', actor: 'auto_reconcile' });
    const [ledger] = await t.app
      .get(Database)
      .query(`SELECT arrived_via AS "arrivedVia" FROM bank_transaction WHERE payment_id = $1`, [payment.id]);
    expect(ledger).toEqual({ arrivedVia: 'reconcile' });

    const webhook = await eventually('payment.paid at the order system', () =>
      orders.received.find((m) => m.json.type === 'payment.paid'),
    );
    expect(webhook.json.data).toMatchObject({ payment: { id: payment.id, status: 'PAID' } });
    const recovered = await eventually('transaction.recovered at the operator', () =>
      operator.received.find((m) => m.json.type === 'transaction.recovered'),
    );
    expect(recovered.json.data).toMatchObject({
      id: paid.transactions[0].id,
      amount: 120_000,
      arrivedVia: 'reconcile',
      status: 'linked',
      paymentId: payment.id,
    });
    expect(await metric(t, 'reconcile_recovered_total{via="reconcile"}')).toBe(1);
    expect(await metric(t, 'reconcile_checks_total{outcome="recovered"}')).toBe(1);
    // The 4 s step finds the payment paid: done without asking VietQR again.
    await eventually('the second step to be skipped', async () =>
      (await checksOf(t, payment.id)).some((c) => c.step === '4s' && c.status === 'skipped'),
    );
    expect(await metric(t, 'reconcile_recovered_total{via="reconcile"}')).toBe(1);
  });

  itOnPostgres('calls VietQR once per scheduled check with two instances on one database', async () => {
    const [a, b] = await Promise.all([withFake(), withFake()]);
    const payments = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createPayment(i % 2 ? a : b, { amount: 10_000 + i })),
    );
    await eventually(
      'two check-order calls for every payment',
      () => payments.every((p) => fake.callsFor(p.code).length >= 2),
      20_000,
    );
    await sleep(1_500);
    for (const p of payments) expect(fake.callsFor(p.code)).toHaveLength(2);
    const byA = (await metric(a, 'reconcile_checks_total{outcome="clean"}')) ?? 0;
    const byB = (await metric(b, 'reconcile_checks_total{outcome="clean"}')) ?? 0;
    expect(byA + byB).toBe(12);
  });

  itOnPostgres(
    'paces the check-order calls of all instances together at RECONCILE_RATE_PER_SECOND',
    async () => {
      const env = { RECONCILE_SCHEDULE: '1s', RECONCILE_RATE_PER_SECOND: '4' };
      const [a, b] = await Promise.all([withFake(env), withFake(env)]);
      const payments = await Promise.all(Array.from({ length: 8 }, (_, i) => createPayment(i % 2 ? a : b)));
      const codes = new Set(payments.map((p) => p.code));
      const calls = await eventually(
        'a check of each payment',
        () => {
          const mine = fake.checkOrders.filter((c) => codes.has(c.orderId));
          return mine.length === 8 ? mine : null;
        },
        20_000,
      );
      // All eight were due at about the same second; 4 per second across both instances spreads them over
      // at least 7 slot spacings (1.75 s; a little less allowed for one call leaving late).
      const span = calls[7].at - calls[0].at;
      expect(span).toBeGreaterThanOrEqual(1_500);
    },
  );

  it('keeps the schedule across a restart between two steps', async () => {
    const first = await withFake({ RECONCILE_SCHEDULE: '3s,7s' });
    const payment = await createPayment(first);
    await eventually('the 3 s check', () => fake.callsFor(payment.code).length === 1, 10_000);
    await stop(first);
    fake.markPaid(payment.code);

    const second = await withFake({ RECONCILE_SCHEDULE: '3s,7s' });
    const paid = await eventually('the 7 s check to pay the payment', async () => {
      const p = await getPayment(second, payment.id);
      return p.status === 'PAID' ? p : null;
    });
    expect(fake.callsFor(payment.code)).toHaveLength(2);
    expect(paid.amountPaid).toBe(payment.amount);
    // The check is marked done just after the ingest it caused.
    await eventually('the 7 s check done', async () =>
      (await checksOf(second, payment.id)).every((c) => c.status !== 'running'),
    );
    expect(await checksOf(second, payment.id)).toEqual([
      { phase: 'open', step: '3s', status: 'done', outcome: 'clean' },
      { phase: 'open', step: '7s', status: 'done', outcome: 'recovered' },
      { phase: 'open', step: 'expiry', status: 'pending', outcome: null },
    ]);
  });

  it('retries a check VietQR failed at the next step, not in a loop', async () => {
    const t = await withFake();
    const payment = await createPayment(t);
    fake.markPaid(payment.code);
    fake.failNext(1);
    const paid = await eventually('the 4 s check to pay the payment', async () => {
      const p = await getPayment(t, payment.id);
      return p.status === 'PAID' ? p : null;
    });
    expect(paid.history.at(-1)).toMatchObject({ actor: 'auto_reconcile' });
    const calls = fake.callsFor(payment.code);
    expect(calls.map((c) => c.failed)).toEqual([true, false]);
    // The retry came with the next step (4 s after creation), not straight after the failure (2 s).
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1_500);
    await eventually('the 4 s check done', async () =>
      (await checksOf(t, payment.id)).every((c) => c.status !== 'running'),
    );
    expect(await checksOf(t, payment.id)).toEqual([
      { phase: 'open', step: '2s', status: 'failed', outcome: 'error' },
      { phase: 'open', step: '4s', status: 'done', outcome: 'recovered' },
      { phase: 'open', step: 'expiry', status: 'pending', outcome: null },
    ]);
    expect(await metric(t, 'reconcile_checks_total{outcome="error"}')).toBe(1);
  });

  it('checks a cancelled payment once more after it became final: the money found is late', async () => {
    const t = await withFake({ RECONCILE_SCHEDULE: 'none', RECONCILE_AFTER_FINAL_SCHEDULE: '2s' });
    const orders = await subscribe(t, TEST_API_KEY, ['payment.late_payment']);
    const payment = await createPayment(t);
    await request(t.url)
      .post(`/api/v1/payments/${payment.id}/cancel`)
      .set('X-API-Key', TEST_API_KEY)
      .send({})
      .expect(200);
    fake.markPaid(payment.code);
    const late = await eventually('the late payment event', () =>
      orders.received.find((m) => m.json.type === 'payment.late_payment'),
    );
    expect(late.json.data).toMatchObject({ payment: { id: payment.id, status: 'CANCELLED', amountPaid: 0 } });
    expect(fake.callsFor(payment.code)).toHaveLength(1);
    await eventually('the final check done', async () =>
      (await checksOf(t, payment.id)).every((c) => c.status !== 'running'),
    );
    // The open phase's expiry check (if planned before the cancel) never runs: it will be skipped when due.
    const checks = await checksOf(t, payment.id);
    expect(checks.filter((c) => c.phase === 'final')).toEqual([
      { phase: 'final', step: '2s', status: 'done', outcome: 'recovered' },
    ]);
    expect(checks.filter((c) => c.phase === 'open' && c.status !== 'pending')).toEqual([]);
  });

  it('asks VietQR nothing with RECONCILE_ENABLED=false', async () => {
    const t = await withFake({ RECONCILE_ENABLED: 'false', RECONCILE_SCHEDULE: '1s' });
    const payment = await createPayment(t);
    await sleep(2_500);
    expect(fake.callsFor(payment.code)).toHaveLength(0);
  });
});
