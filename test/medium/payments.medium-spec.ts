import { randomUUID } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import type { TestingModule, TestingModuleBuilder } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppException } from '../../src/common/errors/app.exception.js';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import { AppConfig } from '../../src/config/app-config.js';
import type { ApiClient } from '../../src/modules/auth/api-keys/api-client.js';
import type { CreatePaymentDto } from '../../src/modules/payments/dto/create-payment.dto.js';
import type { IncomingCredit } from '../../src/modules/payments/incoming-credit.js';
import { PaymentsSweeper } from '../../src/modules/payments/payments-sweeper.js';
import { PaymentsModule } from '../../src/modules/payments/payments.module.js';
import { Database } from '../../src/database/database.js';
import { PaymentCreationService } from '../../src/modules/payments/payment-creation.service.js';
import { PaymentCreditsService } from '../../src/modules/payments/payment-credits.service.js';
import { PaymentLifecycleService } from '../../src/modules/payments/payment-lifecycle.service.js';
import { PaymentQueriesService } from '../../src/modules/payments/payment-queries.service.js';
import { IssuedQr, QrIssuer, QrIssueRequest } from '../../src/modules/qr-orders/qr-issuer.js';
import { LocalQrIssuer } from '../../src/modules/qr-orders/local-qr-issuer.js';
import { QrOrdersModule } from '../../src/modules/qr-orders/qr-orders.module.js';
import { applyCredit, incomingCredit, makeDue, randomOrderId } from '../support/payments.js';
import { createMediumModule } from '../support/test-app.js';

/** The local issuer, made to fail on demand as an upstream provider would (502). */
@Injectable()
class FlakyQrIssuer extends QrIssuer {
  failNext = 0;
  readonly calls: QrIssueRequest[] = [];

  constructor(config: AppConfig) {
    super();
    this.local = new LocalQrIssuer(config);
  }
  private readonly local: LocalQrIssuer;

  async issue(request: QrIssueRequest): Promise<IssuedQr> {
    this.calls.push(request);
    if (this.failNext > 0) {
      this.failNext--;
      throw new AppException(ErrorCode.ServiceUnavailable, 'QR provider unavailable');
    }
    return this.local.issue(request);
  }
}

@Module({
  providers: [FlakyQrIssuer, { provide: QrIssuer, useExisting: FlakyQrIssuer }],
  exports: [QrIssuer, FlakyQrIssuer],
})
class FlakyQrModule {}

const withFlakyQr = (builder: TestingModuleBuilder) =>
  builder.overrideModule(QrOrdersModule).useModule(FlakyQrModule);

describe(PaymentsModule.name, () => {
  let moduleRef: TestingModule;
  let creation: PaymentCreationService;
  let queries: PaymentQueriesService;
  let lifecycle: PaymentLifecycleService;
  let credits: PaymentCreditsService;
  let database: Database;
  let sweeper: PaymentsSweeper;
  let issuer: FlakyQrIssuer;
  let db: DataSource;
  let orders: ApiClient;
  let other: ApiClient;
  const vietqr = { actor: 'vietqr' };

  beforeAll(async () => {
    moduleRef = await createMediumModule(
      [PaymentsModule],
      { DB_POOL_SIZE: '30', PAYMENT_SWEEP_INTERVAL_MS: '3600000' },
      withFlakyQr,
    );
    creation = moduleRef.get(PaymentCreationService);
    queries = moduleRef.get(PaymentQueriesService);
    lifecycle = moduleRef.get(PaymentLifecycleService);
    credits = moduleRef.get(PaymentCreditsService);
    database = moduleRef.get(Database);
    sweeper = moduleRef.get(PaymentsSweeper);
    issuer = moduleRef.get(FlakyQrIssuer);
    db = moduleRef.get(DataSource);
    const clients: ApiClient[] = await db.query(
      `SELECT id, name FROM api_client WHERE name IN ('orders', 'other') AND revoked_at IS NULL`,
    );
    orders = clients.find((c) => c.name === 'orders')!;
    other = clients.find((c) => c.name === 'other')!;
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  const newPayment = async (body: Partial<CreatePaymentDto> = {}, client = orders) =>
    (
      await creation.create(client, {
        orderId: randomOrderId(),
        amount: 100_000,
        ...body,
      })
    ).body;
  const apply = (credit: IncomingCredit) => applyCredit(moduleRef, credit, vietqr);
  const detail = (id: string, client = orders) => queries.get(client, id);
  const eventsOf = async (paymentId: string): Promise<Array<{ type: string; payload: any }>> =>
    db.query(`SELECT type, payload FROM outbox_event WHERE subject_id = $1 ORDER BY seq`, [paymentId]);

  describe('create', () => {
    it('stores the QR fields the matcher depends on', async () => {
      const p = await newPayment({ amount: 250_000 });
      expect(p).toMatchObject({
        status: 'PENDING',
        amount: 250_000,
        amountPaid: 0,
        amountRemaining: 250_000,
      });
      expect(p.qr?.content).toBe(p.code);
      expect(p.bank).toEqual({ bankCode: 'MB', bankAccount: '0123456789', accountName: 'NGUYEN VAN A' });
    });

    it('keeps the payment without QR when the issuer fails, and a retry resumes it with the same code', async () => {
      const orderId = randomOrderId();
      issuer.failNext = 1;
      await expect(creation.create(orders, { orderId, amount: 70_000 })).rejects.toMatchObject({
        code: ErrorCode.ServiceUnavailable,
      });
      const [stuck] = (await queries.list(orders, { orderId })).data;
      expect(stuck).toMatchObject({ status: 'PENDING', qr: null, bank: null });

      const resumed = (await creation.create(orders, { orderId, amount: 70_000 })).body;
      expect(resumed.id).toBe(stuck.id);
      expect(resumed.code).toBe(stuck.code);
      expect(resumed.qr).not.toBeNull();
      const codesAsked = issuer.calls.filter((c) => c.paymentId === stuck.id).map((c) => c.code);
      expect(codesAsked).toEqual([stuck.code, stuck.code]);

      await expect(creation.create(orders, { orderId, amount: 70_000 })).rejects.toMatchObject({
        code: ErrorCode.DuplicateOrderId,
        details: { paymentId: stuck.id },
      });
    });

    it('does not resume a payment without QR when the retry asks for another amount', async () => {
      const orderId = randomOrderId();
      issuer.failNext = 1;
      await expect(creation.create(orders, { orderId, amount: 70_000 })).rejects.toThrow();
      await expect(creation.create(orders, { orderId, amount: 80_000 })).rejects.toMatchObject({
        code: ErrorCode.DuplicateOrderId,
      });
    });

    it('releases the Idempotency-Key of a failed execution so that a retry executes', async () => {
      const key = randomUUID();
      const dto = { orderId: randomOrderId(), amount: 90_000 } as CreatePaymentDto;
      issuer.failNext = 1;
      await expect(creation.create(orders, dto, key)).rejects.toMatchObject({
        code: ErrorCode.ServiceUnavailable,
      });
      const retried = await creation.create(orders, dto, key);
      expect(retried).toMatchObject({ status: 201, replayed: false });
      const replayed = await creation.create(orders, dto, key);
      expect(replayed).toEqual({ status: 201, body: retried.body, replayed: true });
    });
  });

  describe('applyCredit', () => {
    it('moves a payment PENDING → PARTIALLY_PAID → PAID → OVERPAID, with history and events', async () => {
      const p = await newPayment({ amount: 100_000 });
      expect(await apply(incomingCredit({ amount: 40_000, orderId: p.code, content: p.code }))).toEqual({
        result: 'linked',
        paymentId: p.id,
        clientId: orders.id,
      });
      expect(await detail(p.id)).toMatchObject({
        status: 'PARTIALLY_PAID',
        amountPaid: 40_000,
        amountRemaining: 60_000,
      });

      await apply(
        incomingCredit({ amount: 60_000, content: `IBFT ${p.code.slice(0, 6)} ${p.code.slice(6)}` }),
      );
      expect(await detail(p.id)).toMatchObject({ status: 'PAID', amountPaid: 100_000, amountRemaining: 0 });

      await apply(incomingCredit({ amount: 5_000, content: p.code.toLowerCase() }));
      const paid = await detail(p.id);
      expect(paid).toMatchObject({ status: 'OVERPAID', amountPaid: 105_000, amountRemaining: 0 });
      expect(paid.transactions.map((t) => [t.amount, t.late, t.linkedBy])).toEqual([
        [40_000, false, 'vietqr'],
        [60_000, false, 'vietqr'],
        [5_000, false, 'vietqr'],
      ]);
      expect(paid.history.map((h) => [h.fromStatus, h.toStatus, h.amountPaid])).toEqual([
        [null, 'PENDING', 0],
        ['PENDING', 'PARTIALLY_PAID', 40_000],
        ['PARTIALLY_PAID', 'PAID', 100_000],
        ['PAID', 'OVERPAID', 105_000],
      ]);
      const events = await eventsOf(p.id);
      expect(events.map((e) => e.type)).toEqual([
        'payment.partially_paid',
        'payment.paid',
        'payment.overpaid',
      ]);
      expect(events[1].payload.data.payment).toMatchObject({ id: p.id, status: 'PAID', amountPaid: 100_000 });
      expect(events[1].payload.data.transaction).toMatchObject({ amount: 60_000, late: false });
    });

    it("matches VietQR's trace id in a content the banks have punctuated, in any case", async () => {
      const p = await newPayment({ amount: 50_000 });
      const traceId = `VQR${randomUUID().replace(/-/g, '').slice(0, 10)}`;
      await db.query(`UPDATE payment SET qr_trace_id = $2, qr_content = $3 WHERE id = $1`, [
        p.id,
        traceId,
        `${traceId} ${p.code}`,
      ]);
      const content = `MBVCB.3278245567.${traceId.slice(0, 7)}-${traceId.slice(7).toLowerCase()}.CT tu 0123`;
      expect(await apply(incomingCredit({ amount: 50_000, content }))).toMatchObject({
        result: 'linked',
        paymentId: p.id,
      });
      expect((await detail(p.id)).status).toBe('PAID');
    });

    it('prefers the callback orderId over a code found in the content', async () => {
      const a = await newPayment();
      const b = await newPayment();
      expect(await apply(incomingCredit({ orderId: b.code, content: `${a.code}` }))).toMatchObject({
        paymentId: b.id,
      });
    });

    it('leaves debits, foreign accounts and unknown contents unmatched, and changes nothing', async () => {
      const p = await newPayment();
      expect(await apply(incomingCredit({ transType: 'D', orderId: p.code }))).toEqual({
        result: 'unmatched',
        reason: 'debit',
      });
      expect(await apply(incomingCredit({ orderId: p.code, bankAccount: '9999999999' }))).toEqual({
        result: 'unmatched',
        reason: 'foreign_account',
      });
      expect(await apply(incomingCredit({ content: 'chuyen khoan tien hang' }))).toEqual({
        result: 'unmatched',
        reason: 'no_match',
      });
      expect(await apply(incomingCredit({ content: 'PAY0000000000 VQR0000000000' }))).toEqual({
        result: 'unmatched',
        reason: 'no_match',
      });
      expect(await detail(p.id)).toMatchObject({ status: 'PENDING', amountPaid: 0, transactions: [] });
    });

    it('settles a payment with one bank transaction at most once', async () => {
      const p = await newPayment({ amount: 100_000 });
      const credit = incomingCredit({ amount: 30_000, orderId: p.code });
      await apply(credit);
      // The ledger never offers a recorded transaction twice; if it did, the link's key refuses it.
      await expect(apply(credit)).rejects.toMatchObject({ code: '23505' });
      expect(await detail(p.id)).toMatchObject({ amountPaid: 30_000 });
      expect((await detail(p.id)).transactions).toHaveLength(1);
    });

    it('adds up 20 concurrent credits for one payment exactly', async () => {
      const p = await newPayment({ amount: 1_000_000 });
      const amounts = Array.from({ length: 20 }, (_, i) => 10_000 + i * 1_000);
      const outcomes = await Promise.all(
        amounts.map((amount) => apply(incomingCredit({ amount, orderId: p.code, content: p.code }))),
      );
      expect(outcomes.every((o) => o.result === 'linked')).toBe(true);
      const sum = amounts.reduce((a, b) => a + b, 0);
      const paid = await detail(p.id);
      expect(paid).toMatchObject({ amountPaid: sum, status: 'PARTIALLY_PAID' });
      expect(paid.transactions).toHaveLength(20);
      expect(paid.history.at(-1)).toMatchObject({ amountPaid: sum });
      expect(new Set(paid.history.map((h) => h.amountPaid)).size).toBe(21);
    });

    it('keeps money arriving after expiry as late, without reviving the payment', async () => {
      const p = await newPayment({ amount: 100_000 });
      await apply(incomingCredit({ amount: 20_000, orderId: p.code }));
      await makeDue(db, p.id);
      await sweeper.sweep();
      expect(await detail(p.id)).toMatchObject({ status: 'EXPIRED', amountPaid: 20_000 });

      expect(await apply(incomingCredit({ amount: 80_000, orderId: p.code }))).toEqual({
        result: 'late',
        paymentId: p.id,
        clientId: orders.id,
      });
      const after = await detail(p.id);
      expect(after).toMatchObject({ status: 'EXPIRED', amountPaid: 20_000 });
      expect(after.transactions.map((t) => [t.amount, t.late])).toEqual([
        [20_000, false],
        [80_000, true],
      ]);
      expect(after.history.map((h) => [h.fromStatus, h.toStatus, h.actor, h.reason])).toEqual([
        [null, 'PENDING', 'client:orders', 'created'],
        ['PENDING', 'PARTIALLY_PAID', 'vietqr', 'credit'],
        ['PARTIALLY_PAID', 'EXPIRED', 'sweeper', 'expired'],
        ['EXPIRED', 'EXPIRED', 'vietqr', 'late_payment'],
      ]);
      expect((await eventsOf(p.id)).map((e) => e.type)).toEqual([
        'payment.partially_paid',
        'payment.expired',
        'payment.late_payment',
      ]);
    });

    it('keeps money arriving after cancellation as late', async () => {
      const p = await newPayment();
      await lifecycle.cancel(orders, p.id, { reason: 'customer left' });
      expect(await apply(incomingCredit({ orderId: p.code }))).toMatchObject({ result: 'late' });
      expect(await detail(p.id)).toMatchObject({ status: 'CANCELLED', amountPaid: 0 });
    });
  });

  describe('linkManually', () => {
    it("links a reviewed credit to the client's payment", async () => {
      const p = await newPayment({ amount: 100_000 });
      const outcome = await database.transaction((m) =>
        credits.linkManually(m, incomingCredit({ content: 'tien hang' }), p.id, orders, {
          actor: 'client:orders',
          reason: 'matched by hand',
        }),
      );
      expect(outcome).toEqual({ result: 'linked', paymentId: p.id, clientId: orders.id });
      const after = await detail(p.id);
      expect(after).toMatchObject({ status: 'PAID', transactions: [{ linkedBy: 'client:orders' }] });
      expect(after.history.at(-1)).toMatchObject({ reason: 'matched by hand' });
    });

    it("answers 404 for another client's payment and refuses debits and foreign accounts", async () => {
      const p = await newPayment();
      const link = (credit: IncomingCredit, client: ApiClient) =>
        database.transaction((m) => credits.linkManually(m, credit, p.id, client, { actor: 'client:x' }));
      await expect(link(incomingCredit(), other)).rejects.toMatchObject({ code: ErrorCode.PaymentNotFound });
      expect(await link(incomingCredit({ transType: 'D' }), orders)).toEqual({
        result: 'unmatched',
        reason: 'debit',
      });
      expect(await link(incomingCredit({ bankAccount: '111' }), orders)).toEqual({
        result: 'unmatched',
        reason: 'foreign_account',
      });
    });

    it('refuses a bank transaction that already settles another payment', async () => {
      const a = await newPayment();
      const b = await newPayment();
      const credit = incomingCredit({ amount: 10_000, orderId: a.code });
      await apply(credit);
      await expect(
        database.transaction((m) =>
          credits.linkManually(m, credit, b.id, orders, { actor: 'client:orders' }),
        ),
      ).rejects.toMatchObject({ code: ErrorCode.TransactionAlreadyLinked });
      expect(await detail(b.id)).toMatchObject({ amountPaid: 0 });
    });
  });

  describe('cancel', () => {
    it('cancels a partially paid payment and refuses a paid one', async () => {
      const p = await newPayment({ amount: 100_000 });
      await apply(incomingCredit({ amount: 1_000, orderId: p.code }));
      expect(await lifecycle.cancel(orders, p.id, {})).toMatchObject({
        status: 'CANCELLED',
        amountPaid: 1_000,
      });

      const q = await newPayment({ amount: 100_000 });
      await apply(incomingCredit({ amount: 100_000, orderId: q.code }));
      await expect(lifecycle.cancel(orders, q.id, {})).rejects.toMatchObject({
        code: ErrorCode.PaymentNotCancellable,
        details: { status: 'PAID' },
      });
    });
  });
});

describe(PaymentsSweeper.name, () => {
  let moduleRef: TestingModule;
  let instances: TestingModule[];
  let db: DataSource;

  beforeAll(async () => {
    // Two instances of the service on one database, as in a deployment with several replicas.
    instances = await Promise.all(
      [1, 2].map(() =>
        createMediumModule([PaymentsModule], { PAYMENT_SWEEP_INTERVAL_MS: '3600000' }, withFlakyQr),
      ),
    );
    moduleRef = instances[0];
    db = moduleRef.get(DataSource);
  });
  afterAll(async () => {
    await Promise.all(instances.map((m) => m.close()));
  });

  describe('sweep', () => {
    it('expires each due payment exactly once when several instances sweep together', async () => {
      const [client] = await db.query<ApiClient[]>(`SELECT id, name FROM api_client WHERE name = 'orders'`);
      const service = moduleRef.get(PaymentCreationService);
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const { body } = await service.create(client, {
          orderId: randomOrderId('sweep'),
          amount: 1_000,
        });
        ids.push(body.id);
      }
      await db.query(`UPDATE payment SET expires_at = now() - interval '1 second' WHERE id = ANY($1)`, [ids]);

      await Promise.all(
        instances.flatMap((m) => [m.get(PaymentsSweeper).sweep(), m.get(PaymentsSweeper).sweep()]),
      );

      const statuses: Array<{ status: string }> = await db.query(
        `SELECT status FROM payment WHERE id = ANY($1)`,
        [ids],
      );
      expect(statuses.every((s) => s.status === 'EXPIRED')).toBe(true);
      const [{ history, events }] = await db.query(
        `SELECT (SELECT count(*) FROM payment_history WHERE payment_id = ANY($1) AND to_status = 'EXPIRED')::int AS history,
                (SELECT count(*) FROM outbox_event WHERE subject_id = ANY($1) AND type = 'payment.expired')::int AS events`,
        [ids],
      );
      expect({ history, events }).toEqual({ history: 30, events: 30 });
    });

    it('forgets Idempotency-Keys whose time is up', async () => {
      const [client] = await db.query<ApiClient[]>(`SELECT id, name FROM api_client WHERE name = 'orders'`);
      const key = `old-${randomUUID()}`;
      await db.query(
        `INSERT INTO idempotency_key (client_id, key, request_hash, state, claim_token, expires_at)
         VALUES ($1, $2, 'x', 'completed', gen_random_uuid(), now() - interval '1 minute')`,
        [client.id, key],
      );
      await moduleRef.get(PaymentsSweeper).sweep();
      expect(await db.query(`SELECT 1 FROM idempotency_key WHERE key = $1`, [key])).toEqual([]);
    });
  });
});
