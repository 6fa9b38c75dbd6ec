import request from 'supertest';
import { Database } from '../../src/database/database.js';
import { ReportsController } from '../../src/modules/reports/reports.controller.js';
import { csvRecords, parseCsv } from '../support/csv.js';
import { createPayment } from '../support/payments.js';
import {
  OTHER_API_KEY,
  startTestApp,
  TEST_API_KEY,
  TEST_OPERATOR_KEY,
  TestApp,
} from '../support/test-app.js';
import { postRefund, settled } from '../support/refunds.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';

// One Vietnamese day, far from any other test's rows, holding a credit of every outcome: the statement's
// totals must be those of the day's ledger rows as the export lists them.
const year = 2040 + Math.floor(Math.random() * 50);
const DAY = `${year}-03-15`;
const NEXT = `${year}-03-16`;
const dayStart = new Date(`${DAY}T00:00:00.000+07:00`);
const dayEnd = new Date(`${NEXT}T00:00:00.000+07:00`);
const UNMATCHED_CONTENT = '=Chuyển tiền, "quà" Tết';

describe(ReportsController.name, () => {
  let t: TestApp;
  let token: string;
  const refs: Record<string, string> = {};
  const payments: Record<string, any> = {};
  let refundId: string;

  const credit = (fields: Record<string, unknown>) =>
    request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('Authorization', `Bearer ${token}`)
      .send(vietqrDelivery(fields))
      .expect(200);
  const pay = async (name: string, p: any) => {
    refs[name] = `FT${name.toUpperCase()}${Date.now()}`;
    await credit({ referencenumber: refs[name], orderId: p.code, amount: p.amount, content: p.qr.content });
    payments[name] = p;
  };
  const sql = (text: string, params: unknown[]) => t.app.get(Database).query(text, params);
  const get = (path: string, key = TEST_OPERATOR_KEY) => request(t.url).get(path).set('X-API-Key', key);
  const statement = async (date: string, key = TEST_OPERATOR_KEY) =>
    (await get(`/api/v1/reports/daily?date=${date}`, key).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    token = await partnerToken(t.url);
    await pay('linked', await createPayment(t, { amount: 100_000 }));
    const cancelled = await createPayment(t, { amount: 70_000 });
    await request(t.url)
      .post(`/api/v1/payments/${cancelled.id}/cancel`)
      .set('X-API-Key', TEST_API_KEY)
      .send({})
      .expect(200);
    await pay('late', cancelled);
    refs.unmatched = `FTUNMATCHED${Date.now()}`;
    await credit({ referencenumber: refs.unmatched, amount: 33_000, content: UNMATCHED_CONTENT });
    refs.dismissed = `FTDISMISSED${Date.now()}`;
    const stray = await credit({ referencenumber: refs.dismissed, amount: 9_000, content: 'not for us' });
    await request(t.url)
      .post(`/api/v1/transactions/${stray.body.object.reftransactionid}/dismiss`)
      .set('X-API-Key', TEST_OPERATOR_KEY)
      .send({ note: 'a test transfer by the owner' })
      .expect(200);
    // The same reference again with another amount: kept for review, never money.
    await credit({ referencenumber: refs.linked, orderId: payments.linked.code, amount: 1, content: 'x' });
    refs.debit = `FTDEBIT${Date.now()}`;
    await credit({ referencenumber: refs.debit, amount: 5_000, transType: 'D' });
    // Paid in VietQR's books without a callback, then found by a reconcile request.
    const missed = await createPayment(t, { amount: 45_000 });
    await request(t.url)
      .post(`/api/v1/payments/${missed.id}/simulate`)
      .set('X-API-Key', TEST_API_KEY)
      .send({ deliverCallback: false })
      .expect(200);
    const found = await request(t.url)
      .post(`/api/v1/payments/${missed.id}/reconcile`)
      .set('X-API-Key', TEST_API_KEY)
      .expect(200);
    refs.manual = found.body.transactions[0].reference;
    payments.manual = missed;
    await pay('other', await createPayment(t, { amount: 20_000 }, OTHER_API_KEY));
    // 20 000 of the payment VietQR knows goes back to the payer (by VietQR, or by hand when it cannot).
    const created = await postRefund(t.url, `/api/v1/payments/${payments.manual.id}/refunds`, {
      amount: 20_000,
      reason: 'one item out of stock',
    }).expect(201);
    const refund = await settled(t.url, created.body.id);
    if (refund.status === 'REQUIRES_ACTION') {
      await request(t.url)
        .post(`/api/v1/refunds/${refund.id}/complete`)
        .set('X-API-Key', TEST_OPERATOR_KEY)
        .send({ reference: 'FT40074000000001' })
        .expect(200);
    }
    expect(
      (await request(t.url).get(`/api/v1/refunds/${refund.id}`).set('X-API-Key', TEST_API_KEY)).body,
    ).toMatchObject({
      status: 'SUCCEEDED',
    });
    refundId = refund.id;

    // Into the day: the unmatched credit at its first instant, the linked one at its last millisecond; the
    // other client's at the next day's midnight, which belongs to that day.
    const at = (ref: string, when: Date) =>
      sql(`UPDATE bank_transaction SET received_at = $2 WHERE reference = $1`, [ref, when]);
    const noon = new Date(dayStart.getTime() + 12 * 3600_000);
    for (const name of ['late', 'debit', 'manual', 'dismissed']) await at(refs[name], noon);
    await at(refs.unmatched, dayStart);
    await at(refs.linked, new Date(dayEnd.getTime() - 1));
    await at(refs.other, dayEnd);
    for (const name of ['linked', 'late', 'manual']) {
      await sql(`UPDATE payment SET created_at = $2 WHERE id = $1`, [payments[name].id, noon]);
    }
    await sql(`UPDATE payment SET created_at = $2 WHERE id = $1`, [payments.other.id, dayEnd]);
    await sql(`UPDATE refund SET settled_at = $2 WHERE id = $1`, [refundId, noon]);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /api/v1/reports/daily', () => {
    it("totals the day's ledger rows, including 00:00:00 and 23:59:59.999 Vietnam time, and not the next midnight", async () => {
      const s = await statement(DAY);
      const rows = csvRecords(
        (await get(`/api/v1/transactions/export?from=${DAY}&to=${NEXT}&format=csv`).expect(200)).text,
      );
      const tally = (keep: (r: Record<string, string>) => boolean) => {
        const kept = rows.filter(keep);
        return { count: kept.length, amount: kept.reduce((sum, r) => sum + Number(r.amount_vnd), 0) };
      };
      const money = (r: Record<string, string>) => r.direction === 'credit' && r.conflict_of === '';
      expect(s.credits).toEqual({
        received: tally(money),
        linked: tally((r) => money(r) && r.outcome === 'linked'),
        late: tally((r) => money(r) && r.outcome === 'late'),
        unmatched: tally((r) => money(r) && r.outcome === 'unmatched'),
        dismissed: tally((r) => money(r) && r.outcome === 'dismissed'),
      });
      expect(s.recovered).toEqual(tally((r) => money(r) && r.arrived_via !== 'callback'));
      expect(s.conflicts).toEqual(tally((r) => r.conflict_of !== ''));
      expect(s.debits).toEqual(tally((r) => r.direction === 'debit'));
      expect(s.net).toBe(s.credits.received.amount - s.refunded.amount);

      // And what those rows are: every outcome once, the day's two edges in, the next midnight out.
      expect(s).toMatchObject({
        date: DAY,
        timeZone: 'Asia/Ho_Chi_Minh',
        from: dayStart.toISOString(),
        to: dayEnd.toISOString(),
        scope: 'merchant',
        credits: {
          received: { count: 5, amount: 100_000 + 70_000 + 33_000 + 9_000 + 45_000 },
          linked: { count: 2, amount: 145_000 },
          late: { count: 1, amount: 70_000 },
          unmatched: { count: 1, amount: 33_000 },
          dismissed: { count: 1, amount: 9_000 },
        },
        refunded: { count: 1, amount: 20_000 },
        net: 257_000 - 20_000,
        recovered: { count: 1, amount: 45_000 },
        arrivedVia: { callback: { count: 4 }, reconcile: { count: 0 }, manual: { count: 1, amount: 45_000 } },
        conflicts: { count: 1, amount: 1 },
        debits: { count: 1, amount: 5_000 },
      });
      expect(s.payments).toEqual(
        expect.arrayContaining([
          { status: 'PAID', count: 2, amount: 145_000, amountPaid: 145_000 },
          { status: 'CANCELLED', count: 1, amount: 70_000, amountPaid: 0 },
          { status: 'PENDING', count: 0, amount: 0, amountPaid: 0 },
        ]),
      );
      expect(rows.map((r) => r.reference)).toEqual(expect.arrayContaining([refs.unmatched, refs.linked]));
      expect(rows.map((r) => r.reference)).not.toContain(refs.other);

      const next = await statement(NEXT);
      expect(next.credits.received).toEqual({ count: 1, amount: 20_000 });
    });

    it('gives an order system the transfers to its own payments only', async () => {
      const own = await statement(DAY, TEST_API_KEY);
      expect(own).toMatchObject({
        scope: 'client',
        credits: {
          received: { count: 3, amount: 215_000 },
          linked: { count: 2, amount: 145_000 },
          late: { count: 1, amount: 70_000 },
          unmatched: { count: 0, amount: 0 },
        },
        refunded: { count: 1, amount: 20_000 },
        conflicts: { count: 0 },
        debits: { count: 0 },
      });
      expect((await statement(DAY, OTHER_API_KEY)).credits.received.count).toBe(0);
      expect((await statement(DAY, OTHER_API_KEY)).refunded.count).toBe(0);
      expect((await statement(NEXT, OTHER_API_KEY)).credits.received).toEqual({ count: 1, amount: 20_000 });
    });

    it('gives the same figures as CSV with a byte-order mark', async () => {
      const res = await get(`/api/v1/reports/daily?date=${DAY}&format=csv`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      const lines = parseCsv(res.text);
      expect(lines[0]).toEqual(['section', 'item', 'count', 'amount_vnd', 'amount_paid_vnd']);
      expect(lines).toContainEqual(['credits', 'received', '5', '257000', '']);
      expect(lines).toContainEqual(['credits', 'dismissed', '1', '9000', '']);
      expect(lines).toContainEqual(['refunds', 'refunded', '1', '20000', '']);
      expect(lines).toContainEqual(['net', 'received minus refunded', '', '237000', '']);
      expect(lines).toContainEqual(['credits', 'late', '1', '70000', '']);
      expect(lines).toContainEqual(['payments', 'PAID', '2', '145000', '145000']);
    });

    it('refuses a date that is not one', async () => {
      for (const date of ['2026-02-30', '15/03/2040', '']) {
        const res = await get(`/api/v1/reports/daily?date=${date}`).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('GET /api/v1/transactions/export', () => {
    it('lists each row with both times, how it arrived and its payment, as JSON Lines', async () => {
      const res = await get(`/api/v1/transactions/export?from=${DAY}&to=${NEXT}&format=jsonl`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const rows = res.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(rows).toHaveLength(7);
      expect(rows[0]).toMatchObject({ reference: refs.unmatched, receivedAt: `${DAY}T00:00:00.000+07:00` });
      // Last in time, with its conflicting re-delivery (moved with it, same reference) beside it.
      expect(rows.slice(-2).map((r) => r.reference)).toEqual([refs.linked, refs.linked]);
      expect(rows.find((r) => r.reference === refs.linked && r.conflictOf === null)).toMatchObject({
        reference: refs.linked,
        receivedAt: `${DAY}T23:59:59.999+07:00`,
        bookedOn: DAY,
        bankTime: expect.stringMatching(/\+07:00$/),
        direction: 'credit',
        outcome: 'linked',
        arrivedVia: 'callback',
        amount: 100_000,
        paymentId: payments.linked.id,
        orderId: payments.linked.orderId,
        paymentStatus: 'PAID',
      });
      expect(rows.find((r) => r.reference === refs.manual)).toMatchObject({
        arrivedVia: 'manual',
        paymentId: payments.manual.id,
        paymentStatus: 'PAID',
      });
    });

    it("writes CSV that Excel opens as UTF-8, keeping payers' text from running as a formula", async () => {
      const res = await get(`/api/v1/transactions/export?from=${DAY}&to=${NEXT}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="transactions.csv"');
      const [header] = parseCsv(res.text);
      expect(header).toEqual([
        'id',
        'received_at',
        'booked_on',
        'bank_time',
        'reference',
        'bank_account',
        'amount_vnd',
        'direction',
        'content',
        'outcome',
        'arrived_via',
        'payment_id',
        'order_id',
        'payment_status',
        'vietqr_order_id',
        'conflict_of',
      ]);
      const unmatched = csvRecords(res.text).find((r) => r.reference === refs.unmatched)!;
      expect(unmatched).toMatchObject({
        content: `'${UNMATCHED_CONTENT}`,
        outcome: 'unmatched',
        payment_id: '',
      });
    });

    it('is for operators only', async () => {
      const res = await get('/api/v1/transactions/export', TEST_API_KEY).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('refuses bounds it cannot read', async () => {
      for (const query of [
        'from=yesterday',
        'to=2040-03-15T10:00:00',
        `from=${NEXT}&to=${DAY}`,
        'format=xlsx',
      ]) {
        const res = await get(`/api/v1/transactions/export?${query}`).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('GET /api/v1/payments/export', () => {
    const ids = async (query: string, key: string) =>
      csvRecords((await get(`/api/v1/payments/export?${query}`, key).expect(200)).text).map((r) => r.id);

    it("gives an order system its own payments and an operator everyone's, by creation time", async () => {
      const period = `from=${DAY}&to=${NEXT}`;
      const mine = [payments.linked.id, payments.late.id, payments.manual.id];
      expect((await ids(period, TEST_API_KEY)).sort()).toEqual([...mine].sort());
      expect((await ids(period, TEST_OPERATOR_KEY)).sort()).toEqual([...mine].sort());
      expect(await ids(period, OTHER_API_KEY)).toEqual([]);
      expect(await ids(`from=${NEXT}&to=${year}-03-17`, TEST_OPERATOR_KEY)).toEqual([payments.other.id]);
      expect(await ids(`${period}&status=CANCELLED`, TEST_API_KEY)).toEqual([payments.late.id]);
    });

    it('shows what each payment received, as JSON Lines', async () => {
      const res = await get(
        `/api/v1/payments/export?from=${DAY}&to=${NEXT}&format=jsonl`,
        TEST_API_KEY,
      ).expect(200);
      const late = res.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((p) => p.id === payments.late.id);
      expect(late).toMatchObject({
        orderId: payments.late.orderId,
        client: 'orders',
        status: 'CANCELLED',
        amount: 70_000,
        amountPaid: 0,
        lateAmount: 70_000,
        transfers: 1,
        createdAt: `${DAY}T12:00:00.000+07:00`,
      });
    });
  });
});
