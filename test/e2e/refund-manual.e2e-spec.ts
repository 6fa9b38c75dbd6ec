import request from 'supertest';
import { RefundCreationService } from '../../src/modules/refunds/refund-creation.service.js';
import { SandboxState } from '../../src/modules/sandbox/sandbox-state.js';
import { createPayment } from '../support/payments.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';
import { getPayment, postRefund, simulate } from '../support/refunds.js';
import { startTestApp, TEST_API_KEY, TEST_OPERATOR_KEY, TestApp } from '../support/test-app.js';
import { eventually, WebhookReceiver } from '../support/webhook-receiver.js';

// VietQR's refund API only works for MB accounts: with another bank every refund is recorded for a person.
describe(`${RefundCreationService.name} for a bank VietQR cannot refund from`, () => {
  let db: PrivateDatabase;
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    db = await createPrivateDatabase();
    t = await startTestApp({
      DATABASE_URL: db.url,
      VIETQR_BANK_CODE: 'VCB',
      REFUND_WORKER_INTERVAL_MS: '50',
      WEBHOOK_DISPATCH_INTERVAL_MS: '50',
    });
    receiver = await WebhookReceiver.start();
    await request(t.url)
      .post('/api/v1/webhook-endpoints')
      .set('X-API-Key', TEST_API_KEY)
      .send({ url: receiver.url, events: ['refund.requires_action', 'refund.succeeded'] })
      .expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await db?.drop();
  });

  it('records the refund as REQUIRES_ACTION (manual), calls nobody, and an operator completes it', async () => {
    const payment = await createPayment(t, { amount: 80_000 });
    await simulate(t.url, payment.id);
    const requests = t.app.get(SandboxState).stats.refundRequests;
    const res = await postRefund(t.url, `/api/v1/payments/${payment.id}/refunds`, {
      reason: 'cancelled',
    }).expect(201);
    expect(res.body).toMatchObject({
      status: 'REQUIRES_ACTION',
      method: 'manual',
      failureCode: 'MANUAL',
      payerAccount: null,
      parts: [{ amount: 80_000, state: 'requires_action' }],
    });
    await eventually('refund.requires_action delivered', () =>
      receiver.received.find((r) => r.json.type === 'refund.requires_action'),
    );
    // Money promised back is not refundable twice while a person is on it.
    await postRefund(t.url, `/api/v1/payments/${payment.id}/refunds`, { reason: 'again' }).expect(422);

    const done = await request(t.url)
      .post(`/api/v1/refunds/${res.body.id}/complete`)
      .set('X-API-Key', TEST_OPERATOR_KEY)
      .send({ reference: 'FT25335777777777' })
      .expect(200);
    expect(done.body).toMatchObject({
      status: 'SUCCEEDED',
      failureCode: null,
      completedReference: 'FT25335777777777',
    });
    expect(await getPayment(t.url, payment.id)).toMatchObject({
      status: 'PAID',
      amountRefunded: 80_000,
      refundStatus: 'full',
    });
    await eventually('refund.succeeded delivered', () =>
      receiver.received.find((r) => r.json.type === 'refund.succeeded'),
    );
    expect(t.app.get(SandboxState).stats.refundRequests).toBe(requests);
  });
});
