import { PassThrough, Readable } from 'node:stream';
import type { Database } from '../../database/database.js';

// Rows per FETCH: large enough to keep round trips few, small enough that a batch is a few hundred KB.
const BATCH = 1_000;

/**
 * Streams a query's rows, encoded, after `head`: read through a server-side cursor and written as the
 * reader takes them, so memory stays one batch deep. Resolves once the cursor is open and the first batch
 * is written (a failing query is still an error answer, not a truncated 200). A reader that takes nothing for
 * `idleMs` loses the stream, so its connection goes back to the pool.
 */
export async function openExport<T>(
  database: Database,
  sql: string,
  params: unknown[],
  encode: (row: T) => string,
  head: string,
  idleMs: number,
): Promise<Readable> {
  const out = new PassThrough();
  let started = false;
  let ready!: () => void;
  let failed!: (error: unknown) => void;
  const opened = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const begin = () => {
    if (started) return;
    started = true;
    out.write(head);
    ready();
  };
  database
    .readCursor<T>(sql, params, BATCH, async (rows) => {
      begin();
      if (out.destroyed) return false;
      return out.write(rows.map(encode).join('')) || drained(out, idleMs);
    })
    .then(
      () => {
        begin();
        out.end();
      },
      (error: unknown) => {
        if (!started) failed(error);
        out.destroy(error as Error);
      },
    );
  await opened;
  return out;
}

/** True once the reader has taken what was written; false when it went away or stalled. */
function drained(out: PassThrough, idleMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      out.off('drain', onDrain);
      out.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    const timer = setTimeout(() => {
      out.destroy(new Error(`export reader took nothing for ${idleMs} ms`));
      finish(false);
    }, idleMs);
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}
