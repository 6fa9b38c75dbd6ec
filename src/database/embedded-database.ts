import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataDir } from './data-dir-lock.js';
import { patchSocketQueue } from './pglite-socket-queue.patch.js';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  /** PID of a dead process whose lock on dataDir was taken over at start, if any. */
  takenOverFrom: number | undefined;
  close(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly) on dataDir and serves the Postgres wire protocol on a
 * loopback port, so the app reaches it with the same pg driver and TypeORM code as a real server.
 * Development only: it is one serialised session and never fsyncs.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  maxConnections: number,
): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  // Before PGlite opens anything: a second process on the same files would diverge and lose writes.
  const lock = lockDataDir(dir);
  let db: PGlite;
  try {
    db = await PGlite.create(dir);
  } catch (error) {
    lock.release();
    throw error;
  }
  // The pool opens up to poolSize connections (plus one for the migration lock); extra is headroom.
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: maxConnections + 4,
  });
  patchSocketQueue(server);
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  let closed = false;
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres`,
    dataDir: dir,
    takenOverFrom: lock.takenOverFrom,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await server.stop();
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}
