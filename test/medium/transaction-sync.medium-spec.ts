import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { PaymentCreditsService } from '../../src/modules/payments/payment-credits.service.js';
import { TransactionReviewService } from '../../src/modules/transaction-sync/transaction-review.service.js';
import { TransactionSyncService } from '../../src/modules/transaction-sync/transaction-sync.service.js';
import { PartnerDeliveriesService } from '../../src/modules/vietqr-partner/partner-deliveries.service.js';
import { VietQrPartnerModule } from '../../src/modules/vietqr-partner/vietqr-partner.module.js';
import { createMediumModule } from '../support/test-app.js';
import { vietqrDelivery } from '../support/vietqr-partner.js';

// Payments' matching is another module's work: these tests make applyCredit answer each outcome the contract
// in incoming-credit.ts allows, and show what the ledger keeps for it.
describe(TransactionSyncService.name, () => {
  let moduleRef: TestingModule;
  let sync: PartnerDeliveriesService;
  let payments: PaymentCreditsService;
  let db: DataSource;
  let clientId: string;

  beforeAll(async () => {
    moduleRef = await createMediumModule([VietQrPartnerModule]);
    // Deliveries as VietQR sends them, through the partner module's reading of the body.
    sync = moduleRef.get(PartnerDeliveriesService);
    payments = moduleRef.get(PaymentCreditsService);
    db = moduleRef.get(DataSource);
    [{ id: clientId }] = await db.query(
      `INSERT INTO api_client (name, key_hash, key_prefix) VALUES ($1, $2, 'medi') RETURNING id`,
      [`ledger-${randomUUID()}`, randomUUID()],
    );
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await moduleRef.close();
  });

  const row = async (id: string) =>
    (
      await db.query(
        `SELECT status, payment_id, client_id, unmatched_reason FROM bank_transaction WHERE id = $1`,
        [id],
      )
    )[0];

  describe('record', () => {
    it.each(['linked', 'late'] as const)(
      'stores a %s outcome with its payment and client',
      async (result) => {
        const paymentId = randomUUID();
        const apply = jest.spyOn(payments, 'applyCredit').mockReturnValue({ result, paymentId, clientId });
        const body = vietqrDelivery({ orderId: 'PAY7K2M9Q' });
        const answer = await sync.record(body, undefined);
        const id = answer.object.reftransactionid;
        expect(apply.mock.calls[0].slice(0, 3)).toEqual([
          expect.anything(),
          expect.objectContaining({
            bankTransactionId: id,
            reference: body.referencenumber,
            amount: 150000,
            orderId: 'PAY7K2M9Q',
            transType: 'C',
            paidAt: new Date(1767844560000),
            receivedAt: expect.any(Date),
          }),
          { actor: 'vietqr' },
        ]);
        expect(await row(id)).toEqual({
          status: result,
          payment_id: paymentId,
          client_id: clientId,
          unmatched_reason: null,
        });
        expect(await db.query(`SELECT id FROM outbox_event WHERE subject_id = $1`, [id])).toEqual([]);
      },
    );

    it('offers a re-delivery to payments only once', async () => {
      const apply = jest.spyOn(payments, 'applyCredit');
      const body = vietqrDelivery();
      const first = await sync.record(body, undefined);
      const second = await sync.record(body, undefined);
      expect(second.object.reftransactionid).toBe(first.object.reftransactionid);
      expect(apply).toHaveBeenCalledTimes(1);
    });

    it('records nothing when payments fails, so the delivery can be re-sent', async () => {
      jest.spyOn(payments, 'applyCredit').mockImplementation(() => {
        throw new Error('payments broke');
      });
      const body = vietqrDelivery();
      await expect(sync.record(body, undefined)).rejects.toThrow('payments broke');
      expect(
        await db.query(`SELECT id FROM bank_transaction WHERE reference = $1`, [body.referencenumber]),
      ).toEqual([]);
      jest.restoreAllMocks();
      const again = await sync.record(body, undefined);
      expect(await row(again.object.reftransactionid)).toMatchObject({ status: 'unmatched' });
    });
  });

  describe(TransactionReviewService.name, () => {
    it('lets only the owning client link a late item by hand, keeping what payments answered', async () => {
      const review = moduleRef.get(TransactionReviewService);
      jest
        .spyOn(payments, 'applyCredit')
        .mockReturnValue({ result: 'late', paymentId: randomUUID(), clientId });
      const { object } = await sync.record(vietqrDelivery(), undefined);
      const stranger = { id: randomUUID(), name: 'stranger', role: 'order_system' as const };
      await expect(review.link(stranger, object.reftransactionid, randomUUID())).rejects.toMatchObject({
        code: 'TRANSACTION_NOT_FOUND',
      });
      const newPayment = randomUUID();
      const owner = { id: clientId, name: 'owner', role: 'order_system' as const };
      const linkManually = jest
        .spyOn(payments, 'linkManually')
        .mockResolvedValue({ result: 'linked', paymentId: newPayment, clientId });
      const linked = await review.link(owner, object.reftransactionid, newPayment);
      expect(linkManually).toHaveBeenCalledTimes(1);
      expect(linkManually).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({
          bankTransactionId: object.reftransactionid,
          amount: 150000,
          transType: 'C',
        }),
        newPayment,
        owner,
        expect.objectContaining({ actor: 'client:owner' }),
      );
      expect(linked).toMatchObject({ status: 'linked', paymentId: newPayment, linkedBy: 'client:owner' });
      expect(await row(object.reftransactionid)).toMatchObject({
        status: 'linked',
        payment_id: newPayment,
        client_id: clientId,
      });
    });
  });
});
