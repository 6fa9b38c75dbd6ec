import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { QrIssuer } from '../../src/modules/qr-orders/qr-issuer.js';
import { LocalQrIssuer } from '../../src/modules/qr-orders/local-qr-issuer.js';
import { QrOrdersModule } from '../../src/modules/qr-orders/qr-orders.module.js';
import { VietQrQrIssuer } from '../../src/modules/qr-orders/vietqr-qr-issuer.js';
import { SandboxState } from '../../src/modules/sandbox/sandbox-state.js';
import { createSandboxApp } from '../../src/sandbox-app.js';
import { createMediumModule, freePort, testConfig } from '../support/test-app.js';

function issueRequest(amount = 120_000) {
  return {
    paymentId: randomUUID(),
    code: `M${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
    amount,
    description: null,
  };
}

describe(VietQrQrIssuer.name, () => {
  let emulator: NestFastifyApplication;
  let stats: SandboxState['stats'];
  let vietqrUrl: string;
  // Two instances of the service on one database, as two replicas would be.
  let first: TestingModule;
  let second: TestingModule;

  beforeAll(async () => {
    const port = await freePort();
    emulator = await createSandboxApp(testConfig());
    await emulator.listen({ port, host: '127.0.0.1' });
    stats = emulator.get(SandboxState).stats;
    vietqrUrl = `http://127.0.0.1:${port}/sandbox/vqr`;
    first = await createMediumModule([QrOrdersModule], { VIETQR_API_URL: vietqrUrl });
    second = await createMediumModule([QrOrdersModule], { VIETQR_API_URL: vietqrUrl });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await emulator.close();
  });

  describe('issue', () => {
    it('orders a dynamic QR with the payment code as orderId and content, and stores the request and answer', async () => {
      const request = issueRequest();
      const qr = await first.get(QrIssuer).issue(request);
      expect(qr.content).toBe(`${qr.traceId} ${request.code}`);
      const [row] = await first
        .get(DataSource)
        .query(
          `SELECT status, order_id, amount, request, response, trace_id FROM qr_order WHERE payment_id = $1`,
          [request.paymentId],
        );
      expect(row).toMatchObject({
        status: 'issued',
        order_id: request.code,
        amount: '120000',
        trace_id: qr.traceId,
      });
      expect(row.request).toEqual({
        bankCode: 'MB',
        bankAccount: '0123456789',
        userBankName: 'NGUYEN VAN A',
        content: request.code,
        qrType: 0,
        amount: 120_000,
        orderId: request.code,
        transType: 'C',
      });
      expect(row.response).toMatchObject({ content: qr.content, qrCode: qr.qrCode, orderId: request.code });
    });

    it('returns the stored QR for a repeated payment without calling VietQR again', async () => {
      const request = issueRequest();
      const once = await first.get(QrIssuer).issue(request);
      const before = stats.generateRequests;
      const again = await second.get(QrIssuer).issue(request);
      expect(again).toEqual(once);
      expect(stats.generateRequests).toBe(before);
    });

    it('makes one upstream order for concurrent issues of one payment across two instances', async () => {
      const request = issueRequest();
      const before = stats.generateRequests;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).get(QrIssuer).issue(request)),
      );
      expect(stats.generateRequests - before).toBe(1);
      expect(new Set(results.map((qr) => qr.content)).size).toBe(1);
    });

    it('records a refused order and orders again with the same orderId when the payment is retried', async () => {
      const request = issueRequest();
      const refusing = await createMediumModule([QrOrdersModule], {
        VIETQR_API_URL: vietqrUrl,
        VIETQR_BANK_CODE: 'NOBANK',
      });
      try {
        await expect(refusing.get(QrIssuer).issue(request)).rejects.toMatchObject({
          code: 'UPSTREAM_ERROR',
          details: { vietqrCode: 'E24' },
        });
      } finally {
        await refusing.close();
      }
      const [failed] = await first
        .get(DataSource)
        .query(`SELECT status, last_error FROM qr_order WHERE payment_id = $1`, [request.paymentId]);
      expect(failed.status).toBe('failed');
      expect(failed.last_error).toMatchObject({ code: 'UPSTREAM_ERROR', details: { vietqrCode: 'E24' } });

      // The order system retries the payment once the bank code is fixed: same orderId, a new attempt.
      const qr = await first.get(QrIssuer).issue(request);
      expect(qr.content).toBe(`${qr.traceId} ${request.code}`);
      const [issued] = await first
        .get(DataSource)
        .query(`SELECT status, attempts FROM qr_order WHERE payment_id = $1`, [request.paymentId]);
      expect(issued).toEqual({ status: 'issued', attempts: 2 });
    });

    it('refuses a payment code VietQR would not take as an orderId', async () => {
      await expect(first.get(QrIssuer).issue({ ...issueRequest(), code: 'pay-1' })).rejects.toThrow(/A-Z0-9/);
    });
  });

  describe('with QR_PROVIDER=local', () => {
    it('builds the NAPAS payload itself and never calls VietQR', async () => {
      const local = await createMediumModule([QrOrdersModule], {
        QR_PROVIDER: 'local',
        VIETQR_API_URL: vietqrUrl,
      });
      try {
        const before = stats.generateRequests;
        const issuer = local.get(QrIssuer);
        expect(issuer).toBeInstanceOf(LocalQrIssuer);
        const request = issueRequest(79_000);
        const qr = await issuer.issue(request);
        expect(qr).toMatchObject({ provider: 'local', content: request.code, traceId: null });
        expect(stats.generateRequests).toBe(before);
      } finally {
        await local.close();
      }
    });
  });
});
