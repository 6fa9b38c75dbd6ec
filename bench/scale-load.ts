// Loads a generation (scale-data.ts) into a migrated database with COPY FROM STDIN, streaming the rows.
// A large load first sets the keys and indexes of the tables it fills aside (their exact definitions read
// from the catalog), copies into bare tables, builds them again in one sort each and re-adds the foreign
// keys, which PostgreSQL validates over every row; all in one transaction, which commits only when the
// catalog reads the same as before. Row-by-row maintenance of a dozen random-order b-trees would take hours.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSpec, Layout, walk } from './scale-data.js';
import { TableRows, tablesOf } from './scale-rows.js';

const LOADED = [
  'payment',
  'payment_history',
  'payment_transaction',
  'bank_transaction',
  'outbox_event',
  'webhook_delivery',
  'webhook_attempt',
  'reconcile_check',
];

interface Constraint {
  table: string;
  name: string;
  type: string;
  def: string;
  target: string | null;
}

interface Index {
  table: string;
  name: string;
  def: string;
}

async function catalog(
  client: pg.Client,
): Promise<{ constraints: Constraint[]; indexes: Index[]; text: string }> {
  const constraints = (
    await client.query<Constraint & { validated: boolean }>(
      `SELECT conrelid::regclass::text AS "table", conname AS name, contype AS type, pg_get_constraintdef(oid) AS def,
              nullif(confrelid, 0)::regclass::text AS target, convalidated AS validated
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    )
  ).rows;
  const indexes = (
    await client.query<Index>(
      `SELECT tablename AS "table", indexname AS name, indexdef AS def FROM pg_indexes
        WHERE schemaname = 'public' ORDER BY 1, 2`,
    )
  ).rows;
  return { constraints, indexes, text: JSON.stringify({ constraints, indexes }) };
}

async function copyTable(client: pg.Client, spec: DataSpec, layout: Layout, t: TableRows): Promise<number> {
  const sink = client.query(copyFrom(`COPY ${t.table} (${t.columns.join(', ')}) FROM STDIN`));
  function* chunks(): Generator<string> {
    let buffer = '';
    for (const e of walk(spec, layout, t.wanted)) {
      buffer += t.rows(e);
      if (buffer.length > 1 << 16) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(Readable.from(chunks()), sink);
  return sink.rowCount;
}

export interface LoadReport {
  rows: Record<string, number>;
  seconds: Record<string, number>;
  rebuilt: { constraints: number; indexes: number } | null;
}

/** COPYs the generation; with `rebuild`, keys and indexes are set aside and built again (see above). */
export async function loadGeneration(
  url: string,
  spec: DataSpec,
  layout: Layout,
  opts: { rebuild: boolean; log: (line: string) => void },
): Promise<LoadReport> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const report: LoadReport = { rows: {}, seconds: {}, rebuilt: null };
  const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await work();
    report.seconds[label] = (Date.now() - started) / 1000;
    opts.log(`  ${label}: ${report.seconds[label].toFixed(1)} s`);
    return result;
  };
  try {
    // Bench set-up only: nothing here is the service's own durability or sizing.
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query(`SET work_mem = '256MB'`);
    await client.query(`SET max_parallel_maintenance_workers = 1`);
    await client.query('BEGIN');
    const before = await catalog(client);
    const loaded = new Set(LOADED);
    const foreign = before.constraints.filter(
      (c) => c.type === 'f' && (loaded.has(c.table) || loaded.has(c.target ?? '')),
    );
    const keys = before.constraints.filter((c) => (c.type === 'p' || c.type === 'u') && loaded.has(c.table));
    const plain = before.indexes.filter((i) => loaded.has(i.table) && !keys.some((k) => k.name === i.name));
    if (opts.rebuild) {
      for (const c of [...foreign, ...keys])
        await client.query(`ALTER TABLE ${c.table} DROP CONSTRAINT ${c.name}`);
      for (const i of plain) await client.query(`DROP INDEX ${i.name}`);
    }
    for (const t of tablesOf(spec)) {
      report.rows[t.table] = await timed(`copy ${t.table}`, () => copyTable(client, spec, layout, t));
    }
    if (opts.rebuild) {
      await timed('keys', async () => {
        for (const c of keys) await client.query(`ALTER TABLE ${c.table} ADD CONSTRAINT ${c.name} ${c.def}`);
      });
      await timed('indexes', async () => {
        for (const i of plain) await client.query(i.def);
      });
      await timed('foreign keys (validated)', async () => {
        for (const c of foreign)
          await client.query(`ALTER TABLE ${c.table} ADD CONSTRAINT ${c.name} ${c.def}`);
      });
      const after = await catalog(client);
      if (after.text !== before.text)
        throw new Error('the schema after the load differs from the migrated one');
      report.rebuilt = { constraints: keys.length + foreign.length, indexes: plain.length };
    }
    await timed('commit', () => client.query('COMMIT'));
    // A shop's tables have been vacuumed and analysed; fresh COPY rows have neither hint bits nor statistics,
    // and autovacuum would otherwise do it during the measurements.
    await timed('vacuum analyze', async () => {
      for (const table of LOADED) await client.query(`VACUUM (ANALYZE) ${table}`);
    });
    await timed('checkpoint', () => client.query('CHECKPOINT'));
    return report;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
