import request from 'supertest';
import { TransactionReviewController } from '../../src/modules/transaction-sync/transaction-review.controller.js';
import { createPayment } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TEST_OPERATOR_KEY, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';

describe(`${TransactionReviewController.name}: conflicts and dismissal`, () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    token = await partnerToken(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  const sync = (body: Record<string, unknown>) =>
    request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('Authorization', `Bearer ${token}`)
      .send(body)
      .expect(200);
  const payment = async (id: string) =>
    (await request(t.url).get(`/api/v1/payments/${id}`).set('x-api-key', TEST_API_KEY).expect(200)).body;
  const queue = async (status?: string) => {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = {
        limit: 100,
        ...(status ? { status } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const res: request.Response = await request(t.url)
        .get('/api/v1/transactions')
        .query(query)
        .set('x-api-key', TEST_OPERATOR_KEY)
        .expect(200);
      items.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  };
  const link = (id: string, paymentId: string) =>
    request(t.url)
      .post(`/api/v1/transactions/${id}/link`)
      .set('x-api-key', TEST_OPERATOR_KEY)
      .send({ paymentId });
  const dismiss = (id: string, body: unknown, key = TEST_OPERATOR_KEY) =>
    request(t.url)
      .post(`/api/v1/transactions/${id}/dismiss`)
      .set('x-api-key', key)
      .send(body as object);

  /** Reference R pays A in full; R re-delivered with another amount is the conflict. */
  const paidAndConflict = async () => {
    const a = await createPayment(t, { amount: 100_000 });
    const first = vietqrDelivery({ amount: 100_000, content: a.qr.content, orderId: a.code });
    await sync(first);
    await sync({ ...first, amount: 100_001 });
    const conflict = (await queue('conflict')).find((i) => i.reference === first.referencenumber);
    expect(conflict).toMatchObject({ status: 'conflict', amount: 100_001 });
    return { a, conflict };
  };

  it('never links a conflict to a new payment: 409 TRANSACTION_NOT_LINKABLE, B stays PENDING', async () => {
    const { conflict } = await paidAndConflict();
    const b = await createPayment(t, { amount: 100_001 });
    const res = await link(conflict.id, b.id).expect(409);
    expect(res.body).toMatchObject({ code: 'TRANSACTION_NOT_LINKABLE', details: { status: 'conflict' } });
    expect(await payment(b.id)).toMatchObject({ status: 'PENDING', amountPaid: 0, transactions: [] });
  });

  it('never links a conflict back to the paid payment: A stays PAID 100 000', async () => {
    const { a, conflict } = await paidAndConflict();
    await link(conflict.id, a.id).expect(409);
    const after = await payment(a.id);
    expect(after).toMatchObject({ status: 'PAID', amountPaid: 100_000 });
    expect(after.transactions).toHaveLength(1);
  });

  it('dismisses a conflict with a note: status dismissed, actor and note recorded, off the default queue', async () => {
    const { conflict } = await paidAndConflict();
    const res = await dismiss(conflict.id, { note: 'bank re-sent FT with a typo in the amount' }).expect(200);
    expect(res.body).toMatchObject({
      id: conflict.id,
      status: 'dismissed',
      dismissedBy: 'client:ops',
      dismissedAt: expect.any(String),
      dismissalNote: 'bank re-sent FT with a typo in the amount',
    });
    expect((await queue()).map((i) => i.id)).not.toContain(conflict.id);
    expect((await queue('conflict')).map((i) => i.id)).not.toContain(conflict.id);
    const dismissed = (await queue('dismissed')).find((i) => i.id === conflict.id);
    expect(dismissed).toMatchObject({ status: 'dismissed', dismissalNote: expect.any(String) });
    // Dismissed is final: neither linked nor dismissed again.
    expect((await link(conflict.id, (await createPayment(t)).id).expect(409)).body.code).toBe(
      'TRANSACTION_NOT_LINKABLE',
    );
    expect((await dismiss(conflict.id, { note: 'again' }).expect(409)).body.code).toBe(
      'TRANSACTION_NOT_DISMISSABLE',
    );
  });

  it('dismisses an unmatched credit too', async () => {
    const body = vietqrDelivery({ content: 'no code at all' });
    const { body: answer } = await sync(body);
    const id = answer.object.reftransactionid as string;
    await dismiss(id, { note: 'test transfer from our own account' }).expect(200);
    expect((await queue('unmatched')).map((i) => i.id)).not.toContain(id);
  });

  it('requires a note of 1-500 characters, an operator key, and a known item', async () => {
    const { body: answer } = await sync(vietqrDelivery({ content: 'to be dismissed' }));
    const id = answer.object.reftransactionid as string;
    for (const body of [{}, { note: '' }, { note: 'x'.repeat(501) }, { note: 5 }, { note: 'ok', extra: 1 }]) {
      const res = await dismiss(id, body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await dismiss(id, { note: 'mine' }, TEST_API_KEY).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await dismiss('5d0c2e59-8a44-4b6e-9f0e-3b1f2f6a7c11', { note: 'x' }).expect(404)).body.code).toBe(
      'TRANSACTION_NOT_FOUND',
    );
    await dismiss('not-a-uuid', { note: 'x' }).expect(400);
    await dismiss(id, { note: 'x'.repeat(500) }).expect(200);
  });
});
