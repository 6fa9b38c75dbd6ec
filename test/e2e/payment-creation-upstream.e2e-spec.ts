import { SandboxState } from '../../src/modules/sandbox/sandbox-state.js';
import { createPayment } from '../support/payments.js';
import { startTestApp, TestApp } from '../support/test-app.js';

// Issue 4's acceptance over the public API: payment creations share one VietQR token.
describe('POST /api/v1/payments against VietQR (the emulator)', () => {
  let t: TestApp;
  let sandbox: SandboxState;

  beforeAll(async () => {
    t = await startTestApp();
    sandbox = t.app.get(SandboxState);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates 100 payments concurrently with exactly one token request and one QR order each', async () => {
    const before = { ...sandbox.stats };
    const payments = await Promise.all(Array.from({ length: 100 }, () => createPayment(t)));
    expect(sandbox.stats.tokenRequests - before.tokenRequests).toBe(1);
    expect(sandbox.stats.generateRequests - before.generateRequests).toBe(100);
    const contents = new Set(payments.map((p: { qr: { content: string } }) => p.qr.content));
    expect(contents.size).toBe(100);
    for (const p of payments) expect(p.qr.content).toMatch(new RegExp(`^VQR[0-9a-f]{10} ${p.code}$`));
  }, 120_000);
});
