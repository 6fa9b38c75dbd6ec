import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransactionSyncService } from '../../src/modules/transaction-sync/transaction-sync.service.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, testDatabaseUrl, TestApp } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';

const SYNC = '/vqr/bank/api/transaction-sync';

describe(`${TransactionSyncService.name} when the database goes away`, () => {
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    const target = new URL(testDatabaseUrl());
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(target.toString());
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await startTestApp({ DATABASE_URL: viaProxy.toString() });
  });
  afterAll(async () => {
    await t.close();
    await proxy.cut();
  });

  it('answers 503 in the envelope while the database is unreachable, then records again by itself', async () => {
    const token = await partnerToken(t.url);
    const deliver = (body: unknown) =>
      request(t.url)
        .post(SYNC)
        .set('Authorization', `Bearer ${token}`)
        .send(body as object);
    await deliver(vietqrDelivery()).expect(200);

    await proxy.cut();
    const lost = vietqrDelivery();
    for (let i = 0; i < 3; i++) {
      const res = await deliver(lost).expect(503);
      expect(res.body).toEqual({
        error: true,
        errorReason: '030',
        toastMessage: expect.any(String),
        object: { reftransactionid: '' },
      });
    }
    // The token endpoint needs no database and keeps working.
    await partnerToken(t.url);

    await proxy.restore();
    // VietQR re-sends after a 503; the first re-send after the database is back is recorded.
    const res = await deliver(lost).expect(200);
    expect(res.body.error).toBe(false);
    const rows = await t.app
      .get(DataSource)
      .query(`SELECT id FROM bank_transaction WHERE reference = $1`, [lost.referencenumber]);
    expect(rows).toEqual([{ id: res.body.object.reftransactionid }]);
  });
});
