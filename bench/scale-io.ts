// What a credit costs PostgreSQL's storage, beside its req/s: the WAL it writes (full-page images counted
// apart: the first change of a page after a checkpoint logs the whole 8 kB page) and the blocks it found
// outside shared buffers. Each credit window starts right after a CHECKPOINT, as every 5 minutes in
// production, so a credit that touches pages at random across a large index pays for a full page each time.
import pg from 'pg';

export interface CreditIo {
  walBytes: number;
  fullPageImages: number;
  blocksRead: number;
  blocksHit: number;
}

async function counters(client: pg.Client): Promise<CreditIo> {
  const { rows } = await client.query<Record<keyof CreditIo, string>>(
    `SELECT w.wal_bytes AS "walBytes", w.wal_fpi AS "fullPageImages",
            d.blks_read AS "blocksRead", d.blks_hit AS "blocksHit"
       FROM pg_stat_wal w, pg_stat_database d WHERE d.datname = current_database()`,
  );
  const r = rows[0];
  return {
    walBytes: Number(r.walBytes),
    fullPageImages: Number(r.fullPageImages),
    blocksRead: Number(r.blocksRead),
    blocksHit: Number(r.blocksHit),
  };
}

/** Runs `window` right after a checkpoint and answers its storage cost per answered request. */
export async function measureCreditIo<T>(
  url: string,
  window: () => Promise<T>,
  answered: (result: T) => number,
): Promise<{ result: T; io: CreditIo }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
    const before = await counters(client);
    const result = await window();
    // Backends hand their statistics over at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await client.query('SELECT pg_stat_clear_snapshot()');
    const after = await counters(client);
    const n = Math.max(1, answered(result));
    const per = (k: keyof CreditIo) => Math.round(((after[k] - before[k]) / n) * 10) / 10;
    return {
      result,
      io: {
        walBytes: per('walBytes'),
        fullPageImages: per('fullPageImages'),
        blocksRead: per('blocksRead'),
        blocksHit: per('blocksHit'),
      },
    };
  } finally {
    await client.end();
  }
}
