import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PARTNER_PASSWORD, PARTNER_USERNAME } from './test-app.js';

/** Acts as VietQR towards our partner API: the Basic pair, the token, deliveries in its key spelling. */
export function basicHeader(username = PARTNER_USERNAME, password = PARTNER_PASSWORD): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export async function partnerToken(url: string, prefix = '/vqr'): Promise<string> {
  const res = await request(url)
    .post(`${prefix}/api/token_generate`)
    .set('Authorization', basicHeader())
    .set('Content-Type', 'application/json')
    .send('{}')
    .expect(200);
  return res.body.access_token as string;
}

/** A transaction-sync body as VietQR's server sends it (lower-case keys), with unique references. */
export function vietqrDelivery(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    transactionid: randomUUID(),
    transactiontime: 1767844560000,
    referencenumber: `FT${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`,
    amount: 150000,
    content: `QR VQR${randomUUID().slice(0, 10)} DH12345 Ma giao dich Trace756759`,
    bankaccount: '0123456789',
    transType: 'C',
    orderId: '',
    sign: '',
    terminalCode: '',
    subTerminalCode: '',
    serviceCode: '',
    urlLink: '',
    ...overrides,
  };
}
