import request from 'supertest';
import { hasUnstorableText } from '../../src/common/text/storable-text.js';
import { DataSource } from 'typeorm';
import { TransactionSyncController } from '../../src/modules/vietqr-partner/transaction-sync.controller.js';
import { createPayment, randomOrderId } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TEST_OPERATOR_KEY, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';
import { WebhookReceiver, eventually } from '../support/webhook-receiver.js';

// Written as JSON escapes, the way a sender's JSON encoder would put them on the wire.
const ODD: Array<[string, string]> = [
  ['a lone high surrogate', '\\ud83d'],
  ['a lone low surrogate', '\\ude00'],
  ['NUL', '\\u0000'],
  ['control characters', '\\u0007\\u001b\\u007f'],
  ['zero-width characters', '\\u200b\\u200d\\ufeff'],
  ['right-to-left marks', '\\u200f\\u202e\\u2067'],
];

describe(`${TransactionSyncController.name}: no credit is lost to the text it carries`, () => {
  let t: TestApp;
  let db: DataSource;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_DISPATCH_INTERVAL_MS: '50' });
    db = t.app.get(DataSource);
    token = await partnerToken(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Sends the JSON text as is, so escapes reach the server exactly as written. */
  const syncRaw = (json: string) =>
    request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('Authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send(json);
  /** A delivery's JSON with `odd` spliced (unescaped) into the given string fields. */
  const withOdd = (body: Record<string, unknown>, odd: string, fields: string[]) => {
    let json = JSON.stringify(body);
    for (const field of fields) {
      json = json.replace(`"${field}":"${String(body[field])}"`, `"${field}":"${String(body[field])}${odd}"`);
    }
    return json;
  };

  it.each(ODD)(
    'records a credit with %s in content and optional strings: 200, raw body kept, payment PAID',
    async (_, odd) => {
      const payment = await createPayment(t, { amount: 100_000 });
      const body = vietqrDelivery({
        amount: 100_000,
        content: `${payment.qr.content} cam on`,
        orderId: payment.code,
        sign: 'signed',
        terminalCode: 'T1',
        urlLink: 'https://example.com/x',
      });
      const json = withOdd(body, odd, ['content', 'sign', 'terminalCode', 'urlLink']);
      const res = await syncRaw(json).expect(200);
      expect(res.body).toMatchObject({ error: false, toastMessage: 'Transaction recorded' });
      const id = res.body.object.reftransactionid;
      const [row] = await db.query(
        `SELECT raw_body AS "rawBody", content, status FROM bank_transaction WHERE id = $1`,
        [id],
      );
      expect(row.rawBody).toBe(json);
      expect(row.status).toBe('linked');
      // Normalised text is well-formed: no NUL, no lone surrogate.
      expect(hasUnstorableText(row.content as string)).toBe(false);
      const after = await request(t.url)
        .get(`/api/v1/payments/${payment.id}`)
        .set('x-api-key', TEST_API_KEY)
        .expect(200);
      expect(after.body).toMatchObject({ status: 'PAID', amountPaid: 100_000 });
      // A re-delivery of the same bytes is the same transaction.
      expect((await syncRaw(json).expect(200)).body).toMatchObject({
        toastMessage: 'Transaction already recorded',
        object: { reftransactionid: id },
      });
    },
  );

  it('records an unmatched credit with a lone surrogate and sends its transaction.unmatched event', async () => {
    const receiver = await WebhookReceiver.start();
    const endpoint = await request(t.url)
      .post('/api/v1/webhook-endpoints')
      .set('x-api-key', TEST_OPERATOR_KEY)
      .send({ url: receiver.url, events: ['transaction.unmatched'] })
      .expect(201);
    try {
      const body = vietqrDelivery({ content: 'no code here', orderId: 'nothing' });
      const res = await syncRaw(withOdd(body, '\\ud83d\\u0000', ['content', 'orderId'])).expect(200);
      const id = res.body.object.reftransactionid;
      const event = await eventually('the event', () =>
        receiver.received.find(
          (m) => m.json.type === 'transaction.unmatched' && (m.json.data as { id: string }).id === id,
        ),
      );
      const data = event.json.data as { content: string; orderId: string };
      expect(data.content).toBe('no code here\ufffd\ufffd');
      expect(data.orderId).toBe('nothing\ufffd\ufffd');
    } finally {
      await request(t.url)
        .delete(`/api/v1/webhook-endpoints/${endpoint.body.id}`)
        .set('x-api-key', TEST_OPERATOR_KEY);
      await receiver.close();
    }
  });

  describe('the order-system API', () => {
    const post = (json: string) =>
      request(t.url)
        .post('/api/v1/payments')
        .set('x-api-key', TEST_API_KEY)
        .set('content-type', 'application/json')
        .send(json);

    it.each([
      [
        'description',
        (odd: string) => `{"orderId":"${randomOrderId()}","amount":1000,"description":"a${odd}"}`,
      ],
      ['orderId', (odd: string) => `{"orderId":"${randomOrderId()}${odd}","amount":1000}`],
      [
        'metadata.note',
        (odd: string) => `{"orderId":"${randomOrderId()}","amount":1000,"metadata":{"note":"x${odd}"}}`,
      ],
    ])('answers 400 naming %s for NUL or a lone surrogate, never 500', async (field, bodyOf) => {
      for (const odd of ['\\u0000', '\\ud83d', '\\udc00']) {
        const res = await post(bodyOf(odd)).expect(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field }] } });
        expect(res.body.message).toContain(field);
      }
    });

    it.each(['\\u0007', '\\u200b', '\\u202e'])('answers 400 naming description for %s in it', async (odd) => {
      const res = await post(
        `{"orderId":"${randomOrderId()}","amount":1000,"description":"a${odd}b"}`,
      ).expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'description' }] },
      });
    });

    it('answers 400 for NUL in a query string, never 500', async () => {
      const res = await request(t.url)
        .get('/api/v1/payments?orderId=a%00b')
        .set('x-api-key', TEST_API_KEY)
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'orderId' }] },
      });
    });
  });
});
