import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { Database } from '../../src/database/database.js';
import type { ApiClient } from '../../src/modules/auth/api-keys/api-client.js';
import { PaymentCreationService } from '../../src/modules/payments/payment-creation.service.js';
import { PaymentsModule } from '../../src/modules/payments/payments.module.js';
import { PaymentsRepository } from '../../src/modules/payments/payments.repository.js';
import type { IssuedQr } from '../../src/modules/qr-orders/qr-issuer.js';
import { randomOrderId } from '../support/payments.js';
import { createMediumModule } from '../support/test-app.js';

// The version a one-trip credit is decided from (PaymentsRepository.storeQr) and the lock that accepts it
// only while the row is still that version (lockUnchanged): a wrong "unchanged" would credit a payment from
// a state it is no longer in.
describe('a payment row version', () => {
  let moduleRef: TestingModule;
  let database: Database;
  let payments: PaymentsRepository;
  let creation: PaymentCreationService;
  let orders: ApiClient;

  beforeAll(async () => {
    moduleRef = await createMediumModule([PaymentsModule], {
      QR_PROVIDER: 'local',
      PAYMENT_SWEEP_INTERVAL_MS: '3600000',
    });
    database = moduleRef.get(Database);
    payments = moduleRef.get(PaymentsRepository);
    creation = moduleRef.get(PaymentCreationService);
    [orders] = await moduleRef
      .get(DataSource)
      .query(`SELECT id, name FROM api_client WHERE name = 'orders' AND revoked_at IS NULL`);
  });
  afterAll(async () => moduleRef.close());

  const qrOf = (code: string): IssuedQr => ({
    provider: 'local',
    content: code,
    traceId: null,
    qrCode: `payload for ${code}`,
    qrLink: null,
    transactionRefId: null,
    bankCode: 'MB',
    bankAccount: '0123456789',
    accountName: 'NGUYEN VAN A',
  });
  const newPayment = async () =>
    (await creation.create(orders, { orderId: randomOrderId(), amount: 100_000 })).body;
  const lock = (id: string, version: string) =>
    database.transaction((tx) => payments.lockUnchanged(tx, id, version));
  const changed = expect.objectContaining({ code: 'VQ409' });

  it('is accepted while the row is the one stored', async () => {
    const p = await newPayment();
    const { version } = await payments.storeQr(database, p.id, qrOf(p.code));
    await expect(lock(p.id, version)).resolves.toBeUndefined();
  });

  it('is refused once another transaction has written the row', async () => {
    const p = await newPayment();
    const { version } = await payments.storeQr(database, p.id, qrOf(p.code));
    await database.query(`UPDATE payment SET description = 'changed' WHERE id = $1`, [p.id]);
    await expect(lock(p.id, version)).rejects.toEqual(changed);
  });

  // xmin alone names the transaction that wrote the row, and a second write in that transaction keeps it.
  it('is refused when the transaction that stored it wrote the row again', async () => {
    const p = await newPayment();
    const { version } = await database.transaction(async (tx) => {
      const stored = await payments.storeQr(tx, p.id, qrOf(p.code));
      await tx.query(`UPDATE payment SET description = 'changed' WHERE id = $1`, [p.id]);
      return stored;
    });
    await expect(lock(p.id, version)).rejects.toEqual(changed);
  });
});
