import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransactionSyncController } from '../../src/modules/vietqr-partner/transaction-sync.controller.js';
import { createPayment } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';

// The same bank transfer, as a bank or VietQR may spell it on a re-delivery.
const SPELLINGS: Array<[string, (d: Record<string, unknown>) => Record<string, unknown>]> = [
  ['a leading space in bankaccount', (d) => ({ ...d, bankaccount: ' 0123456789' })],
  ['spaces inside bankaccount', (d) => ({ ...d, bankaccount: '0123 456 789' })],
  ['dashes inside bankaccount', (d) => ({ ...d, bankaccount: '0123-456-789' })],
  ['a trailing space in bankaccount', (d) => ({ ...d, bankaccount: '0123456789 ' })],
  ['the reference lower-cased', (d) => ({ ...d, referencenumber: String(d.referencenumber).toLowerCase() })],
  ['a trailing space in the reference', (d) => ({ ...d, referencenumber: `${String(d.referencenumber)} ` })],
  ['no referencenumber, the same transactionid', (d) => ({ ...d, referencenumber: '' })],
  ['another referencenumber, the same transactionid', (d) => ({ ...d, referencenumber: 'FT-ELSEWHERE-1' })],
  [
    'the transactionid in the camelCase spelling',
    (d) => ({ ...d, referencenumber: undefined, transactionId: d.transactionid, transactionid: undefined }),
  ],
];

describe(`${TransactionSyncController.name}: one transfer, one ledger row`, () => {
  let t: TestApp;
  let db: DataSource;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
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
  const ledgerRows = async (transactionId: string, reference: string) =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM bank_transaction
          WHERE transaction_id ILIKE $1 OR reference_key = upper($2)`,
        [transactionId, reference],
      )
    )[0].n as number;

  it.each(SPELLINGS)(
    'counts a re-delivery with %s once: PAID 100 000, ledger +0, same id',
    async (_, respell) => {
      const payment = await createPayment(t, { amount: 100_000 });
      const first = vietqrDelivery({ amount: 100_000, content: payment.qr.content, orderId: payment.code });
      const recorded = await sync(first);
      expect(recorded.body.toastMessage).toBe('Transaction recorded');
      const id = recorded.body.object.reftransactionid;
      const before = await ledgerRows(String(first.transactionid), String(first.referencenumber));

      const again = await sync(respell(first));
      expect(again.body).toMatchObject({
        error: false,
        toastMessage: 'Transaction already recorded',
        object: { reftransactionid: id },
      });
      expect(await ledgerRows(String(first.transactionid), String(first.referencenumber))).toBe(before);
      const after = await request(t.url)
        .get(`/api/v1/payments/${payment.id}`)
        .set('x-api-key', TEST_API_KEY)
        .expect(200);
      expect(after.body).toMatchObject({ status: 'PAID', amountPaid: 100_000 });
      expect(after.body.transactions).toHaveLength(1);
    },
  );

  it('keeps every spelling at once as one transfer (the issue’s OVERPAID 500 000 stays PAID 100 000)', async () => {
    const payment = await createPayment(t, { amount: 100_000 });
    const first = vietqrDelivery({ amount: 100_000, content: payment.qr.content, orderId: payment.code });
    const id = (await sync(first)).body.object.reftransactionid;
    for (const [, respell] of SPELLINGS) {
      expect((await sync(respell(first))).body.object.reftransactionid).toBe(id);
    }
    const after = await request(t.url)
      .get(`/api/v1/payments/${payment.id}`)
      .set('x-api-key', TEST_API_KEY)
      .expect(200);
    expect(after.body).toMatchObject({ status: 'PAID', amountPaid: 100_000 });
  });

  it('treats a known transactionid with another amount as a conflict, whatever its reference', async () => {
    const payment = await createPayment(t, { amount: 100_000 });
    const first = vietqrDelivery({ amount: 100_000, content: payment.qr.content, orderId: payment.code });
    const id = (await sync(first)).body.object.reftransactionid;
    const other = await sync({ ...first, referencenumber: 'FT-OTHER-REF-2', amount: 100_001 });
    expect(other.body).toMatchObject({
      toastMessage: expect.stringContaining('kept for review'),
      object: { reftransactionid: id },
    });
    const after = await request(t.url)
      .get(`/api/v1/payments/${payment.id}`)
      .set('x-api-key', TEST_API_KEY)
      .expect(200);
    expect(after.body).toMatchObject({ status: 'PAID', amountPaid: 100_000 });
  });

  it('stores the normalised key and keeps the raw body exactly as received', async () => {
    const body = vietqrDelivery({ bankaccount: '0123-456 789', referencenumber: ' ft-lower-case-ref ' });
    const raw = JSON.stringify(body);
    const res = await request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('Authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send(raw)
      .expect(200);
    const [row] = await db.query(
      `SELECT reference, bank_account AS "bankAccount", reference_key AS "referenceKey",
              account_key AS "accountKey", raw_body AS "rawBody"
         FROM bank_transaction WHERE id = $1`,
      [res.body.object.reftransactionid],
    );
    // The key is normalised; what VietQR sent (and knows the transfer by) is kept beside it.
    expect(row).toEqual({
      reference: ' ft-lower-case-ref ',
      bankAccount: '0123-456 789',
      referenceKey: 'FT-LOWER-CASE-REF',
      accountKey: '0123456789',
      rawBody: raw,
    });
  });

  it('still records two different transfers that share nothing but the reference spelling of another account', async () => {
    const a = vietqrDelivery({ referencenumber: 'FT-SHARED-REF-3', bankaccount: '0123456789' });
    const b = vietqrDelivery({ referencenumber: 'FT-SHARED-REF-3', bankaccount: '9876543210' });
    const first = (await sync(a)).body;
    const second = (await sync(b)).body;
    expect(second.toastMessage).toBe('Transaction recorded');
    expect(second.object.reftransactionid).not.toBe(first.object.reftransactionid);
  });
});
