import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PaymentWrites } from '../../src/modules/payments/payment-writes.js';
import { randomOrderId } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';
import { poisonInserts } from '../support/poison.js';
import { eventually } from '../support/webhook-receiver.js';

// New payments' two writes (the row, then its QR) share database transactions with other requests' same write
// (PAYMENT_BATCH_SIZE, #17). To know what shares one, these tests fill both insert slots with lone creations
// waiting on order ids a test connection is inserting: whatever is posted meanwhile queues, and goes as one
// batch when they end. Rows written by one transaction share xmin.
// They need a second session's locks: the embedded database runs every connection in one session.
const describeOnPostgres = process.env.VQG_TEST_DATABASE_EMBEDDED === '1' ? describe.skip : describe;

describeOnPostgres(`${PaymentWrites.name}: new payments in shared transactions`, () => {
  let t: TestApp;
  let db: DataSource;
  let clientId: string;

  beforeAll(async () => {
    // The local QR issuer answers at once: the ten QR of one insert batch reach the store batches together.
    t = await startTestApp({
      PAYMENT_BATCH_SIZE: '16',
      PAYMENT_BATCH_CONCURRENCY: '2',
      DB_POOL_SIZE: '6',
      QR_PROVIDER: 'local',
    });
    db = t.app.get(DataSource);
    [{ id: clientId }] = await db.query(
      `SELECT id FROM api_client WHERE name = 'orders' AND revoked_at IS NULL`,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (orderId: string) =>
    request(t.url)
      .post('/api/v1/payments')
      .set('X-API-Key', TEST_API_KEY)
      .send({ orderId, amount: 100_000 })
      .then((r) => r); // sent now, not when awaited
  const stored = (ids: string[]): Promise<Array<{ id: string; xmin: string; qr: boolean }>> =>
    db.query(`SELECT id, xmin::text AS xmin, qr_code IS NOT NULL AS qr FROM payment WHERE id = ANY($1)`, [
      ids,
    ]);
  const createdHistory = (ids: string[]): Promise<Array<{ xmin: string }>> =>
    db.query(
      `SELECT xmin::text AS xmin FROM payment_history WHERE payment_id = ANY($1) AND reason = 'created'`,
      [ids],
    );

  /** A connection of the test's inserting payments for these order ids, uncommitted until release(). */
  async function inserting(orderIds: string[]) {
    const client = new pg.Client({ connectionString: t.config.database.url });
    await client.connect();
    await client.query('BEGIN');
    for (const orderId of orderIds) {
      await client.query(
        `INSERT INTO payment (client_id, order_id, code, amount, expires_at)
         VALUES ($1, $2, $3, 1000, now() + interval '1 hour')`,
        [clientId, orderId, `VQGT${Math.random().toString(36).slice(2, 10).toUpperCase()}`],
      );
    }
    let open = true;
    return {
      // Rolled back: the creations waiting on these order ids go on and insert theirs.
      release: async () => {
        if (!open) return;
        open = false;
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  }

  const waitingOnInserts = async () =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO payment %'`,
      )
    )[0].n as number;

  /** Both insert slots busy: two lone creations waiting on order ids the returned connection is inserting. */
  async function fillSlots() {
    const [a, b] = [randomOrderId('slot'), randomOrderId('slot')];
    const holder = await inserting([a, b]);
    const first = post(a);
    await eventually('one creation waiting', async () => (await waitingOnInserts()) >= 1);
    const second = post(b);
    await eventually('two creations waiting', async () => (await waitingOnInserts()) >= 2);
    return {
      release: async () => {
        await holder.release();
        for (const res of await Promise.all([first, second])) expect(res.status).toBe(201);
      },
    };
  }

  it('inserts queued payments in one transaction, stores their QR in one, and answers each once committed', async () => {
    const slots = await fillSlots();
    const visibleAtAnswer: boolean[] = [];
    const answers = Array.from({ length: 10 }, () =>
      post(randomOrderId('batched')).then(async (res) => {
        // Read from another connection the moment the answer arrives: the payment and its QR are there.
        visibleAtAnswer.push((await stored([res.body.id]))[0]?.qr === true);
        return res;
      }),
    );
    // All ten are queued behind the two waiting creations: nothing of theirs is answered yet.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(visibleAtAnswer).toEqual([]);
    await slots.release();

    const results = await Promise.all(answers);
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(visibleAtAnswer).toEqual(Array(10).fill(true));
    const ids = results.map((r) => r.body.id);
    expect(new Set(results.map((r) => r.body.code)).size).toBe(10);
    // The ten rows were inserted (with their history) by one transaction, and their QR stored by another.
    const history = await createdHistory(ids);
    expect(history).toHaveLength(10);
    expect(new Set(history.map((h) => h.xmin)).size).toBe(1);
    const rows = await stored(ids);
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(1);
    expect(rows[0].xmin).not.toBe(history[0].xmin);
    const metrics = (await request(t.url).get('/metrics').expect(200)).text;
    for (const write of ['insert', 'store_qr']) {
      const bucket = (le: number) =>
        Number(
          new RegExp(`^payment_write_batch_size_bucket\\{le="${le}",write="${write}"\\} (\\d+)`, 'm').exec(
            metrics,
          )?.[1],
        );
      expect(bucket(16)).toBeGreaterThan(bucket(8));
    }
  });

  it('creates a repeated order id of one batch once, and answers both with that payment', async () => {
    const slots = await fillSlots();
    const orderId = randomOrderId('twice');
    const answers = Promise.all([post(orderId), post(randomOrderId('other')), post(orderId)]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await slots.release();
    const [first, , again] = await answers;
    // As two concurrent POSTs of one order do unbatched: the second finds the first without its QR yet,
    // with the same amount, and resumes it (the QR issuer is idempotent per payment).
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(
      await db.query(`SELECT id FROM payment WHERE client_id = $1 AND order_id = $2`, [clientId, orderId]),
    ).toHaveLength(1);
  });

  describe('a failing write', () => {
    const POISON = 'poison-payment';
    let poisoned: { remove: () => Promise<unknown> };
    beforeAll(async () => {
      // An insert that fails for one order id only: a fault in one payment of a batch.
      poisoned = await poisonInserts(db, 'payment', 'order_id', POISON);
    });
    afterAll(async () => {
      await poisoned.remove();
    });

    it('fails only itself: the others of its batch are created, and it is created once the fault is gone', async () => {
      const poison = randomOrderId(POISON);
      const orderIds = Array.from({ length: 6 }, (_, i) => (i === 2 ? poison : randomOrderId('healthy')));
      const slots = await fillSlots();
      const answers = Promise.all(orderIds.map(post));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await slots.release();
      const results = await answers;

      expect(results.map((r) => r.status)).toEqual([201, 201, 500, 201, 201, 201]);
      expect(results[2].body).toMatchObject({ code: 'INTERNAL_ERROR' });
      expect((await request(t.url).get('/metrics').expect(200)).text).toMatch(
        /^payment_write_batches_failed_total\{write="insert"\} [1-9]/m,
      );
      expect(await db.query(`SELECT id FROM payment WHERE order_id = $1`, [poison])).toEqual([]);
      const created = results.filter((r) => r.status === 201).map((r) => r.body.id);
      expect((await stored(created)).map((r) => r.qr)).toEqual(Array(5).fill(true));

      await poisoned.remove();
      expect((await post(poison)).status).toBe(201);
    });
  });

  it('does not hold its batch up behind an order id another transaction is inserting', async () => {
    const heldOrder = randomOrderId('held');
    const slow = await inserting([heldOrder]);
    try {
      const slots = await fillSlots();
      const heldAnswer = post(heldOrder);
      const otherAnswers = Promise.all(Array.from({ length: 4 }, () => post(randomOrderId('free'))));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await slots.release();
      // The batch waits at most its lock timeout on the held order id, then its writes run alone: the
      // others are answered while that order id is still held.
      const results = await otherAnswers;
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      expect((await stored(results.map((r) => r.body.id))).map((r) => r.qr)).toEqual(Array(4).fill(true));
      expect(await waitingOnInserts()).toBe(1);
      await slow.release();
      expect((await heldAnswer).status).toBe(201);
    } finally {
      await slow.release().catch(() => undefined);
    }
  });
});
