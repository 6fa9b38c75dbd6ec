import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { patchSocketQueue } from './pglite-socket-queue.patch.js';

// The patch replaces pglite-socket's queue loop. These fingerprints are of the code it replaces and relies
// on (enqueue must call this.processQueue()): when an upgrade changes them, read the new code and redo the
// patch, or drop it if upstream fixed the interleaving, before updating the fingerprints.
const PINNED_VERSION = '0.2.17';
const FINGERPRINTS = {
  enqueue: '6d30713c0247bff8',
  processQueue: '726c0eb91ef7ae88',
  clearQueueForHandler: '09ae4bce39626fd7',
};

interface Queued {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}
interface Queue {
  queue: Queued[];
  processing: boolean;
  lastHandlerId: number | null;
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number>;
}

function installedVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite-socket');
  let dir = dirname(entry);
  while (!dir.endsWith('pglite-socket')) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A server on a fake PGlite that records the order messages reach it; 'X' messages fail. */
function serverOnFakeDb() {
  const seen: string[] = [];
  const db = {
    isInTransaction: () => false,
    runExclusive: <T>(fn: () => Promise<T>) => fn(),
    execProtocolRawStream: async (
      message: Uint8Array,
      { onRawData }: { onRawData: (d: Uint8Array) => void },
    ) => {
      await new Promise((resolve) => setImmediate(resolve));
      const text = Buffer.from(message).toString('utf8');
      seen.push(text);
      if (text.endsWith('X')) throw new Error('bad message');
      onRawData(new Uint8Array(1));
    },
  };
  const server = new PGLiteSocketServer({ db: db as unknown as PGlite });
  return { server, seen, queue: (server as unknown as { queryQueue: Queue }).queryQueue };
}

describe(patchSocketQueue.name, () => {
  it('patches the pglite-socket version it was written for', () => {
    expect(installedVersion()).toBe(PINNED_VERSION);
  });

  it('replaces code that is still what it was written against', () => {
    const { queue } = serverOnFakeDb();
    const proto = Object.getPrototypeOf(queue) as Record<keyof typeof FINGERPRINTS, () => unknown>;
    const actual = Object.fromEntries(
      Object.keys(FINGERPRINTS).map((name) => [
        name,
        createHash('sha256')
          .update(String(proto[name as keyof typeof FINGERPRINTS]))
          .digest('hex')
          .slice(0, 16),
      ]),
    );
    expect(actual).toEqual(FINGERPRINTS);
    expect(queue).toMatchObject({ queue: [], processing: false, lastHandlerId: null });
  });

  it("keeps one connection's extended-query sequence together, and a failed message does not stop the queue", async () => {
    const { server, seen, queue } = serverOnFakeDb();
    patchSocketQueue(server);
    const send = (handler: number, type: string) =>
      queue.enqueue(
        handler,
        Buffer.from(`${type}${handler}${type === 'B' && handler === 2 ? 'X' : ''}`),
        () => {},
      );
    const sent = [
      send(1, 'P'),
      send(2, 'P'),
      send(1, 'B'),
      send(2, 'B'),
      send(1, 'E'),
      send(2, 'E'),
      send(1, 'S'),
      send(2, 'S'),
    ];
    const settled = await Promise.allSettled(sent);
    expect(seen).toEqual(['P1', 'B1', 'E1', 'S1', 'P2', 'B2X', 'E2', 'S2']);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
  });
});
