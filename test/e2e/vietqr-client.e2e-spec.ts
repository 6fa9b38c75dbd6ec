import { createServer, Server, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Body, Controller, DynamicModule, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import type { Env } from '../../src/config/env-schema.js';
import { QrIssuer } from '../../src/modules/qr-orders/qr-issuer.js';
import { createSandboxApp } from '../../src/sandbox-app.js';
import { buildNapasPayload } from '../../src/modules/qr-orders/napas-payload.js';
import { QrOrdersModule } from '../../src/modules/qr-orders/qr-orders.module.js';
import { SandboxState } from '../../src/modules/sandbox/sandbox-state.js';
import { VietQrClient } from '../../src/modules/vietqr/vietqr.client.js';
import { VietQrModule } from '../../src/modules/vietqr/vietqr.module.js';
import { freePort, testConfig } from '../support/test-app.js';

// Our routes that reach VietQR belong to other modules; this probe stands in for them so the tests can show
// what an order system would see when VietQR fails (status and body through the real global filter).
@Controller('probe')
class ProbeController {
  constructor(
    private readonly issuer: QrIssuer,
    private readonly client: VietQrClient,
  ) {}

  @Post('issue')
  issue(@Body() body: unknown) {
    return this.issuer.issue(body as Parameters<QrIssuer['issue']>[0]);
  }

  @Post('generate')
  generate(@Body() body: unknown) {
    return this.client.generateCustomer(body as Parameters<VietQrClient['generateCustomer']>[0]);
  }
}

@Module({ imports: [QrOrdersModule, VietQrModule], controllers: [ProbeController] })
class ProbeModule {}

interface ProbeApp {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

async function startProbeApp(overrides: Env = {}): Promise<ProbeApp> {
  const port = await freePort();
  const config = testConfig({ PORT: String(port), ...overrides });
  const root: DynamicModule = {
    module: class ProbeRoot {},
    imports: [AppModule.register(config), ProbeModule],
  };
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter({ logger: false }), {
    logger: false,
  });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

function paymentCode(): string {
  return `T${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
}

function issueRequest(amount = 150_000) {
  return { paymentId: randomUUID(), code: paymentCode(), amount, description: null };
}

describe(VietQrClient.name, () => {
  describe('against the emulator it points at with zero configuration', () => {
    let t: ProbeApp;
    let client: VietQrClient;
    let sandbox: SandboxState;

    beforeAll(async () => {
      t = await startProbeApp();
      client = t.app.get(VietQrClient);
      sandbox = t.app.get(SandboxState);
    });
    afterAll(async () => {
      await t.close();
    });

    it('shares one token request among 100 concurrent payment QR orders', async () => {
      const before = { ...sandbox.stats };
      const issuer = t.app.get(QrIssuer);
      const issued = await Promise.all(Array.from({ length: 100 }, () => issuer.issue(issueRequest())));
      expect(sandbox.stats.tokenRequests - before.tokenRequests).toBe(1);
      expect(sandbox.stats.generateRequests - before.generateRequests).toBe(100);
      expect(new Set(issued.map((qr) => qr.traceId)).size).toBe(100);
    });

    it('refreshes an expired token once and the call succeeds', async () => {
      await client.accessToken();
      const before = { ...sandbox.stats };
      sandbox.expireTokens();
      const qr = await t.app.get(QrIssuer).issue(issueRequest());
      expect(qr.content).toMatch(/^VQR[0-9a-f]{10} T[0-9A-F]{12}$/);
      expect(sandbox.stats.refusedBearer - before.refusedBearer).toBe(1);
      expect(sandbox.stats.tokenRequests - before.tokenRequests).toBe(1);
      // The refused call never reached generate-customer; the repeated one did.
      expect(sandbox.stats.generateRequests - before.generateRequests).toBe(1);
    });

    it("keeps VietQR's answer: trace id, content, payload, link and reference", async () => {
      const request = issueRequest(79_000);
      const qr = await t.app.get(QrIssuer).issue(request);
      expect(qr).toEqual({
        provider: 'vietqr',
        content: `${qr.traceId} ${request.code}`,
        traceId: expect.stringMatching(/^VQR[0-9a-f]{10}$/),
        qrCode: buildNapasPayload({
          bankBin: '970422',
          accountNumber: '0123456789',
          amount: 79_000,
          purpose: `${qr.traceId} ${request.code}`,
          pointOfInitiation: '11',
        }),
        qrLink: expect.stringContaining('publicRefId='),
        transactionRefId: expect.any(String),
        bankCode: 'MB',
        bankAccount: '0123456789',
        accountName: 'NGUYEN VAN A',
      });
    });

    it('answers 502 naming E46 when VietQR refuses the body', async () => {
      const res = await request(t.url)
        .post('/probe/generate')
        .send({ bankCode: 'MB', bankAccount: '0123456789', userBankName: 'A', content: 'X', qrType: 7 })
        .expect(502);
      expect(res.body).toEqual({
        code: 'UPSTREAM_ERROR',
        message: 'VietQR refused generate-customer: E46 (Invalid request body or parameter)',
        requestId: expect.any(String),
        details: {
          operation: 'generate-customer',
          vietqrCode: 'E46',
          meaning: 'Invalid request body or parameter',
          upstreamStatus: 400,
        },
      });
    });

    it('reports a simulated payment delivered to the partner, and finds it with check-order', async () => {
      const qr = await t.app.get(QrIssuer).issue(issueRequest(50_000));
      // The emulator delivers to our own partner endpoints (token, then transaction-sync) and reports success.
      await expect(
        client.testCallback({
          bankAccount: qr.bankAccount,
          content: qr.content,
          amount: 50_000,
          transType: 'C',
          bankCode: 'MB',
        }),
      ).resolves.toEqual({ status: 'SUCCESS', message: '' });
      const orderId = qr.content.split(' ')[1];
      const items = await client.checkOrder({ bankAccount: qr.bankAccount, type: 0, value: orderId });
      expect(items).toEqual([
        expect.objectContaining({ orderId, amount: 50_000, content: qr.content, status: 1, transType: 'C' }),
      ]);
      const byReference = await client.checkOrder({
        bankAccount: qr.bankAccount,
        type: 1,
        value: items[0].referenceNumber,
      });
      expect(byReference).toEqual(items);
    });

    it('surfaces check-order E96 for an order VietQR never saw', async () => {
      await expect(
        client.checkOrder({ bankAccount: '0123456789', type: 0, value: 'NOSUCHORDER1' }),
      ).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', details: { vietqrCode: 'E96' } });
    });
  });

  describe('with a bank code VietQR does not know', () => {
    let t: ProbeApp;
    beforeAll(async () => {
      t = await startProbeApp({ VIETQR_BANK_CODE: 'NOBANK' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers 502 naming E24 when a payment QR is ordered', async () => {
      const res = await request(t.url).post('/probe/issue').send(issueRequest()).expect(502);
      expect(res.body.code).toBe('UPSTREAM_ERROR');
      expect(res.body.details).toMatchObject({
        vietqrCode: 'E24',
        meaning: 'No bank found for the given bankCode',
      });
      expect(res.body.message).toContain('E24');
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    });
  });

  describe('with API credentials VietQR does not accept', () => {
    let emulator: NestFastifyApplication;
    let t: ProbeApp;
    beforeAll(async () => {
      const port = await freePort();
      emulator = await createSandboxApp(testConfig({ VIETQR_API_PASSWORD: 'the-password-vietqr-knows' }));
      await emulator.listen({ port, host: '127.0.0.1' });
      t = await startProbeApp({ VIETQR_API_URL: `http://127.0.0.1:${port}/sandbox/vqr` });
    });
    afterAll(async () => {
      await t.close();
      await emulator.close();
    });

    it('answers 502 saying VietQR refused the credentials', async () => {
      const res = await request(t.url).post('/probe/issue').send(issueRequest()).expect(502);
      expect(res.body.code).toBe('UPSTREAM_ERROR');
      expect(res.body.details).toMatchObject({ operation: 'token', vietqrCode: null, upstreamStatus: 401 });
    });
  });

  describe('when VietQR never answers', () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    let t: ProbeApp;

    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const address = silent.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      t = await startProbeApp({ VIETQR_API_URL: `http://127.0.0.1:${port}/vqr`, VIETQR_TIMEOUT_MS: '300' });
    });
    afterAll(async () => {
      await t.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('answers 504 after VIETQR_TIMEOUT_MS, naming the timeout', async () => {
      const res = await request(t.url).post('/probe/issue').send(issueRequest()).expect(504);
      expect(res.body).toEqual({
        code: 'UPSTREAM_TIMEOUT',
        message: 'VietQR did not answer token within 300 ms',
        requestId: expect.any(String),
        details: { operation: 'token', vietqrCode: null, meaning: 'No answer in time', timeoutMs: 300 },
      });
    });
  });

  describe('when VietQR refuses connections', () => {
    let t: ProbeApp;
    beforeAll(async () => {
      const closedPort = await freePort();
      t = await startProbeApp({ VIETQR_API_URL: `http://127.0.0.1:${closedPort}/vqr` });
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers 502 UPSTREAM_UNAVAILABLE', async () => {
      const res = await request(t.url).post('/probe/issue').send(issueRequest()).expect(502);
      expect(res.body.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(res.body.message).toContain('ECONNREFUSED');
    });
  });
});
