import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransactionSyncController } from '../../src/modules/vietqr-partner/transaction-sync.controller.js';
import { createPayment, makeDue } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TEST_OPERATOR_KEY, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';
import { eventually } from '../support/webhook-receiver.js';

// A payment's whole life driven by credits that arrive as VietQR sends them: a Bearer token from our token
// endpoint, then transaction-sync with VietQR's lower-case body.
describe(TransactionSyncController.name, () => {
  let t: TestApp;
  let db: DataSource;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ PAYMENT_SWEEP_INTERVAL_MS: '200' });
    db = t.app.get(DataSource);
    token = await partnerToken(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Delivers one transaction; expects VietQR's success envelope and returns our reftransactionid. */
  const credit = async (overrides: Record<string, unknown>): Promise<string> => {
    const res = await request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('Authorization', `Bearer ${token}`)
      .send(vietqrDelivery(overrides))
      .expect(200);
    expect(res.body).toMatchObject({ error: false, errorReason: '000' });
    return res.body.object.reftransactionid as string;
  };
  /** A transfer of the payment's QR as a bank reports it when VietQR could not match it (orderId ""). */
  const transferFor = (payment: any, amount: number, extra: Record<string, unknown> = {}) =>
    credit({ amount, content: payment.qr.content, orderId: '', ...extra });
  const get = async (id: string, key = TEST_API_KEY) =>
    (await request(t.url).get(`/api/v1/payments/${id}`).set('X-API-Key', key).expect(200)).body;
  const reviewQueue = async (status: string, key = TEST_OPERATOR_KEY) => {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { status, limit: 100, ...(cursor ? { cursor } : {}) };
      const res: request.Response = await request(t.url)
        .get('/api/v1/transactions')
        .query(query)
        .set('X-API-Key', key)
        .expect(200);
      items.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  };

  describe('payment lifecycle over transaction-sync', () => {
    it('goes PENDING → PARTIALLY_PAID → PAID, and a re-delivery counts once', async () => {
      const payment = await createPayment(t, { amount: 100_000 });
      const first = await transferFor(payment, 40_000);
      expect(await get(payment.id)).toMatchObject({
        status: 'PARTIALLY_PAID',
        amountPaid: 40_000,
        amountRemaining: 60_000,
      });

      // VietQR matched this one itself: it reports our payment code as orderId.
      const rest = vietqrDelivery({ amount: 60_000, content: payment.qr.content, orderId: payment.code });
      const deliver = () =>
        request(t.url)
          .post('/vqr/bank/api/transaction-sync')
          .set('Authorization', `Bearer ${token}`)
          .send(rest)
          .expect(200);
      const second = (await deliver()).body.object.reftransactionid;
      expect((await deliver()).body.object.reftransactionid).toBe(second);

      const paid = await get(payment.id);
      expect(paid).toMatchObject({ status: 'PAID', amountPaid: 100_000, amountRemaining: 0 });
      expect(paid.transactions.map((tx: { id: string }) => tx.id)).toEqual([first, second]);
      expect(paid.history.map((h: any) => [h.toStatus, h.amountPaid, h.actor])).toEqual([
        ['PENDING', 0, 'client:orders'],
        ['PARTIALLY_PAID', 40_000, 'vietqr'],
        ['PAID', 100_000, 'vietqr'],
      ]);
    });

    it('becomes OVERPAID when more than the amount arrives, and more again stays OVERPAID', async () => {
      const payment = await createPayment(t, { amount: 100_000 });
      await transferFor(payment, 120_000);
      expect(await get(payment.id)).toMatchObject({
        status: 'OVERPAID',
        amountPaid: 120_000,
        amountRemaining: 0,
      });
      const exact = await createPayment(t, { amount: 50_000 });
      await transferFor(exact, 50_000);
      expect((await get(exact.id)).status).toBe('PAID');
      await transferFor(exact, 1_000);
      expect(await get(exact.id)).toMatchObject({ status: 'OVERPAID', amountPaid: 51_000 });
    });

    it('is expired by the sweeper, and a late credit does not revive it but waits in the late queue', async () => {
      const payment = await createPayment(t, { amount: 100_000 });
      await makeDue(db, payment.id);
      await eventually(
        'the sweeper expires the payment',
        async () => (await get(payment.id)).status === 'EXPIRED',
      );

      const late = await transferFor(payment, 100_000);
      const after = await get(payment.id);
      expect(after).toMatchObject({ status: 'EXPIRED', amountPaid: 0, amountRemaining: 100_000 });
      expect(after.transactions).toEqual([
        expect.objectContaining({ id: late, amount: 100_000, late: true }),
      ]);
      expect(after.history.map((h: { toStatus: string }) => h.toStatus)).toEqual([
        'PENDING',
        'EXPIRED',
        'EXPIRED',
      ]);

      const queue = await reviewQueue('late');
      expect(queue.find((i) => i.id === late)).toMatchObject({
        status: 'late',
        paymentId: payment.id,
        amount: 100_000,
      });
    });

    it('stays CANCELLED when money arrives after the cancel, keeping it as late', async () => {
      const payment = await createPayment(t, { amount: 100_000 });
      await transferFor(payment, 30_000);
      await request(t.url)
        .post(`/api/v1/payments/${payment.id}/cancel`)
        .set('X-API-Key', TEST_API_KEY)
        .send({ reason: 'buyer gave up' })
        .expect(200);
      const late = await transferFor(payment, 70_000, { orderId: payment.code });
      const after = await get(payment.id);
      expect(after).toMatchObject({ status: 'CANCELLED', amountPaid: 30_000 });
      expect(after.transactions.map((tx: any) => [tx.amount, tx.late])).toEqual([
        [30_000, false],
        [70_000, true],
      ]);
      expect((await reviewQueue('late')).find((i) => i.id === late)).toMatchObject({ paymentId: payment.id });
    });

    it.each([
      [
        'an interbank prefix with dots',
        (trace: string, code: string) =>
          `MBVCB.3278245567.${trace} ${code}.CT tu 0123456789 NGUYEN VAN B toi 0987654321`,
      ],
      [
        'the trace id alone, split in two',
        (trace: string) => `IBFT ${trace.slice(0, 8)} ${trace.slice(8)} chuyen tien`,
      ],
      ['dashes inserted', (trace: string, code: string) => `${trace.slice(0, 7)}-${trace.slice(7)}-${code}`],
      [
        'our code alone, lower-cased by a bank',
        (_trace: string, code: string) => `ck ${code.toLowerCase()} cam on`,
      ],
    ])('is matched by its content alone with %s', async (_case, contentOf) => {
      const payment = await createPayment(t, { amount: 25_000 });
      const [trace, code] = (payment.qr.content as string).split(' ');
      const id = await credit({ amount: 25_000, orderId: '', content: contentOf(trace, code) });
      const paid = await get(payment.id);
      expect(paid).toMatchObject({ status: 'PAID', amountPaid: 25_000 });
      expect(paid.transactions.map((tx: { id: string }) => tx.id)).toEqual([id]);
    });

    it('leaves a credit to another account unmatched in the review queue, and the payment untouched', async () => {
      const payment = await createPayment(t, { amount: 100_000 });
      const id = await transferFor(payment, 100_000, { bankaccount: '9999999999', orderId: payment.code });
      expect(await get(payment.id)).toMatchObject({ status: 'PENDING', amountPaid: 0 });
      expect((await get(payment.id)).transactions).toEqual([]);
      const queue = await reviewQueue('unmatched');
      expect(queue.find((i) => i.id === id)).toMatchObject({
        status: 'unmatched',
        unmatchedReason: 'foreign_account',
        bankAccount: '9999999999',
        paymentId: null,
      });
    });

    it('adds up 20 concurrent distinct credits exactly, and becomes PAID once', async () => {
      const amounts = Array.from({ length: 20 }, (_, i) => 1_000 + i * 10);
      const total = amounts.reduce((a, b) => a + b, 0);
      const payment = await createPayment(t, { amount: total });
      const ids = await Promise.all(amounts.map((amount) => transferFor(payment, amount)));
      expect(new Set(ids).size).toBe(20);

      const paid = await get(payment.id);
      expect(paid).toMatchObject({ status: 'PAID', amountPaid: total, amountRemaining: 0 });
      expect(paid.transactions.map((tx: { id: string }) => tx.id).sort()).toEqual([...ids].sort());
      const events: Array<{ type: string }> = await db.query(
        `SELECT type FROM outbox_event WHERE subject_id = $1`,
        [payment.id],
      );
      expect(events.filter((e) => e.type === 'payment.paid')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'payment.partially_paid')).toHaveLength(19);
    });
  });
});
