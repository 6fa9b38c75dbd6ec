import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransactionSyncService } from '../../src/modules/transaction-sync/transaction-sync.service.js';
import { createPayment } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';
import { eventually } from '../support/webhook-receiver.js';

// A lone credit for a payment this instance created is decided before the database answers and sent in
// one round trip; whenever the guess is wrong (the payment changed, the transfer was recorded) nothing of
// it is kept and it is decided again in two. Every credit here is alone (CREDIT_BATCH_SIZE=1).
describe(`${TransactionSyncService.name}: credits in one round trip`, () => {
  let t: TestApp;
  let db: DataSource;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ CREDIT_BATCH_SIZE: '1', DB_POOL_SIZE: '8' });
    db = t.app.get(DataSource);
    token = await partnerToken(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  const deliver = (body: Record<string, unknown>) =>
    request(t.url).post('/vqr/bank/api/transaction-sync').set('Authorization', `Bearer ${token}`).send(body);
  const paying = (payment: any, extra: Record<string, unknown> = {}) =>
    vietqrDelivery({
      amount: payment.amount,
      orderId: payment.code,
      content: `${payment.code} tt`,
      ...extra,
    });
  const payment = async (id: string) =>
    (await request(t.url).get(`/api/v1/payments/${id}`).set('X-API-Key', TEST_API_KEY).expect(200)).body;
  const oneTrip = async () => {
    const text = (await request(t.url).get('/metrics').expect(200)).text;
    const count = (outcome: string) =>
      Number(new RegExp(`^credit_one_trip_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1]);
    return { committed: count('committed'), decidedAgain: count('decided_again') };
  };
  const counted = async (work: () => Promise<unknown>) => {
    const before = await oneTrip();
    await work();
    const after = await oneTrip();
    return {
      committed: after.committed - before.committed,
      decidedAgain: after.decidedAgain - before.decidedAgain,
    };
  };

  it('commits a credit for a payment it created in one trip, every row and event on one clock', async () => {
    const p = await createPayment(t, { amount: 100_000 });
    let id = '';
    const counts = await counted(async () => {
      const res = await deliver(paying(p)).expect(200);
      expect(res.body.errorReason).toBe('000');
      id = res.body.object.reftransactionid;
    });
    expect(counts).toEqual({ committed: 1, decidedAgain: 0 });
    const paid = await payment(p.id);
    expect(paid).toMatchObject({ status: 'PAID', amountPaid: 100_000 });
    const [row] = await db.query(
      `SELECT b.status, b.payment_id AS "paymentId", b.received_at AS "ledgerReceived",
              t.received_at AS "linkReceived", t.linked_at AS "linkedAt", p.updated_at AS "updatedAt"
         FROM bank_transaction b JOIN payment_transaction t ON t.bank_transaction_id = b.id
         JOIN payment p ON p.id = t.payment_id WHERE b.id = $1`,
      [id],
    );
    expect(row).toMatchObject({ status: 'linked', paymentId: p.id });
    const times = [row.ledgerReceived, row.linkReceived, row.linkedAt, row.updatedAt].map((d: Date) =>
      d.toISOString(),
    );
    expect(new Set(times).size).toBe(1);
    const [event] = await db.query(
      `SELECT payload FROM outbox_event WHERE subject_id = $1 AND type = 'payment.paid'`,
      [p.id],
    );
    expect(event.payload.data.transaction).toMatchObject({ receivedAt: times[0], linkedAt: times[0] });
    expect(event.payload.data.payment).toMatchObject({ status: 'PAID', updatedAt: times[0] });
  });

  it('decides again, in two trips, a credit for a payment that changed since it was created', async () => {
    const cancelled = await createPayment(t);
    await request(t.url)
      .post(`/api/v1/payments/${cancelled.id}/cancel`)
      .set('X-API-Key', TEST_API_KEY)
      .send({ reason: 'customer left' })
      .expect(200);
    // Any write counts, even one the credit's decision does not read (a refund's totals are such a write).
    const touched = await createPayment(t, { amount: 50_000 });
    await db.query(`UPDATE payment SET amount_refunded = amount_refunded WHERE id = $1`, [touched.id]);

    const counts = await counted(async () => {
      await deliver(paying(cancelled)).expect(200);
      await deliver(paying(touched)).expect(200);
    });
    expect(counts).toEqual({ committed: 0, decidedAgain: 2 });
    expect(await payment(cancelled.id)).toMatchObject({ status: 'CANCELLED', amountPaid: 0 });
    expect(await payment(touched.id)).toMatchObject({ status: 'PAID', amountPaid: 50_000 });
    const [late] = await db.query(`SELECT status FROM bank_transaction WHERE payment_id = $1`, [
      cancelled.id,
    ]);
    expect(late.status).toBe('late');
  });

  it('decides again a re-delivery of a transfer recorded before, keeping the first record', async () => {
    const p = await createPayment(t, { amount: 70_000 });
    // First delivered without a word of the payment (left for review), then again naming it.
    const first = paying(p, { orderId: '', content: 'chuyen khoan' });
    const firstId = (await deliver(first).expect(200)).body.object.reftransactionid;
    const counts = await counted(async () => {
      const again = await deliver({ ...first, orderId: p.code }).expect(200);
      expect(again.body.object.reftransactionid).toBe(firstId);
    });
    expect(counts).toEqual({ committed: 0, decidedAgain: 1 });
    const rows = await db.query(`SELECT status FROM bank_transaction WHERE id = $1`, [firstId]);
    expect(rows).toEqual([{ status: 'unmatched' }]);
    expect(await payment(p.id)).toMatchObject({ status: 'PENDING', amountPaid: 0 });
  });

  it('counts twenty concurrent copies of one transfer once', async () => {
    const p = await createPayment(t, { amount: 100_000 });
    const copy = paying(p, { amount: 40_000 });
    const results = await Promise.all(Array.from({ length: 20 }, () => deliver(copy)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.object.reftransactionid)).size).toBe(1);
    const rows = await db.query(`SELECT count(*)::int AS n FROM bank_transaction WHERE reference = $1`, [
      copy.referencenumber,
    ]);
    expect(rows[0].n).toBe(1);
    expect(await payment(p.id)).toMatchObject({ status: 'PARTIALLY_PAID', amountPaid: 40_000 });
  });

  // Needs a second session's row lock: the embedded database runs every connection in one session.
  const onPostgres = process.env.VQG_TEST_DATABASE_EMBEDDED === '1' ? it.skip : it;
  onPostgres('decides again a credit whose payment changed while it waited for the lock', async () => {
    const p = await createPayment(t, { amount: 100_000 });
    const other = new pg.Client({ connectionString: t.config.database.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM payment WHERE id = $1 FOR UPDATE`, [p.id]);
      let answered = false;
      const before = await oneTrip();
      const answer = deliver(paying(p)).then((r) => {
        answered = true;
        return r;
      });
      await eventually('the credit waiting on the lock', async () => {
        const [{ n }] = await db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%expect_unchanged%'`,
        );
        return n === 1;
      });
      await other.query(`UPDATE payment SET status = 'CANCELLED', updated_at = now() WHERE id = $1`, [p.id]);
      expect(answered).toBe(false);
      await other.query('COMMIT');
      expect((await answer).status).toBe(200);
      const after = await oneTrip();
      expect(after.decidedAgain - before.decidedAgain).toBe(1);
      expect(after.committed - before.committed).toBe(0);
    } finally {
      await other.end();
    }
    // Decided on the payment as committed meanwhile: late money, the payment not revived.
    expect(await payment(p.id)).toMatchObject({ status: 'CANCELLED', amountPaid: 0 });
    const [row] = await db.query(`SELECT status FROM bank_transaction WHERE payment_id = $1`, [p.id]);
    expect(row.status).toBe('late');
  });
});
