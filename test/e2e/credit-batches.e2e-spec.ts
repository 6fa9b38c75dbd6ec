import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransactionSyncService } from '../../src/modules/transaction-sync/transaction-sync.service.js';
import { createPayment } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';
import { poisonInserts } from '../support/poison.js';
import { eventually } from '../support/webhook-receiver.js';

// Callbacks' credits share database transactions (CREDIT_BATCH_SIZE, #17). To know what shares one, these
// tests fill both batch slots with lone credits waiting on payments a test connection holds: whatever is
// delivered meanwhile queues, and goes as one batch when they end. Rows written by one transaction share xmin.
// They need a second session's row locks: the embedded database runs every connection in one session.
const describeOnPostgres = process.env.VQG_TEST_DATABASE_EMBEDDED === '1' ? describe.skip : describe;

describeOnPostgres(`${TransactionSyncService.name}: credits in shared transactions`, () => {
  let t: TestApp;
  let db: DataSource;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ CREDIT_BATCH_SIZE: '16', CREDIT_BATCH_CONCURRENCY: '2', DB_POOL_SIZE: '6' });
    db = t.app.get(DataSource);
    token = await partnerToken(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  const deliver = (body: Record<string, unknown>) =>
    request(t.url).post('/vqr/bank/api/transaction-sync').set('Authorization', `Bearer ${token}`).send(body);
  const paying = (payment: any, extra: Record<string, unknown> = {}) =>
    vietqrDelivery({ amount: payment.amount, content: payment.qr.content, orderId: '', ...extra });
  const status = async (id: string) =>
    (await request(t.url).get(`/api/v1/payments/${id}`).set('X-API-Key', TEST_API_KEY).expect(200)).body
      .status;
  const ledger = (ids: string[]): Promise<Array<{ id: string; xmin: string; status: string }>> =>
    db.query(`SELECT id, xmin::text AS xmin, status FROM bank_transaction WHERE id = ANY($1)`, [ids]);

  /** A connection of the test's holding the given payments' locks until release(). */
  async function hold(paymentIds: string[]) {
    const client = new pg.Client({ connectionString: t.config.database.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM payment WHERE id = ANY($1) FOR UPDATE', [paymentIds]);
    return {
      release: async () => {
        await client.query('COMMIT');
        await client.end();
      },
    };
  }

  const waitingOnLocks = async () =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`,
      )
    )[0].n as number;

  /** Both batch slots busy: two lone credits waiting on payments held by the returned connection. */
  async function fillSlots() {
    const [a, b] = [await createPayment(t), await createPayment(t)];
    const holder = await hold([a.id, b.id]);
    const first = deliver(paying(a)).then((r) => r);
    await eventually('one credit waiting on a lock', async () => (await waitingOnLocks()) >= 1);
    const second = deliver(paying(b)).then((r) => r);
    await eventually('two credits waiting on locks', async () => (await waitingOnLocks()) >= 2);
    return {
      release: async () => {
        await holder.release();
        for (const res of await Promise.all([first, second])) expect(res.status).toBe(200);
      },
    };
  }

  it('records queued credits in one transaction, and answers each only once its row is committed', async () => {
    const payments = await Promise.all(Array.from({ length: 10 }, () => createPayment(t)));
    const slots = await fillSlots();
    const visibleAtAnswer: boolean[] = [];
    const answers = payments.map((p) =>
      deliver(paying(p)).then(async (res) => {
        // Read from another connection the moment the answer arrives: the row must be there already.
        const id = res.body.object?.reftransactionid;
        visibleAtAnswer.push((await ledger([id])).length === 1);
        return res;
      }),
    );
    // All ten are queued behind the two waiting credits: nothing of theirs is answered or written yet.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(visibleAtAnswer).toEqual([]);
    await slots.release();

    const results = await Promise.all(answers);
    expect(results.map((r) => [r.status, r.body.errorReason])).toEqual(Array(10).fill([200, '000']));
    expect(visibleAtAnswer).toEqual(Array(10).fill(true));
    const rows = await ledger(results.map((r) => r.body.object.reftransactionid));
    expect(rows.map((r) => r.status)).toEqual(Array(10).fill('linked'));
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(1);
    for (const p of payments) expect(await status(p.id)).toBe('PAID');
    // Operators see it: the batch of ten is counted in its histogram's bucket.
    const metrics = (await request(t.url).get('/metrics').expect(200)).text;
    expect(Number(/^credit_batch_size_bucket\{le="16"\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(
      Number(/^credit_batch_size_bucket\{le="8"\} (\d+)/m.exec(metrics)?.[1]),
    );
  });

  it("keeps one batch's credits apart when they pay the same payment or are copies of one transfer", async () => {
    const payment = await createPayment(t, { amount: 100_000 });
    const copy = paying(payment, { amount: 30_000 });
    const slots = await fillSlots();
    const answers = Promise.all([
      deliver(paying(payment, { amount: 30_000 })),
      deliver(copy),
      deliver(copy),
      deliver(paying(payment, { amount: 70_000 })),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await slots.release();
    const results = await answers;
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results[1].body.object.reftransactionid).toBe(results[2].body.object.reftransactionid);
    const paid = (await request(t.url).get(`/api/v1/payments/${payment.id}`).set('X-API-Key', TEST_API_KEY))
      .body;
    expect(paid).toMatchObject({ status: 'OVERPAID', amountPaid: 130_000 });
    expect(paid.transactions).toHaveLength(3);
  });

  describe('a failing credit', () => {
    const POISON = 'FTPOISON';
    let poisoned: { remove: () => Promise<unknown> };
    beforeAll(async () => {
      // An insert that fails for one reference only: a fault in one credit of a batch.
      poisoned = await poisonInserts(db, 'bank_transaction', 'reference', POISON);
    });
    afterAll(async () => {
      await poisoned.remove();
    });

    it('fails only itself: the others of its batch are recorded, and it is recorded once the fault is gone', async () => {
      const payments = await Promise.all(Array.from({ length: 6 }, () => createPayment(t)));
      const poison = paying(payments[2], { referencenumber: `${POISON}${Date.now()}` });
      const slots = await fillSlots();
      const answers = Promise.all(payments.map((p, i) => deliver(i === 2 ? poison : paying(p))));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await slots.release();
      const results = await answers;

      expect(results.map((r) => r.status)).toEqual([200, 200, 500, 200, 200, 200]);
      expect(results[2].body).toMatchObject({ error: true });
      expect((await request(t.url).get('/metrics').expect(200)).text).toMatch(
        /^credit_batches_failed_total [1-9]/m,
      );
      expect(
        await db.query(`SELECT id FROM bank_transaction WHERE reference = $1`, [poison.referencenumber]),
      ).toEqual([]);
      for (const [i, p] of payments.entries()) expect(await status(p.id)).toBe(i === 2 ? 'PENDING' : 'PAID');

      await poisoned.remove();
      const again = await deliver(poison).expect(200);
      expect((await ledger([again.body.object.reftransactionid]))[0].status).toBe('linked');
      expect(await status(payments[2].id)).toBe('PAID');
    });
  });

  it('does not hold its batch up behind a payment another transaction holds', async () => {
    const [held, ...others] = await Promise.all(Array.from({ length: 5 }, () => createPayment(t)));
    const slow = await hold([held.id]);
    try {
      const slots = await fillSlots();
      const heldAnswer = deliver(paying(held)).then((r) => r); // sent now, not when awaited
      const otherAnswers = Promise.all(others.map((p) => deliver(paying(p))));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await slots.release();
      // The batch finds the held payment locked, and its credits run alone: the others are answered while
      // that payment is still held.
      const results = await otherAnswers;
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      for (const p of others) expect(await status(p.id)).toBe('PAID');
      expect(await status(held.id)).toBe('PENDING');
      await slow.release();
      expect((await heldAnswer).status).toBe(200);
      expect(await status(held.id)).toBe('PAID');
    } finally {
      await slow.release().catch(() => undefined);
    }
  });
});
