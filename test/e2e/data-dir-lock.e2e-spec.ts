import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { randomOrderId } from '../support/payments.js';
import { spawnService, SpawnedService, waitForHttp } from '../support/spawn-service.js';
import { freePort, testEnv } from '../support/test-app.js';

const API_KEY = 'lock-test-orders-key-0123456789';

/** The service on the embedded database in dataDir: no DATABASE_URL, as a developer starts it. */
function embeddedEnv(dataDir: string, port: number): Record<string, string> {
  const env = testEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    API_KEYS: `orders:${API_KEY}`,
  });
  delete env.DATABASE_URL;
  return env as Record<string, string>;
}

function cli(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, ['dist/src/cli.js', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

async function stop(service: SpawnedService): Promise<number | null> {
  service.child.kill('SIGTERM');
  return service.exited;
}

// Each start opens PGlite on its own files: this file makes one data directory and starts it several times.
describe('The embedded data directory lock (two processes on one DATA_DIR)', () => {
  let dataDir: string;
  let first: SpawnedService;
  let port: number;
  let paymentId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vqg-lock-'));
    port = await freePort();
    first = spawnService(embeddedEnv(dataDir, port));
    await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 90_000);
    const created = await request(`http://127.0.0.1:${port}`)
      .post('/api/v1/payments')
      .set('x-api-key', API_KEY)
      .send({ orderId: randomOrderId('lock'), amount: 50_000 })
      .expect(201);
    paymentId = created.body.id;
  }, 120_000);

  afterAll(async () => {
    if (first?.child.exitCode === null) await stop(first);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second service on the same directory within seconds, naming the holder', async () => {
    const second = spawnService(embeddedEnv(dataDir, await freePort()));
    const started = Date.now();
    const code = await second.exited;
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(second.output()).toContain(
      `${dataDir} is in use by PID ${first.child.pid}; stop it or set DATABASE_URL`,
    );
    // The first one never noticed.
    await request(`http://127.0.0.1:${port}`)
      .get(`/api/v1/payments/${paymentId}`)
      .set('x-api-key', API_KEY)
      .expect(200);
  }, 30_000);

  it('refuses the CLI while the service runs, in one line', () => {
    const result = cli(dataDir, 'api-keys', 'create', 'while-running');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(
      `${dataDir} is in use by PID ${first.child.pid}; stop it or set DATABASE_URL`,
    );
  });

  it('lets the CLI work once the service stopped, and keeps both its key and the service data', async () => {
    expect(await stop(first)).toBe(0);
    expect(existsSync(join(dataDir, 'vietqr-gateway.lock'))).toBe(false);
    const created = cli(dataDir, 'api-keys', 'create', 'from-cli');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const key = created.stdout.trim().split('\n').pop()!;

    first = spawnService(embeddedEnv(dataDir, port));
    await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 60_000);
    const url = `http://127.0.0.1:${port}`;
    await request(url).get(`/api/v1/payments/${paymentId}`).set('x-api-key', API_KEY).expect(200);
    await request(url).get('/api/v1/payments').set('x-api-key', key).expect(200);
  }, 90_000);

  it('takes over the lock of a killed holder', async () => {
    const killedPid = first.child.pid;
    first.child.kill('SIGKILL');
    await first.exited;
    const lock = JSON.parse(readFileSync(join(dataDir, 'vietqr-gateway.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(killedPid);

    first = spawnService(embeddedEnv(dataDir, port));
    await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 60_000);
    expect(first.output()).toContain(`left by PID ${killedPid}, which is gone`);
    await request(`http://127.0.0.1:${port}`)
      .get(`/api/v1/payments/${paymentId}`)
      .set('x-api-key', API_KEY)
      .expect(200);
  }, 90_000);
});
