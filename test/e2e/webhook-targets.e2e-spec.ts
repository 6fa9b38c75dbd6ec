import request from 'supertest';
import { DataSource } from 'typeorm';
import { WebhookEndpointsController } from '../../src/modules/webhooks/webhook-endpoints.controller.js';
import { createPayment } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';
import { eventually } from '../support/webhook-receiver.js';

// IPv6 forms that reach IPv4 hosts without being IPv4-mapped: local-use NAT64 (64:ff9b:1::/48, RFC 8215)
// and IPv4-translated (::ffff:0:0:0/96, RFC 2765). Both name private IPv4 targets here.
const DISGUISED_PRIVATE_TARGETS = [
  'https://[64:ff9b:1::a00:1]/hook', // NAT64 local-use → 10.0.0.1
  'https://[::ffff:0:7f00:1]/hook', // IPv4-translated → 127.0.0.1
  'https://[64:ff9b::7f00:1]/hook', // well-known NAT64 → 127.0.0.1
  'https://[3fff::1]/hook', // documentation (RFC 9637)
  'https://[2001:2::1]/hook', // benchmarking
];

describe(`${WebhookEndpointsController.name} with private targets refused`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_DISPATCH_INTERVAL_MS: '50' });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(DISGUISED_PRIVATE_TARGETS)('refuses %s at registration: only global unicast', async (url) => {
    const res = await request(t.url)
      .post('/api/v1/webhook-endpoints')
      .set('x-api-key', TEST_API_KEY)
      .send({ url })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'WEBHOOK_URL_REFUSED', details: { field: 'url' } });
  });

  it('accepts a global unicast IPv6 literal', async () => {
    const res = await request(t.url)
      .post('/api/v1/webhook-endpoints')
      .set('x-api-key', TEST_API_KEY)
      .send({ url: 'https://[2606:4700:4700::1111]/hook' })
      .expect(201);
    await request(t.url)
      .delete(`/api/v1/webhook-endpoints/${res.body.id}`)
      .set('x-api-key', TEST_API_KEY)
      .expect(204);
  });

  it('refuses them at connect time too, for endpoints stored before the rule', async () => {
    const db = t.app.get(DataSource);
    const [{ id: clientId }] = await db.query(
      `SELECT id FROM api_client WHERE name = 'orders' AND revoked_at IS NULL`,
    );
    const endpoints: Array<{ id: string }> = [];
    for (const url of DISGUISED_PRIVATE_TARGETS.slice(0, 2)) {
      const [row] = await db.query(
        `INSERT INTO webhook_endpoint (client_id, url, events, secret)
         VALUES ($1, $2, '{payment.cancelled}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw') RETURNING id`,
        [clientId, url],
      );
      endpoints.push(row);
    }
    try {
      const payment = await createPayment(t);
      await request(t.url)
        .post(`/api/v1/payments/${payment.id}/cancel`)
        .set('x-api-key', TEST_API_KEY)
        .expect(200);
      const rows = await eventually('both attempted', async () => {
        const found: Array<{ lastError: string | null; status: string }> = await db.query(
          `SELECT d.last_error AS "lastError", d.status FROM webhook_delivery d
            JOIN outbox_event e ON e.id = d.event_id
           WHERE d.endpoint_id = ANY($1::uuid[]) AND e.subject_id = $2 AND d.last_error IS NOT NULL`,
          [endpoints.map((e) => e.id), payment.id],
        );
        return found.length === 2 && found;
      });
      for (const row of rows) {
        expect(row.status).not.toBe('delivered');
        expect(row.lastError).toContain('refused');
      }
    } finally {
      await db.query(`UPDATE webhook_endpoint SET deleted_at = now() WHERE id = ANY($1::uuid[])`, [
        endpoints.map((e) => e.id),
      ]);
    }
  });
});
