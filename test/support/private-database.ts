import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../../src/database/embedded-database.js';
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
    // The service's own embedded start-up, so these databases behave (and are fixed) like the app's.
    const dataDir = mkdtempSync(join(tmpdir(), 'vqg-private-pglite-'));
    const embedded = await startEmbeddedDatabase(dataDir, 100);
    return {
      url: embedded.url,
      drop: async () => {
        await embedded.close();
        rmSync(dataDir, { recursive: true, force: true });
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
