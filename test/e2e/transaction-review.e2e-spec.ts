import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransactionReviewController } from '../../src/modules/transaction-sync/transaction-review.controller.js';
import { createPayment } from '../support/payments.js';
import {
  OTHER_API_KEY,
  startTestApp,
  TEST_API_KEY,
  TEST_OPERATOR_KEY,
  TestApp,
} from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';

describe(TransactionReviewController.name, () => {
  let t: TestApp;
  let db: DataSource;
  let token: string;
  let ordersClientId: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    token = await partnerToken(t.url);
    [{ id: ordersClientId }] = await db.query(
      `SELECT id FROM api_client WHERE name = 'orders' AND revoked_at IS NULL`,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const deliver = async (overrides: Record<string, unknown> = {}) => {
    const body = vietqrDelivery(overrides);
    const res = await request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('Authorization', `Bearer ${token}`)
      .send(body)
      .expect(200);
    return { body, id: res.body.object.reftransactionid as string };
  };

  const list = (key: string, query: Record<string, string | number>) =>
    request(t.url).get('/api/v1/transactions').query(query).set('X-API-Key', key);

  /** Walks every page, so items other test files add at the head do not disturb the assertions. */
  const collect = async (key: string, status: string, limit: number) => {
    const seen: any[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 500; page++) {
      const res: request.Response = await list(
        key,
        cursor ? { status, limit, cursor } : { status, limit },
      ).expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(limit);
      seen.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return seen;
  };

  describe('GET /api/v1/transactions', () => {
    it('lists unmatched credits newest first, with id, reference, amount, content, account and status', async () => {
      const a = await deliver({ content: 'chuyen khoan A', amount: 10000 });
      const b = await deliver({ content: 'chuyen khoan B', amount: '20000' });
      const page = await list(TEST_OPERATOR_KEY, { status: 'unmatched' }).expect(200);
      expect(Object.keys(page.body).sort()).toEqual(['data', 'nextCursor']);
      const all = await collect(TEST_OPERATOR_KEY, 'unmatched', 100);
      const mine = all.filter((i: { id: string }) => [a.id, b.id].includes(i.id));
      expect(mine).toEqual([
        expect.objectContaining({
          id: b.id,
          reference: b.body.referencenumber,
          amount: 20000,
          content: 'chuyen khoan B',
          bankAccount: '0123456789',
          status: 'unmatched',
          unmatchedReason: 'no_match',
          paymentId: null,
        }),
        expect.objectContaining({ id: a.id, amount: 10000, status: 'unmatched' }),
      ]);
    });

    it('pages with limit and an opaque cursor without repeating or skipping items', async () => {
      const made = [await deliver(), await deliver(), await deliver()].map((d) => d.id);
      const seen = await collect(TEST_OPERATOR_KEY, 'unmatched', 2);
      const ids = seen.map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => made.includes(id))).toEqual([...made].reverse());
    });

    it('lists the whole queue (unmatched, late and conflict items) newest first across pages', async () => {
      const first = await deliver();
      const original = await deliver();
      await deliver({ ...original.body, amount: 1 }); // the same transfer, another amount: a conflict
      const late = await deliver();
      await db.query(
        `UPDATE bank_transaction SET status = 'late', payment_id = $2, client_id = $3 WHERE id = $1`,
        [late.id, randomUUID(), ordersClientId],
      );
      const last = await deliver();
      const seen: Array<{ id: string; status: string; conflictOf: string | null }> = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await list(
          TEST_OPERATOR_KEY,
          cursor ? { limit: 2, cursor } : { limit: 2 },
        ).expect(200);
        seen.push(...res.body.data);
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(new Set(seen.map((i) => i.id)).size).toBe(seen.length);
      const conflict = seen.find((i) => i.conflictOf === original.id)!;
      const mine = seen.filter((i) => [first.id, original.id, conflict.id, late.id, last.id].includes(i.id));
      expect(mine.map((i) => [i.id, i.status])).toEqual([
        [last.id, 'unmatched'],
        [late.id, 'late'],
        [conflict.id, 'conflict'],
        [original.id, 'unmatched'],
        [first.id, 'unmatched'],
      ]);
    });

    it('lists conflicting re-deliveries under conflict, pointing at the original', async () => {
      const original = await deliver();
      await deliver({ ...original.body, amount: 1 }); // the same transfer, another amount: a conflict
      const res = await list(TEST_OPERATOR_KEY, { status: 'conflict', limit: 100 }).expect(200);
      const conflict = res.body.data.find((i: { conflictOf: string }) => i.conflictOf === original.id);
      expect(conflict).toMatchObject({
        status: 'conflict',
        amount: 1,
        reference: original.body.referencenumber,
      });
    });

    it('shows an operator every late item, whichever client owns its payment', async () => {
      const late = await deliver();
      await db.query(
        `UPDATE bank_transaction SET status = 'late', payment_id = $2, client_id = $3 WHERE id = $1`,
        [late.id, randomUUID(), ordersClientId],
      );
      const seen = await collect(TEST_OPERATOR_KEY, 'late', 100);
      expect(seen.map((i) => i.id)).toContain(late.id);
    });

    it('answers an order-system key 403 FORBIDDEN: the queue holds other clients’ money and texts', async () => {
      await deliver({ content: 'payer text only an operator may read' });
      for (const key of [TEST_API_KEY, OTHER_API_KEY]) {
        const res = await list(key, { status: 'unmatched' }).expect(403);
        expect(res.body).toMatchObject({ code: 'FORBIDDEN', requestId: expect.any(String) });
        expect(JSON.stringify(res.body)).not.toContain('payer text');
      }
    });

    it('refuses a bad status, limit or cursor, and a missing API key', async () => {
      await list(TEST_OPERATOR_KEY, { status: 'linked' }).expect(400);
      await list(TEST_OPERATOR_KEY, { limit: 0 }).expect(400);
      await list(TEST_OPERATOR_KEY, { limit: 101 }).expect(400);
      const bad = await list(TEST_OPERATOR_KEY, { cursor: 'not-a-cursor' }).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      await request(t.url).get('/api/v1/transactions').expect(401);
    });
  });

  describe('POST /api/v1/transactions/:id/link', () => {
    const link = (key: string, id: string, paymentId: string) =>
      request(t.url).post(`/api/v1/transactions/${id}/link`).set('X-API-Key', key).send({ paymentId });

    it('links an unmatched transaction by hand, records who did it, and takes it off the queue', async () => {
      const { id } = await deliver({ amount: 150000 });
      const payment = await createPayment(t, { amount: 150_000 });
      const paymentId = payment.id as string;
      const res = await link(TEST_OPERATOR_KEY, id, paymentId).expect(200);
      expect(res.body).toMatchObject({
        id,
        status: 'linked',
        paymentId,
        linkedBy: 'client:ops',
        linkedAt: expect.any(String),
      });
      const queue = await collect(TEST_OPERATOR_KEY, 'unmatched', 100);
      expect(queue.map((i) => i.id)).not.toContain(id);

      const paid = await request(t.url)
        .get(`/api/v1/payments/${paymentId}`)
        .set('X-API-Key', TEST_API_KEY)
        .expect(200);
      expect(paid.body).toMatchObject({ status: 'PAID', amountPaid: 150_000, amountRemaining: 0 });
      expect(paid.body.transactions).toEqual([
        expect.objectContaining({ id, amount: 150000, late: false, linkedBy: 'client:ops' }),
      ]);
      expect(paid.body.history.at(-1)).toMatchObject({
        fromStatus: 'PENDING',
        toStatus: 'PAID',
        amountPaid: 150_000,
        actor: 'client:ops',
        bankTransactionId: id,
      });

      const again = await link(TEST_OPERATOR_KEY, id, paymentId).expect(409);
      expect(again.body.code).toBe('TRANSACTION_NOT_LINKABLE');
    });

    it('lets an operator link to any client’s payment, and refuses an order-system key 403', async () => {
      const { id } = await deliver();
      const theirs = await createPayment(t, {}, OTHER_API_KEY);
      const claim = await link(TEST_API_KEY, id, theirs.id).expect(403);
      expect(claim.body.code).toBe('FORBIDDEN');
      const own = await createPayment(t, {}, TEST_API_KEY);
      expect((await link(TEST_API_KEY, id, own.id).expect(403)).body.code).toBe('FORBIDDEN');
      const queue = await collect(TEST_OPERATOR_KEY, 'unmatched', 100);
      expect(queue.map((i) => i.id)).toContain(id);
      const ours = await link(TEST_OPERATOR_KEY, id, theirs.id).expect(200);
      expect(ours.body).toMatchObject({ status: 'linked', paymentId: theirs.id, linkedBy: 'client:ops' });
    });

    it('answers PAYMENT_NOT_FOUND for a payment that does not exist, leaving the item in the queue', async () => {
      const { id } = await deliver();
      const res = await link(TEST_OPERATOR_KEY, id, randomUUID()).expect(404);
      expect(res.body.code).toBe('PAYMENT_NOT_FOUND');
      const queue = await collect(TEST_OPERATOR_KEY, 'unmatched', 100);
      expect(queue.map((i) => i.id)).toContain(id);
    });

    it('does not link a debit', async () => {
      const debit = await deliver({ transType: 'D' });
      expect((await link(TEST_OPERATOR_KEY, debit.id, randomUUID()).expect(409)).body.code).toBe(
        'TRANSACTION_NOT_LINKABLE',
      );
    });

    it('answers 404 for an unknown transaction and 400 for ids that are not UUIDs', async () => {
      expect((await link(TEST_OPERATOR_KEY, randomUUID(), randomUUID()).expect(404)).body.code).toBe(
        'TRANSACTION_NOT_FOUND',
      );
      await link(TEST_OPERATOR_KEY, 'nope', randomUUID()).expect(400);
      const { id } = await deliver();
      const res = await link(TEST_OPERATOR_KEY, id, 'not-a-uuid').expect(400);
      expect(res.body.details.fields[0].field).toBe('paymentId');
      await request(t.url)
        .post(`/api/v1/transactions/${id}/link`)
        .set('X-API-Key', TEST_OPERATOR_KEY)
        .send({ paymentId: randomUUID(), extra: 1 })
        .expect(400);
    });
  });
});
