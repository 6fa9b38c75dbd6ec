// One fresh database per test run, so runs never see each other's rows:
// - TEST_DATABASE_URL set: a new database on that PostgreSQL server, dropped at the end;
// - otherwise: an embedded PGlite served on a loopback port for the length of the run.
// Tests read the URL from VQG_TEST_DATABASE_URL; each app applies the migrations at start (under a lock).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export default async function globalSetup() {
  const server = process.env.TEST_DATABASE_URL;
  if (server) {
    const name = `vqg_test_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    process.env.VQG_TEST_DATABASE_URL = url.toString();
    globalThis.__vqgTestDb = { kind: 'server', server, name };
    return;
  }
  // The service's own embedded start-up (from the build: `npm test` builds first), so tests share its fixes.
  const { startEmbeddedDatabase } = await import('../../dist/src/database/embedded-database.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'vqg-test-pglite-'));
  const embedded = await startEmbeddedDatabase(dataDir, 200);
  process.env.VQG_TEST_DATABASE_URL = embedded.url;
  process.env.VQG_TEST_DATABASE_EMBEDDED = '1';
  globalThis.__vqgTestDb = {
    kind: 'embedded',
    close: async () => {
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
