import request from 'supertest';
import { DataSource } from 'typeorm';
import { PaymentQrImagesController } from '../../src/modules/payments/payment-qr-images.controller.js';
import { createPayment, makeDue } from '../support/payments.js';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';

describe(`${PaymentQrImagesController.name}: a dead payment has no payable QR`, () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    token = await partnerToken(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  const pay = (payment: any, amount: number) =>
    request(t.url)
      .post('/vqr/bank/api/transaction-sync')
      .set('Authorization', `Bearer ${token}`)
      .send(vietqrDelivery({ amount, content: payment.qr.content, orderId: payment.code }))
      .expect(200);
  const status = async (id: string) =>
    (await request(t.url).get(`/api/v1/payments/${id}`).set('x-api-key', TEST_API_KEY).expect(200)).body
      .status;
  const expectGone = async (id: string, was: string) => {
    for (const format of ['png', 'svg']) {
      const res = await request(t.url).get(`/api/v1/payments/${id}/qr.${format}`).expect(410);
      expect(res.body).toMatchObject({
        code: 'PAYMENT_NOT_PAYABLE',
        requestId: expect.any(String),
        details: { status: was },
      });
    }
  };

  it('answers 410 PAYMENT_NOT_PAYABLE once the payment is CANCELLED, though it served the image before', async () => {
    const p = await createPayment(t);
    await request(t.url).get(`/api/v1/payments/${p.id}/qr.png`).expect(200);
    await request(t.url).get(`/api/v1/payments/${p.id}/qr.svg`).expect(200);
    await request(t.url).post(`/api/v1/payments/${p.id}/cancel`).set('x-api-key', TEST_API_KEY).expect(200);
    await expectGone(p.id, 'CANCELLED');
  });

  it('answers 410 for an EXPIRED payment, and as soon as its due time passed (before the sweeper)', async () => {
    const p = await createPayment(t);
    await request(t.url).get(`/api/v1/payments/${p.id}/qr.png`).expect(200);
    await makeDue(t.app.get(DataSource), p.id);
    await expectGone(p.id, 'EXPIRED');
  });

  it('answers 410 for a PAID payment; PARTIALLY_PAID keeps its QR', async () => {
    const p = await createPayment(t, { amount: 100_000 });
    await pay(p, 40_000);
    expect(await status(p.id)).toBe('PARTIALLY_PAID');
    await request(t.url).get(`/api/v1/payments/${p.id}/qr.png`).expect(200);
    await pay(p, 60_000);
    expect(await status(p.id)).toBe('PAID');
    await expectGone(p.id, 'PAID');
  });
});
