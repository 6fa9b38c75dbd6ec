import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import request from 'supertest';
import { randomOrderId } from '../support/payments.js';
import { spawnService, SpawnedService, waitForHttp, waitForOutput } from '../support/spawn-service.js';
import { freePort, PARTNER_PASSWORD, TEST_API_KEY, testEnv } from '../support/test-app.js';
import { partnerToken, vietqrDelivery } from '../support/vietqr-partner.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** Stands for VietQR: records every call's headers and passes it on to the emulator the service serves. */
interface RecordingVietQr {
  server: Server;
  url: string;
  seen: IncomingHttpHeaders[];
  /** When set, generate-customer answers this status instead of passing the call on. */
  failGenerate?: number;
}

async function recordingVietQr(target: () => string): Promise<RecordingVietQr> {
  const seen: IncomingHttpHeaders[] = [];
  const recorder: RecordingVietQr = { server: undefined as unknown as Server, url: '', seen };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ ...req.headers, ':path': req.url });
      if (recorder.failGenerate && req.url?.endsWith('/generate-customer')) {
        res.writeHead(recorder.failGenerate, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      fetch(`${target()}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }).then(
        async (answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
        },
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  recorder.server = server;
  recorder.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return recorder;
}

function jsonLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('Request logging and request ids (the built service, its output captured)', () => {
  let service: SpawnedService;
  let url: string;
  let vietqr: RecordingVietQr;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    vietqr = await recordingVietQr(() => url);
    receiver = await WebhookReceiver.start();
    const env = testEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: url,
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
      VIETQR_API_URL: `${vietqr.url}/sandbox/vqr`,
      WEBHOOK_DISPATCH_INTERVAL_MS: '100',
      PAYMENT_SWEEP_INTERVAL_MS: '60000',
    });
    service = spawnService(env as Record<string, string>);
    await waitForHttp(`${url}/health/live`, 30_000);
  });

  afterAll(async () => {
    if (service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    vietqr.server.close();
    await receiver.close();
  });

  it('writes one access-log line per request with its fields and no secret, key, token or body', async () => {
    const orderId = randomOrderId('log');
    const created = await request(url)
      .post('/api/v1/payments')
      .set('x-api-key', TEST_API_KEY)
      .set('x-request-id', 'rid-create-1')
      .send({ orderId, amount: 20_000, metadata: { note: 'body-secret-marker' } })
      .expect(201);
    await request(url).get(`/api/v1/payments/${created.body.id}`).set('x-api-key', TEST_API_KEY).expect(200);
    await request(url).get('/health/live').set('x-request-id', 'rid-health').expect(200);
    await request(url).get('/metrics').set('x-request-id', 'rid-metrics').expect(200);
    await waitForOutput(service, '"reqId":"rid-create-1","method":"POST"', 5_000);
    await waitForOutput(service, `"route":"/api/v1/payments/:id"`, 5_000);

    const lines = jsonLines(service.output());
    const create = lines.filter((l) => l.reqId === 'rid-create-1' && l.method === 'POST');
    expect(create).toHaveLength(1);
    expect(create[0]).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/api/v1/payments',
      status: 201,
      client: 'orders',
      reqId: 'rid-create-1',
    });
    expect(create[0].durationMs).toEqual(expect.any(Number));
    expect(lines.filter((l) => l.route === '/api/v1/payments/:id')).toHaveLength(1);
    // Probes and scrapes are debug lines: absent at info.
    expect(lines.some((l) => l.reqId === 'rid-health' || l.reqId === 'rid-metrics')).toBe(false);

    const output = service.output();
    for (const secret of [TEST_API_KEY, PARTNER_PASSWORD, 'body-secret-marker', orderId]) {
      expect(output).not.toContain(secret);
    }
  });

  it('forwards the request id on every call to VietQR made while serving the request', () => {
    const calls = vietqr.seen.filter((h) => h['x-request-id'] === 'rid-create-1').map((h) => h[':path']);
    expect(calls).toEqual(
      expect.arrayContaining(['/sandbox/vqr/api/token_generate', '/sandbox/vqr/api/qr/generate-customer']),
    );
    expect(vietqr.seen.every((h) => typeof h['x-request-id'] === 'string')).toBe(true);
  });

  it('names the partner on VietQR callbacks and sends the callback request id on the webhook it causes', async () => {
    await request(url)
      .post('/api/v1/webhook-endpoints')
      .set('x-api-key', TEST_API_KEY)
      .send({ url: receiver.url, events: ['payment.paid'] })
      .expect(201);
    const payment = (
      await request(url)
        .post('/api/v1/payments')
        .set('x-api-key', TEST_API_KEY)
        .send({ orderId: randomOrderId('hook'), amount: 30_000 })
        .expect(201)
    ).body;
    const token = await partnerToken(url);
    await request(url)
      .post('/vqr/bank/api/transaction-sync')
      .set('authorization', `Bearer ${token}`)
      .set('x-request-id', 'rid-sync-1')
      .send(vietqrDelivery({ amount: 30_000, content: `thanh toan ${payment.code}` }))
      .expect(200);

    // Other test files' apps share the database and the "orders" client: pick this payment's message.
    type PaidMessage = { data: { payment: { id: string } } };
    const ours = () =>
      receiver.received.filter((r) => (r.json as PaidMessage).data.payment.id === payment.id);
    const deadline = Date.now() + 10_000;
    while (ours().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(ours()).toHaveLength(1);
    const hook = ours()[0];
    expect(hook.headers['x-request-id']).toBe('rid-sync-1');
    expect(hook.headers['webhook-id']).toBe(hook.json.id);
    expect(hook.json.type).toBe('payment.paid');

    await waitForOutput(service, '"reqId":"rid-sync-1","method":"POST"', 5_000);
    const sync = jsonLines(service.output()).find((l) => l.reqId === 'rid-sync-1' && l.method === 'POST')!;
    expect(sync).toMatchObject({ route: '/vqr/bank/api/transaction-sync', status: 200, partner: 'vietqr' });
    expect(service.output()).not.toContain(token);
  });

  it('puts the request id on every line written while serving a request', async () => {
    vietqr.failGenerate = 503;
    await request(url)
      .post('/api/v1/payments')
      .set('x-api-key', TEST_API_KEY)
      .set('x-request-id', 'rid-upstream-down')
      .send({ orderId: randomOrderId('down'), amount: 10_000 })
      .expect(502);
    vietqr.failGenerate = undefined;
    await waitForOutput(service, '"reqId":"rid-upstream-down","method":"POST"', 5_000);
    const lines = jsonLines(service.output()).filter((l) => l.reqId === 'rid-upstream-down');
    // The VietQR client's warning and the filter's, then the access line: all with the id.
    expect(lines.map((l) => l.context ?? 'access')).toEqual(['VietQrClient', 'Errors', 'access']);
    const warning = jsonLines(service.output()).find((l) =>
      String(l.msg).startsWith('VietQR refused generate'),
    );
    expect(warning?.reqId).toBe('rid-upstream-down');
  });

  it('writes a final "stopped" line on SIGTERM and exits 0', async () => {
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const lines = jsonLines(service.output());
    expect(lines[lines.length - 1].msg).toMatch(/^Stopped/);
  });
});
