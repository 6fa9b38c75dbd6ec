import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { freePort } from '../support/test-app.js';
import { spawnService, waitForHttp, waitForOutput } from '../support/spawn-service.js';

// The built service started the way the README says, with no environment beyond a port and a data dir.
// Start-up times are measured (`npm run bench:startup`), not asserted: the waits below are generous ceilings
// so a loaded machine cannot fail them, while a service that never becomes ready still does.
describe('Starting the service with zero configuration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vqg-bootstrap-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves readiness, Swagger and valid OpenAPI on a fresh embedded database, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const service = spawnService({ PORT: String(port), DATA_DIR: dataDir });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 60_000);
      expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200);
      const doc = (await (await fetch(`http://127.0.0.1:${port}/docs-json`)).json()) as Parameters<
        typeof validate
      >[0];
      expect((await validate(doc)).valid).toBe(true);
      await waitForOutput(service, 'embedded PostgreSQL', 10_000);
      await waitForOutput(service, 'API_KEYS=dev:', 10_000);
      await waitForOutput(service, 'OPERATOR_KEYS=operator:', 10_000);
    } finally {
      // Exit code 0 means it drained and closed before SHUTDOWN_TIMEOUT_MS (the forced exit is code 1).
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    }
  }, 90_000);

  it('starts again on the same data directory, keeping its generated secrets', async () => {
    const port = await freePort();
    const service = spawnService({ PORT: String(port), DATA_DIR: dataDir });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 30_000);
      expect(service.output()).not.toContain('Generated development secrets');
    } finally {
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    }
  }, 60_000);

  it('refuses to start with a bad PORT and names it', async () => {
    const service = spawnService({ PORT: 'abc', DATA_DIR: dataDir });
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/Invalid configuration: .*PORT must be an integer/);
  });

  it('refuses the embedded database and missing secrets in production, naming each variable', async () => {
    const service = spawnService({ NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(await service.exited).toBe(1);
    const line = service
      .output()
      .trim()
      .split('\n')
      .find((l) => l.startsWith('Invalid configuration'))!;
    for (const name of [
      'DATABASE_URL',
      'PUBLIC_BASE_URL',
      'VIETQR_PARTNER_PASSWORD',
      'VIETQR_PARTNER_TOKEN_SECRET',
      'API_KEYS',
    ]) {
      expect(line).toContain(name);
    }
  });

  it('refuses weak secrets and short seeded keys in production, naming each variable in one line', async () => {
    const service = spawnService({
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
      VIETQR_API_URL: 'https://api.vietqr.org',
      SANDBOX_ENABLED: 'false',
      VIETQR_PARTNER_PASSWORD: 'x',
      VIETQR_PARTNER_TOKEN_SECRET: 'x',
      VIETQR_API_PASSWORD: 'short-password',
      API_KEYS: 'orders:sixteen-chars-key',
      OPERATOR_KEYS: 'ops:another-16-chars-key',
    });
    expect(await service.exited).toBe(1);
    const lines = service.output().trim().split('\n');
    const line = lines.find((l) => l.startsWith('Invalid configuration'))!;
    expect(lines.filter((l) => l.startsWith('Invalid configuration'))).toHaveLength(1);
    for (const name of [
      'VIETQR_PARTNER_PASSWORD',
      'VIETQR_PARTNER_TOKEN_SECRET',
      'VIETQR_API_PASSWORD',
      'API_KEYS',
      'OPERATOR_KEYS',
    ]) {
      expect(line).toContain(name);
    }
    expect(line).toContain('32');
    // Secrets are named, never echoed.
    expect(service.output()).not.toContain('sixteen-chars-key');
  });
});
