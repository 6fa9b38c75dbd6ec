import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RefundsController } from '../../src/modules/refunds/refunds.controller.js';
import { SandboxState } from '../../src/modules/sandbox/sandbox-state.js';
import { refundChecksum, VietQrClient } from '../../src/modules/vietqr/vietqr.client.js';
import { createPayment, OUR_BANK_ACCOUNT } from '../support/payments.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';
import { getPayment, getRefund, postRefund, settled, simulate, transfer } from '../support/refunds.js';
import {
  OTHER_API_KEY,
  startTestApp,
  TEST_API_KEY,
  TEST_OPERATOR_KEY,
  TestApp,
} from '../support/test-app.js';
import { eventually, WebhookReceiver } from '../support/webhook-receiver.js';

// Refunds through the emulated VietQR. The database is this file's own: every instance's refund worker
// takes any due refund, and only this app's emulator knows the transfers it paid.
const LOCK_MS = 400;

describe(RefundsController.name, () => {
  let db: PrivateDatabase;
  let t: TestApp;
  let dataSource: DataSource;
  let state: SandboxState;
  let receiver: WebhookReceiver;
  let operatorReceiver: WebhookReceiver;

  beforeAll(async () => {
    db = await createPrivateDatabase();
    t = await startTestApp({
      DATABASE_URL: db.url,
      REFUND_WORKER_INTERVAL_MS: '50',
      REFUND_LOCK_MS: String(LOCK_MS),
      SANDBOX_REFUND_LOCK_MS: String(LOCK_MS),
      VIETQR_TIMEOUT_MS: '1500',
      WEBHOOK_DISPATCH_INTERVAL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '50',
    });
    dataSource = t.app.get(DataSource);
    state = t.app.get(SandboxState);
    receiver = await WebhookReceiver.start();
    await request(t.url)
      .post('/api/v1/webhook-endpoints')
      .set('X-API-Key', TEST_API_KEY)
      .send({ url: receiver.url, events: ['refund.succeeded', 'refund.failed', 'refund.requires_action'] })
      .expect(201);
    operatorReceiver = await WebhookReceiver.start();
    await request(t.url)
      .post('/api/v1/webhook-endpoints')
      .set('X-API-Key', TEST_OPERATOR_KEY)
      .send({ url: operatorReceiver.url, events: ['refund.succeeded'] })
      .expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await operatorReceiver?.close();
    await db?.drop();
  });

  const paidPayment = async (amount = 100_000, pay: number[] = [amount]) => {
    const payment = await createPayment(t, { amount });
    for (const part of pay) await simulate(t.url, payment.id, part);
    return payment;
  };
  const refundOf = (paymentId: string, body: Record<string, unknown> = { reason: 'Order cancelled' }) =>
    postRefund(t.url, `/api/v1/payments/${paymentId}/refunds`, body);
  const amountRefundedUpstream = async (reference: string) => {
    const [item] = await t.app
      .get(VietQrClient)
      .checkOrder({ bankAccount: OUR_BANK_ACCOUNT, type: 1, value: reference });
    return item.amountRefunded;
  };

  describe('POST /api/v1/payments/:id/refunds', () => {
    it('refunds a PAID payment in full through VietQR: SUCCEEDED with its FT code, the payment stays PAID', async () => {
      const payment = await paidPayment(150_000);
      const applied = state.stats.refundsApplied;
      const res = await refundOf(payment.id).expect(201);
      expect(res.body).toMatchObject({
        paymentId: payment.id,
        amount: 150_000,
        status: 'PENDING',
        method: 'vietqr',
        createdBy: 'client:orders',
        parts: [{ amount: 150_000, state: 'pending' }],
      });
      const refund = await settled(t.url, res.body.id);
      expect(refund).toMatchObject({ status: 'SUCCEEDED', failureCode: null, settledAt: expect.any(String) });
      expect(refund.parts[0]).toMatchObject({
        state: 'succeeded',
        providerReference: expect.stringMatching(/^FT\d+$/),
      });
      expect(state.stats.refundsApplied).toBe(applied + 1);
      expect(await amountRefundedUpstream(refund.parts[0].bankReference)).toBe(150_000);
      const after = await getPayment(t.url, payment.id);
      expect(after).toMatchObject({
        status: 'PAID',
        amountPaid: 150_000,
        amountRefunded: 150_000,
        refundStatus: 'full',
      });
    });

    it("links the refund's debit callback to it instead of ignoring it", async () => {
      const payment = await paidPayment(40_000);
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      const linked = await eventually('debit linked', async () => {
        const r = await getRefund(t.url, refund.id);
        return r.parts[0].debitTransactionId ? r : null;
      });
      const [debit] = await dataSource.query(
        `SELECT status, trans_type AS "transType", reference, amount FROM bank_transaction WHERE id = $1`,
        [linked.parts[0].debitTransactionId],
      );
      expect(debit).toEqual({
        status: 'refund_debit',
        transType: 'D',
        reference: linked.parts[0].providerReference,
        amount: '40000',
      });
    });

    it("refunds part, then the rest: multiTimes on the first, the second waits out VietQR's lock (E158)", async () => {
      const payment = await paidPayment(100_000);
      const first = await settled(
        t.url,
        (await refundOf(payment.id, { amount: 30_000, reason: 'one item' }).expect(201)).body.id,
      );
      expect(first.status).toBe('SUCCEEDED');
      expect((await getPayment(t.url, payment.id)).refundStatus).toBe('partial');
      const requests = state.stats.refundRequests;
      const rest = await refundOf(payment.id, { reason: 'the rest' }).expect(201);
      expect(rest.body.amount).toBe(70_000);
      const second = await settled(t.url, rest.body.id);
      expect(second.status).toBe('SUCCEEDED');
      // Within the emulator's lock the second call is refused with E158 and sent again after it.
      expect(state.stats.refundRequests).toBeGreaterThanOrEqual(requests + 1);
      expect(await amountRefundedUpstream(first.parts[0].bankReference)).toBe(100_000);
      expect(await getPayment(t.url, payment.id)).toMatchObject({
        amountRefunded: 100_000,
        refundStatus: 'full',
      });
      await refundOf(payment.id).expect(422);
    });

    it('refunds the excess of an OVERPAID payment', async () => {
      const payment = await paidPayment(100_000, [130_000]);
      expect((await getPayment(t.url, payment.id)).status).toBe('OVERPAID');
      const refund = await settled(
        t.url,
        (await refundOf(payment.id, { amount: 30_000, reason: 'excess' }).expect(201)).body.id,
      );
      expect(refund.status).toBe('SUCCEEDED');
      expect(await getPayment(t.url, payment.id)).toMatchObject({
        status: 'OVERPAID',
        amountRefunded: 30_000,
        refundStatus: 'partial',
      });
    });

    it('refunds late money of a cancelled payment', async () => {
      const payment = await createPayment(t, { amount: 50_000 });
      await request(t.url)
        .post(`/api/v1/payments/${payment.id}/cancel`)
        .set('X-API-Key', TEST_API_KEY)
        .send({})
        .expect(200);
      await transfer(t, payment.qr.content, 50_000);
      const late = await getPayment(t.url, payment.id);
      expect(late).toMatchObject({ status: 'CANCELLED', amountPaid: 0 });
      expect(late.transactions).toEqual([expect.objectContaining({ late: true, amount: 50_000 })]);
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      expect(refund).toMatchObject({ status: 'SUCCEEDED', amount: 50_000 });
      expect(await getPayment(t.url, payment.id)).toMatchObject({
        status: 'CANCELLED',
        amountRefunded: 50_000,
        refundStatus: 'full',
      });
    });

    it('draws a refund from two transfers: one VietQR refund per transfer (two parts)', async () => {
      const payment = await paidPayment(100_000, [60_000, 40_000]);
      const res = await refundOf(payment.id).expect(201);
      expect(res.body.parts.map((p: { amount: number }) => p.amount).sort()).toEqual([40_000, 60_000]);
      const refund = await settled(t.url, res.body.id);
      expect(refund.status).toBe('SUCCEEDED');
      expect(refund.parts.map((p: { state: string }) => p.state)).toEqual(['succeeded', 'succeeded']);
      expect(new Set(refund.parts.map((p: { bankReference: string }) => p.bankReference)).size).toBe(2);
      for (const part of refund.parts)
        expect(await amountRefundedUpstream(part.bankReference)).toBe(part.amount);
    });

    it('answers 409 PAYMENT_NOT_REFUNDABLE when nothing arrived, 404 for another client', async () => {
      const payment = await createPayment(t, { amount: 10_000 });
      expect((await refundOf(payment.id).expect(409)).body.code).toBe('PAYMENT_NOT_REFUNDABLE');
      await postRefund(
        t.url,
        `/api/v1/payments/${payment.id}/refunds`,
        { reason: 'x' },
        OTHER_API_KEY,
      ).expect(404);
    });

    it('requires an Idempotency-Key and replays the same refund for the same key and body', async () => {
      const payment = await paidPayment(20_000);
      await request(t.url)
        .post(`/api/v1/payments/${payment.id}/refunds`)
        .set('X-API-Key', TEST_API_KEY)
        .send({ reason: 'x' })
        .expect(400);
      const key = randomUUID();
      const path = `/api/v1/payments/${payment.id}/refunds`;
      const first = await postRefund(t.url, path, { amount: 5_000, reason: 'x' }, TEST_API_KEY, key).expect(
        201,
      );
      const again = await postRefund(t.url, path, { reason: 'x', amount: 5_000 }, TEST_API_KEY, key).expect(
        201,
      );
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      const other = await postRefund(t.url, path, { amount: 6_000, reason: 'x' }, TEST_API_KEY, key).expect(
        422,
      );
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_MISMATCH');
      const [{ count }] = await dataSource.query(
        `SELECT count(*)::int AS count FROM refund WHERE payment_id = $1`,
        [payment.id],
      );
      expect(count).toBe(1);
    });

    const realPostgres = process.env.VQG_TEST_DATABASE_EMBEDDED === '1' ? it.skip : it;
    realPostgres(
      'lets one of 10 concurrent full refunds through; the others get 422 with what is refundable',
      async () => {
        const payment = await paidPayment(70_000);
        const answers = await Promise.all(Array.from({ length: 10 }, () => refundOf(payment.id)));
        const created = answers.filter((a) => a.status === 201);
        const refused = answers.filter((a) => a.status === 422);
        expect(created).toHaveLength(1);
        expect(refused).toHaveLength(9);
        for (const r of refused)
          expect(r.body).toMatchObject({ code: 'REFUND_EXCEEDS_REFUNDABLE', details: { refundable: 0 } });
        await settled(t.url, created[0].body.id);
        expect(await getPayment(t.url, payment.id)).toMatchObject({ amountRefunded: 70_000 });
        expect(
          await amountRefundedUpstream((await getRefund(t.url, created[0].body.id)).parts[0].bankReference),
        ).toBe(70_000);
      },
    );
  });

  describe('VietQR refusals and lost answers', () => {
    it('E39 (bad checksum): FAILED with the code and its meaning, and the money is refundable again', async () => {
      const payment = await paidPayment(25_000);
      state.nextRefund({ failWith: 'E39' });
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      expect(refund).toMatchObject({
        status: 'FAILED',
        failureCode: 'E39',
        failureMessage: 'Invalid checkSum',
      });
      expect(refund.parts[0]).toMatchObject({ state: 'failed', vietqrCode: 'E39' });
      expect(await getPayment(t.url, payment.id)).toMatchObject({ amountRefunded: 0, refundStatus: 'none' });
      expect((await settled(t.url, (await refundOf(payment.id).expect(201)).body.id)).status).toBe(
        'SUCCEEDED',
      );
    });

    it('E45 (VietQR says more than is left): FAILED', async () => {
      const payment = await paidPayment(25_000);
      const [{ reference }] = await dataSource.query(
        `SELECT reference FROM payment_transaction WHERE payment_id = $1`,
        [payment.id],
      );
      // Refunded upstream behind our back: VietQR has nothing left of the transfer.
      state.transactionsByReference.get(reference)!.amountRefunded = 25_000;
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      expect(refund).toMatchObject({ status: 'FAILED', failureCode: 'E45' });
    });

    it('E158 (a request in progress): sent again after the lock, then SUCCEEDED', async () => {
      const payment = await paidPayment(15_000);
      state.nextRefund({ failWith: 'E158' });
      const requests = state.stats.refundRequests;
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      expect(refund.status).toBe('SUCCEEDED');
      expect(state.stats.refundRequests).toBe(requests + 2);
    });

    it('a timed-out call that VietQR carried out is UNKNOWN, then SUCCEEDED from check-order, never sent twice', async () => {
      const payment = await paidPayment(35_000);
      state.nextRefund({ delayMs: 2_500 });
      const requests = state.stats.refundRequests;
      const applied = state.stats.refundsApplied;
      const res = await refundOf(payment.id).expect(201);
      await eventually('UNKNOWN', async () => (await getRefund(t.url, res.body.id)).status === 'UNKNOWN');
      const refund = await settled(t.url, res.body.id);
      expect(refund.status).toBe('SUCCEEDED');
      expect(refund.parts[0]).toMatchObject({ state: 'succeeded' });
      expect(state.stats.refundRequests).toBe(requests + 1);
      expect(state.stats.refundsApplied).toBe(applied + 1);
      expect(await getPayment(t.url, payment.id)).toMatchObject({ amountRefunded: 35_000 });
    });

    it('a timed-out call that VietQR did not carry out is sent again once check-order shows nothing refunded', async () => {
      const payment = await paidPayment(45_000);
      state.nextRefund({ delayMs: 2_500, apply: false });
      const requests = state.stats.refundRequests;
      const applied = state.stats.refundsApplied;
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      expect(refund.status).toBe('SUCCEEDED');
      expect(state.stats.refundRequests).toBe(requests + 2);
      expect(state.stats.refundsApplied).toBe(applied + 1);
    });

    it('E42 (no refund permission): REQUIRES_ACTION, then a person completes it with the FT code', async () => {
      const payment = await paidPayment(12_000);
      state.nextRefund({ failWith: 'E42' });
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      expect(refund).toMatchObject({ status: 'REQUIRES_ACTION', failureCode: 'E42' });
      const done = await request(t.url)
        .post(`/api/v1/refunds/${refund.id}/complete`)
        .set('X-API-Key', TEST_OPERATOR_KEY)
        .send({ reference: 'FT25335000000001', note: 'paid from the bank app' })
        .expect(200);
      expect(done.body).toMatchObject({ status: 'SUCCEEDED', completedReference: 'FT25335000000001' });
      expect(done.body.parts[0]).toMatchObject({ state: 'succeeded', providerReference: 'FT25335000000001' });
      expect(await getPayment(t.url, payment.id)).toMatchObject({
        amountRefunded: 12_000,
        refundStatus: 'full',
      });
      // Once more with the same reference: the same answer; failing it now: 409.
      await request(t.url)
        .post(`/api/v1/refunds/${refund.id}/complete`)
        .set('X-API-Key', TEST_OPERATOR_KEY)
        .send({ reference: 'FT25335000000001' })
        .expect(200);
      const refused = await request(t.url)
        .post(`/api/v1/refunds/${refund.id}/fail`)
        .set('X-API-Key', TEST_OPERATOR_KEY)
        .send({})
        .expect(409);
      expect(refused.body.code).toBe('REFUND_NOT_ACTIONABLE');
    });

    it('a REQUIRES_ACTION refund failed by hand gives its amount back', async () => {
      const payment = await paidPayment(13_000);
      state.nextRefund({ failWith: 'E217' });
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      expect(refund.status).toBe('REQUIRES_ACTION');
      const failed = await request(t.url)
        .post(`/api/v1/refunds/${refund.id}/fail`)
        .set('X-API-Key', TEST_OPERATOR_KEY)
        .send({ reason: 'payer unreachable' })
        .expect(200);
      expect(failed.body).toMatchObject({ status: 'FAILED', failureCode: 'CANCELLED_BY_OPERATOR' });
      await refundOf(payment.id, { amount: 13_000, reason: 'again' }).expect(201);
    });
  });

  describe('the emulated refund API', () => {
    // VietQR's own checks, called as any merchant would (not through the worker).
    const call = async (body: Record<string, unknown>, status: number) => {
      const token = await t.app.get(VietQrClient).accessToken();
      return request(t.url)
        .post('/sandbox/vqr/api/transaction/refund')
        .set('Authorization', `Bearer ${token}`)
        .send(body)
        .expect(status);
    };
    const paidReference = async () => {
      const payment = await paidPayment(50_000);
      const [{ reference }] = await dataSource.query(
        `SELECT reference FROM payment_transaction WHERE payment_id = $1`,
        [payment.id],
      );
      return reference as string;
    };
    const body = (referenceNumber: string, amount: string, extra: Record<string, unknown> = {}) => ({
      bankAccount: OUR_BANK_ACCOUNT,
      referenceNumber,
      amount,
      content: 'Hoan tien test',
      bankCode: 'MB',
      checkSum: refundChecksum(t.config.vietqr.refundSecretKey!, referenceNumber, amount, OUR_BANK_ACCOUNT),
      ...extra,
    });

    it('checks the checksum over the amount string as sent (E39) and refuses an unknown reference (E44)', async () => {
      const reference = await paidReference();
      const bad = { ...body(reference, '10000'), amount: '10000.0' };
      expect((await call(bad, 400)).body).toEqual({ status: 'FAILED', message: 'E39' });
      expect((await call(body('FT00000000000000', '10000'), 400)).body.message).toBe('E44');
    });

    it('allows a second partial refund only when the first set multiTimes (E157), never past the amount (E45)', async () => {
      const once = await paidReference();
      expect((await call(body(once, '10000'), 200)).body).toEqual({
        status: 'SUCCESS',
        message: expect.stringMatching(/^FT\d+$/),
      });
      await new Promise((resolve) => setTimeout(resolve, LOCK_MS + 50));
      expect((await call(body(once, '10000'), 400)).body.message).toBe('E157');

      const many = await paidReference();
      await call(body(many, '10000', { multiTimes: true }), 200);
      // Within the lock of the first request: E158.
      expect((await call(body(many, '10000'), 400)).body.message).toBe('E158');
      await new Promise((resolve) => setTimeout(resolve, LOCK_MS + 50));
      expect((await call(body(many, '50000'), 400)).body.message).toBe('E45');
      // Every request takes the lock, a refused one too.
      await new Promise((resolve) => setTimeout(resolve, LOCK_MS + 50));
      await call(body(many, '40000'), 200);
      expect(await amountRefundedUpstream(many)).toBe(50_000);
    });
  });

  describe('POST /api/v1/transactions/:id/refunds', () => {
    const refundTransaction = (id: string, reason: string, key = TEST_OPERATOR_KEY) =>
      postRefund(t.url, `/api/v1/transactions/${id}/refunds`, { reason }, key);

    it('lets an operator refund an unmatched transfer: no payment, SUCCEEDED, never twice', async () => {
      await transfer(t, `chuyen tien nham ${randomUUID().slice(0, 8)}`, 77_000);
      const [row] = await dataSource.query(
        `SELECT id FROM bank_transaction WHERE status = 'unmatched' AND amount = 77000 ORDER BY seq DESC LIMIT 1`,
      );
      const forbidden = await refundTransaction(row.id, 'not ours', TEST_API_KEY).expect(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
      const res = await refundTransaction(row.id, 'not ours').expect(201);
      expect(res.body).toMatchObject({ paymentId: null, transactionId: row.id, amount: 77_000 });
      expect((await settled(t.url, res.body.id, 20_000, TEST_OPERATOR_KEY)).status).toBe('SUCCEEDED');
      const again = await refundTransaction(row.id, 'again').expect(422);
      expect(again.body.details).toMatchObject({ refundable: 0 });
      // Off the review queue while (and once) refunded: nobody links it to a payment.
      const [item] = await dataSource.query(
        `SELECT status, dismissal_note AS note FROM bank_transaction WHERE id = $1`,
        [row.id],
      );
      expect(item).toEqual({ status: 'dismissed', note: `Being refunded: refund ${res.body.id}` });
      // Money of no client: its event goes to the operator's endpoint that lists it.
      await eventually('refund.succeeded at the operator endpoint', () =>
        operatorReceiver.received.find(
          (r) => r.json.type === 'refund.succeeded' && (r.json.data as any).refund.id === res.body.id,
        ),
      );
    });

    it('puts unmatched money back on the review queue when its refund fails', async () => {
      await transfer(t, `nham lan ${randomUUID().slice(0, 8)}`, 66_000);
      const [row] = await dataSource.query(
        `SELECT id FROM bank_transaction WHERE status = 'unmatched' AND amount = 66000 ORDER BY seq DESC LIMIT 1`,
      );
      state.nextRefund({ failWith: 'E44' });
      const res = await refundTransaction(row.id, 'not ours').expect(201);
      const refund = await settled(t.url, res.body.id, 20_000, TEST_OPERATOR_KEY);
      expect(refund).toMatchObject({ status: 'FAILED', failureCode: 'E44' });
      const [item] = await dataSource.query(`SELECT status FROM bank_transaction WHERE id = $1`, [row.id]);
      expect(item.status).toBe('unmatched');
    });

    it('refunds late money from the review queue too, counted on its payment', async () => {
      const payment = await createPayment(t, { amount: 21_000 });
      await request(t.url)
        .post(`/api/v1/payments/${payment.id}/cancel`)
        .set('X-API-Key', TEST_API_KEY)
        .send({})
        .expect(200);
      await transfer(t, payment.qr.content, 21_000);
      const [{ id }] = await dataSource.query(
        `SELECT bank_transaction_id AS id FROM payment_transaction WHERE payment_id = $1`,
        [payment.id],
      );
      const res = await refundTransaction(id, 'late money').expect(201);
      expect(res.body).toMatchObject({ paymentId: payment.id, transactionId: id });
      expect((await settled(t.url, res.body.id)).status).toBe('SUCCEEDED');
      expect(await getPayment(t.url, payment.id)).toMatchObject({
        amountRefunded: 21_000,
        refundStatus: 'full',
      });
      await refundOf(payment.id).expect(422);
    });

    it('refuses a linked transfer (409 TRANSACTION_NOT_REFUNDABLE): its payment is refunded instead', async () => {
      const payment = await paidPayment(11_000);
      const [{ id }] = await dataSource.query(
        `SELECT bank_transaction_id AS id FROM payment_transaction WHERE payment_id = $1`,
        [payment.id],
      );
      const res = await refundTransaction(id, 'x').expect(409);
      expect(res.body.code).toBe('TRANSACTION_NOT_REFUNDABLE');
    });
  });

  describe('GET /api/v1/refunds', () => {
    it("lists a client's own refunds, newest first, by payment and status", async () => {
      const payment = await paidPayment(9_000);
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      const mine = await request(t.url)
        .get('/api/v1/refunds')
        .query({ paymentId: payment.id })
        .set('X-API-Key', TEST_API_KEY)
        .expect(200);
      expect(mine.body.data.map((r: { id: string }) => r.id)).toEqual([refund.id]);
      const theirs = await request(t.url).get('/api/v1/refunds').set('X-API-Key', OTHER_API_KEY).expect(200);
      expect(theirs.body.data).toEqual([]);
      await request(t.url).get(`/api/v1/refunds/${refund.id}`).set('X-API-Key', OTHER_API_KEY).expect(404);
      const page = await request(t.url)
        .get('/api/v1/refunds')
        .query({ status: 'SUCCEEDED', limit: 1 })
        .set('X-API-Key', TEST_API_KEY)
        .expect(200);
      expect(page.body.data).toHaveLength(1);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      // An operator sees every client's refunds and any one of them.
      const all = await request(t.url)
        .get('/api/v1/refunds')
        .query({ paymentId: payment.id })
        .set('X-API-Key', TEST_OPERATOR_KEY)
        .expect(200);
      expect(all.body.data.map((r: { id: string }) => r.id)).toEqual([refund.id]);
      await request(t.url)
        .get(`/api/v1/refunds/${refund.id}`)
        .set('X-API-Key', TEST_OPERATOR_KEY)
        .expect(200);
    });

    it('keeps the manual path to operators (403 for an order system)', async () => {
      const payment = await paidPayment(8_000);
      const refund = await settled(t.url, (await refundOf(payment.id).expect(201)).body.id);
      await request(t.url)
        .post(`/api/v1/refunds/${refund.id}/complete`)
        .set('X-API-Key', TEST_API_KEY)
        .send({ reference: 'FT1' })
        .expect(403);
    });
  });

  describe('events', () => {
    it('sends refund.succeeded, refund.failed and refund.requires_action to the owning client, signed', async () => {
      await eventually('refund events', () => {
        const types = new Set(receiver.received.map((r) => r.json.type));
        return (
          types.has('refund.succeeded') && types.has('refund.failed') && types.has('refund.requires_action')
        );
      });
      const event = receiver.received.find((r) => r.json.type === 'refund.succeeded')!;
      expect(event.headers['webhook-signature']).toMatch(/^v1,/);
      expect(event.json.data).toMatchObject({ refund: { status: 'SUCCEEDED', id: expect.any(String) } });
    });
  });
});
