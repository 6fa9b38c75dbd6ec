import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { INestApplicationContext } from '@nestjs/common';
import { Database } from '../../src/database/database.js';
import type { Cause, CreditOutcome, IncomingCredit } from '../../src/modules/payments/incoming-credit.js';
import { PaymentCreditsService } from '../../src/modules/payments/payment-credits.service.js';
import { TEST_API_KEY, type TestApp } from './test-app.js';

/** The receiving account of the test configuration (VIETQR_BANK_ACCOUNT's default). */
export const OUR_BANK_ACCOUNT = '0123456789';

export function randomOrderId(prefix = 'order'): string {
  return `${prefix}-${randomUUID()}`;
}

/** POST /api/v1/payments with a random orderId and 100,000 VND unless given; expects 201, returns the body. */
export async function createPayment(
  t: TestApp,
  body: Record<string, unknown> = {},
  apiKey = TEST_API_KEY,
): Promise<any> {
  const res = await request(t.url)
    .post('/api/v1/payments')
    .set('x-api-key', apiKey)
    .send({ orderId: randomOrderId(), amount: 100_000, ...body })
    .expect(201);
  return res.body;
}

/** A credit to our account as transaction-sync would offer it, with a fresh random ledger id. */
export function incomingCredit(overrides: Partial<IncomingCredit> = {}): IncomingCredit {
  const now = new Date();
  return {
    bankTransactionId: randomUUID(),
    reference: `FT${Math.floor(Math.random() * 1e12)}`,
    amount: 100_000,
    content: 'chuyen khoan',
    orderId: null,
    bankAccount: OUR_BANK_ACCOUNT,
    transType: 'C',
    paidAt: now,
    receivedAt: now,
    ...overrides,
  };
}

/** Offers a credit to payments as the ingest does: its candidates locked, then linked, in one transaction. */
export function applyCredit(
  app: Pick<INestApplicationContext, 'get'>,
  credit: IncomingCredit,
  cause: Cause = { actor: 'vietqr' },
): Promise<CreditOutcome> {
  const payments = app.get(PaymentCreditsService);
  return app
    .get(Database)
    .transaction(async (tx) =>
      payments.applyCredit(tx, credit, cause, await payments.lockCandidates(tx, credit)),
    );
}

/** Moves a payment's due time into the past, so the next sweep expires it. */
export async function makeDue(dataSource: DataSource, paymentId: string): Promise<void> {
  await dataSource.query(`UPDATE payment SET expires_at = now() - interval '1 second' WHERE id = $1`, [
    paymentId,
  ]);
}
