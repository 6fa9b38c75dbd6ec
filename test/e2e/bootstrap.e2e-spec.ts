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
      'VIETQR_PARTNER_PASSWORD',
      'VIETQR_PARTNER_TOKEN_SECRET',
      'API_KEYS',
    ]) {
      expect(line).toContain(name);
    }
  });
});
