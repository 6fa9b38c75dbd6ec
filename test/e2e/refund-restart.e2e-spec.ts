import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { RefundWorker } from '../../src/modules/refunds/refund-worker.js';
import { SandboxState } from '../../src/modules/sandbox/sandbox-state.js';
import { createSandboxApp } from '../../src/sandbox-app.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';
import { postRefund, settled, simulate } from '../support/refunds.js';
import { spawnService, SpawnedService, waitForHttp } from '../support/spawn-service.js';
import { freePort, TEST_API_KEY, testConfig, testEnv } from '../support/test-app.js';
import { eventually } from '../support/webhook-receiver.js';

const REFUND_SECRET = 'refund-secret-key-for-the-restart-test';

// A refund accepted with 201 reaches a final state once even when the service is SIGKILLed while its
// VietQR call is in flight: the emulator runs here (it outlives the service), the service in a process.
describe(`${RefundWorker.name} across a SIGKILL`, () => {
  let db: PrivateDatabase;
  let emulator: NestFastifyApplication;
  let state: SandboxState;
  let port: number;
  let env: Record<string, string>;
  let service: SpawnedService | undefined;
  const url = () => `http://127.0.0.1:${port}`;

  const start = async () => {
    service = spawnService(env);
    await waitForHttp(`${url()}/health/ready`, 30_000);
  };
  const kill = async () => {
    service!.child.kill('SIGKILL');
    await service!.exited;
    service = undefined;
  };

  beforeAll(async () => {
    db = await createPrivateDatabase();
    port = await freePort();
    const emulatorPort = await freePort();
    const shared = {
      VIETQR_REFUND_SECRET_KEY: REFUND_SECRET,
      SANDBOX_REFUND_LOCK_MS: '300',
      SANDBOX_PARTNER_URL: `http://127.0.0.1:${port}/vqr`,
    };
    emulator = await createSandboxApp(testConfig(shared));
    await emulator.listen({ port: emulatorPort, host: '127.0.0.1' });
    state = emulator.get(SandboxState);
    env = Object.fromEntries(
      Object.entries(
        testEnv({
          ...shared,
          DATABASE_URL: db.url,
          PORT: String(port),
          PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
          VIETQR_API_URL: `http://127.0.0.1:${emulatorPort}/sandbox/vqr`,
          VIETQR_TIMEOUT_MS: '1500',
          REFUND_LOCK_MS: '300',
          REFUND_WORKER_INTERVAL_MS: '100',
        }),
      ).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    await start();
  });
  afterAll(async () => {
    if (service) await kill();
    await emulator?.close();
    await db?.drop();
  });

  const paidPayment = async (amount: number) => {
    const res = await request(url())
      .post('/api/v1/payments')
      .set('X-API-Key', TEST_API_KEY)
      .send({ orderId: `restart-${Date.now()}-${amount}`, amount })
      .expect(201);
    await simulate(url(), res.body.id);
    return res.body as { id: string };
  };

  it('settles a refund whose call VietQR carried out while the service died: SUCCEEDED, refunded once', async () => {
    const payment = await paidPayment(60_000);
    state.nextRefund({ delayMs: 3_000 });
    const requests = state.stats.refundRequests;
    const applied = state.stats.refundsApplied;
    const res = await postRefund(url(), `/api/v1/payments/${payment.id}/refunds`).expect(201);
    await eventually('the refund call in flight', () => state.stats.refundRequests === requests + 1);
    await kill();
    await start();
    const refund = await settled(url(), res.body.id, 30_000);
    expect(refund).toMatchObject({ status: 'SUCCEEDED', amount: 60_000 });
    expect(state.stats.refundRequests).toBe(requests + 1);
    expect(state.stats.refundsApplied).toBe(applied + 1);
    const [upstream] = [...state.transactionsByReference.values()].filter(
      (t) => t.referenceNumber === refund.parts[0].bankReference,
    );
    expect(upstream.amountRefunded).toBe(60_000);
  });

  it('sends again, once, a refund whose call VietQR never carried out before the service died', async () => {
    const payment = await paidPayment(30_000);
    state.nextRefund({ delayMs: 3_000, apply: false });
    const requests = state.stats.refundRequests;
    const applied = state.stats.refundsApplied;
    const res = await postRefund(url(), `/api/v1/payments/${payment.id}/refunds`).expect(201);
    await eventually('the refund call in flight', () => state.stats.refundRequests === requests + 1);
    await kill();
    await start();
    const refund = await settled(url(), res.body.id, 30_000);
    expect(refund.status).toBe('SUCCEEDED');
    expect(state.stats.refundRequests).toBe(requests + 2);
    expect(state.stats.refundsApplied).toBe(applied + 1);
  });
});
