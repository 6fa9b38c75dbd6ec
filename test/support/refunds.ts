import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { VietQrClient } from '../../src/modules/vietqr/vietqr.client.js';
import { OUR_BANK_ACCOUNT } from './payments.js';
import { TEST_API_KEY, type TestApp } from './test-app.js';
import { eventually } from './webhook-receiver.js';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'REQUIRES_ACTION']);

/** POST a refund with a fresh Idempotency-Key unless given. */
export function postRefund(
  url: string,
  path: string,
  body: Record<string, unknown> = { reason: 'Order cancelled' },
  key = TEST_API_KEY,
  idempotencyKey: string = randomUUID(),
) {
  return request(url).post(path).set('X-API-Key', key).set('Idempotency-Key', idempotencyKey).send(body);
}

export async function getRefund(url: string, id: string, key = TEST_API_KEY): Promise<any> {
  return (await request(url).get(`/api/v1/refunds/${id}`).set('X-API-Key', key).expect(200)).body;
}

/** Waits for the refund to leave PENDING/UNKNOWN, and returns it. */
export async function settled(url: string, id: string, timeoutMs = 20_000, key = TEST_API_KEY): Promise<any> {
  return eventually(
    `refund ${id} settled`,
    async () => {
      const refund = await getRefund(url, id, key);
      return FINAL.has(refund.status) ? refund : null;
    },
    timeoutMs,
  );
}

export async function getPayment(url: string, id: string, key = TEST_API_KEY): Promise<any> {
  return (await request(url).get(`/api/v1/payments/${id}`).set('X-API-Key', key).expect(200)).body;
}

/** The payer's transfer, through the emulator's test-callback (as /simulate does, but for any content). */
export async function transfer(t: TestApp, content: string, amount: number): Promise<void> {
  await t.app.get(VietQrClient).testCallback({
    bankAccount: OUR_BANK_ACCOUNT,
    content,
    amount,
    transType: 'C',
    bankCode: 'MB',
  });
}

export function simulate(url: string, paymentId: string, amount?: number) {
  return request(url)
    .post(`/api/v1/payments/${paymentId}/simulate`)
    .set('X-API-Key', TEST_API_KEY)
    .send(amount === undefined ? {} : { amount })
    .expect(200);
}
