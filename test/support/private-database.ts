import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serialiseProtocolSequences } from '../../src/database/pglite-socket-queue.js';
import { testDatabaseUrl } from './test-app.js';

export interface PrivateDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of the test's own, for tests that must know every instance touching it (several dispatchers,
 * a killed process): a new database on the test server, or a new in-memory embedded one.
 */
export async function createPrivateDatabase(): Promise<PrivateDatabase> {
  if (process.env.VQG_TEST_DATABASE_EMBEDDED === '1') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create();
    const socket = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 100 });
    serialiseProtocolSequences(socket);
    await socket.start();
    return {
      url: `postgresql://postgres:postgres@${socket.getServerConn()}/postgres`,
      drop: async () => {
        await socket.stop();
        await db.close();
      },
    };
  }
  const shared = new URL(testDatabaseUrl());
  const name = `${shared.pathname.slice(1)}_p${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: shared.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(shared);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: shared.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
