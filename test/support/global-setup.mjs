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
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const dataDir = mkdtempSync(join(tmpdir(), 'vqg-test-pglite-'));
  const db = await PGlite.create(dataDir);
  const socket = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 200 });
  // The same per-batch session scheduling as the service's embedded database (see that module).
  const { tsImport } = await import('tsx/esm/api');
  const { serialiseSessionPerBatch } = await tsImport('../../src/database/pglite-session-queue.ts', import.meta.url);
  serialiseSessionPerBatch(socket);
  await socket.start();
  process.env.VQG_TEST_DATABASE_URL = `postgresql://postgres:postgres@${socket.getServerConn()}/postgres`;
  process.env.VQG_TEST_DATABASE_EMBEDDED = '1';
  globalThis.__vqgTestDb = {
    kind: 'embedded',
    close: async () => {
      await socket.stop();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
