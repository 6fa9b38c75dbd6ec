import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { WebhookDispatcher } from '../../src/modules/webhooks/webhook-dispatcher.service.js';
import { createPayment } from '../support/payments.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';
import { OTHER_API_KEY, startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';
import { eventually, ReceivedWebhook, WebhookReceiver } from '../support/webhook-receiver.js';

// The real producers: a credit over transaction-sync moves the payment, payments writes the event in the same
// transaction, the dispatcher signs and sends it. A database of its own, so no other file's app dispatches.
describe(WebhookDispatcher.name, () => {
  let db: PrivateDatabase;
  let t: TestApp;
  let token: string;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    db = await createPrivateDatabase();
    t = await startTestApp({
      DATABASE_URL: db.url,
      WEBHOOK_DISPATCH_INTERVAL_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    token = await partnerToken(t.url);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all(receivers.map((r) => r.close()));
    await db?.drop();
  });

  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };
  const subscribe = async (key: string, url: string, events?: string[]) =>
    (
      await request(t.url)
        .post('/api/v1/webhook-endpoints')
        .set('X-API-Key', key)
        .send(events ? { url, events } : { url })
        .expect(201)
    ).body as { id: string; secret: string };
  const credit = (overrides: Record<string, unknown>) =>
    request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('Authorization', `Bearer ${token}`)
      .send(vietqrDelivery(overrides))
      .expect(200);
  const verify = (secret: string, message: ReceivedWebhook) =>
    new Webhook(secret).verify(message.body, {
      'webhook-id': message.headers['webhook-id'] as string,
      'webhook-timestamp': message.headers['webhook-timestamp'] as string,
      'webhook-signature': message.headers['webhook-signature'] as string,
    }) as { type: string; data: { payment: any; transaction: any } };
  const aboutPayment = (r: WebhookReceiver, paymentId: string, type: string) =>
    r.received.filter((m) => m.json.type === type && (m.json.data as any).payment?.id === paymentId);

  it('sends payment.paid, signed, to the order system after the credit that pays the payment', async () => {
    const all = await receiver();
    const paidOnly = await receiver();
    const stranger = await receiver();
    const allEndpoint = await subscribe(TEST_API_KEY, all.url);
    const paidEndpoint = await subscribe(TEST_API_KEY, paidOnly.url, ['payment.paid']);
    await subscribe(OTHER_API_KEY, stranger.url);

    const payment = await createPayment(t, { amount: 100_000 });
    await credit({ amount: 40_000, content: payment.qr.content, orderId: '' });
    const last = await credit({ amount: 60_000, content: payment.qr.content, orderId: payment.code });
    const lastId = last.body.object.reftransactionid as string;

    const [paid] = await eventually('payment.paid at the subscribed endpoint', () => {
      const got = aboutPayment(paidOnly, payment.id, 'payment.paid');
      return got.length > 0 && got;
    });
    const event = verify(paidEndpoint.secret, paid);
    expect(event.type).toBe('payment.paid');
    expect(event.data.payment).toMatchObject({
      id: payment.id,
      orderId: payment.orderId,
      status: 'PAID',
      amountPaid: 100_000,
      amountRemaining: 0,
    });
    expect(event.data.transaction).toMatchObject({ id: lastId, amount: 60_000 });
    expect(() => verify(allEndpoint.secret, paid)).toThrow();

    // The all-events endpoint gets both changes, each signed with its own secret.
    await eventually('both events at the all-events endpoint', () => {
      const types = all.received.filter((m) => (m.json.data as any).payment?.id === payment.id);
      return types.length >= 2;
    });
    const mine = all.received.filter((m) => (m.json.data as any).payment?.id === payment.id);
    expect(mine.map((m) => verify(allEndpoint.secret, m).type).sort()).toEqual([
      'payment.paid',
      'payment.partially_paid',
    ]);
    expect(paidOnly.received.map((m) => m.json.type)).toEqual(['payment.paid']);

    // Fan-out happens before any send: by now every endpoint that will get these events has its delivery row.
    const targets: Array<{ endpointId: string }> = await t.app.get(DataSource).query(
      `SELECT d.endpoint_id AS "endpointId" FROM webhook_delivery d
       JOIN outbox_event e ON e.id = d.event_id WHERE e.subject_id = $1`,
      [payment.id],
    );
    expect(new Set(targets.map((r) => r.endpointId))).toEqual(new Set([allEndpoint.id, paidEndpoint.id]));
    expect(stranger.received).toEqual([]);
  });
});
